import { describe, expect, it } from 'vitest';
import { createI18n } from './i18n';

describe('createI18n', () => {
  it('starts in Vietnamese without loading English', async () => {
    const i18n = await createI18n('vi');
    expect(i18n.t('nav.settings')).toBe('Cài đặt');
    expect(i18n.hasResourceBundle('en', 'translation')).toBe(false);
  });

  it('loads English when a person chooses it', async () => {
    const i18n = await createI18n('vi');
    await i18n.changeLanguage('en');
    expect(i18n.hasResourceBundle('en', 'translation')).toBe(true);
    expect(i18n.t('nav.settings')).toBe('Settings');
  });

  it('opens in English on a device that chose it', async () => {
    const i18n = await createI18n('en');
    expect(i18n.language).toBe('en');
    expect(i18n.t('nav.settings')).toBe('Settings');
  });
});
