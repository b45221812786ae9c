import { describe, expect, it } from 'vitest';
import { readConfig } from './config';

describe('readConfig', () => {
  it('defaults to 127.0.0.1:8080 with PGlite under ./data', () => {
    const config = readConfig({}, '/srv/skh');
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/srv/skh/data',
      databaseUrl: undefined,
      staticDir: '/srv/skh/dist',
    });
  });

  it('takes PORT, DATA_DIR and DATABASE_URL from the environment', () => {
    const config = readConfig(
      { PORT: '9090', DATA_DIR: '/var/lib/skh', DATABASE_URL: 'postgres://app@db/app' },
      '/srv',
    );
    expect(config).toMatchObject({ port: 9090, dataDir: '/var/lib/skh', databaseUrl: 'postgres://app@db/app' });
  });

  it('treats an empty variable as unset', () => {
    expect(readConfig({ DATABASE_URL: '' }, '/srv').databaseUrl).toBeUndefined();
  });

  it('explains a bad port and a bad database URL in one message', () => {
    expect(() => readConfig({ PORT: 'tám nghìn', DATABASE_URL: 'mysql://x' })).toThrow(
      /PORT[\s\S]*DATABASE_URL phải bắt đầu bằng postgres/,
    );
  });

  it('takes the photo quota per commune in MiB, and leaves it to the default when unset', () => {
    expect(readConfig({ ATTACHMENT_QUOTA_MB: '512' }, '/srv').attachmentQuotaBytes).toBe(512 * 1024 * 1024);
    expect(readConfig({}, '/srv').attachmentQuotaBytes).toBeUndefined();
    expect(() => readConfig({ ATTACHMENT_QUOTA_MB: '0' })).toThrow(/ATTACHMENT_QUOTA_MB/);
  });
});
