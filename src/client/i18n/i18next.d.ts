import 'i18next';
import type vi from './locales/vi.json';

// Every t('…') key is checked against the Vietnamese source file at compile time.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof vi };
  }
}
