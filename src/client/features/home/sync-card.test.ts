import { describe, expect, it } from 'vitest';
import { createI18n } from '../../i18n/i18n';
import { statusLineKey } from './sync-card';

describe('the sync status line', () => {
  it('tells a phone whose storage is full to free some space, in Vietnamese', async () => {
    const i18n = await createI18n('vi');
    const key = statusLineKey({ status: 'error', failure: { ok: false, kind: 'device', reason: 'storage_full' } });
    expect(i18n.t(key)).toContain('Bộ nhớ máy đã đầy');
    expect(i18n.t(key)).toContain('Đồng bộ ngay');
  });

  it('points to the export file when the phone keeps failing for another reason', async () => {
    const i18n = await createI18n('vi');
    const key = statusLineKey({ status: 'error', failure: { ok: false, kind: 'device', reason: 'unexpected' } });
    expect(i18n.t(key)).toContain('Xuất dữ liệu chưa gửi ra tệp');
  });

  it('says what the sync is doing otherwise, a network error included', async () => {
    const i18n = await createI18n('vi');
    expect(i18n.t(statusLineKey({ status: 'idle' }))).toBe('Đã đồng bộ.');
    expect(i18n.t(statusLineKey({ status: 'error', failure: { ok: false, kind: 'server', status: 500 } }))).toBe(
      'Đồng bộ chưa được. Sẽ tự thử lại.',
    );
  });
});
