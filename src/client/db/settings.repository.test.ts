import { afterEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { openDatabase, type AppDatabase } from './db';
import { readSetting, writeSetting } from './settings.repository';

const NOW = new Date('2026-11-24T08:00:00Z');
let db: AppDatabase | undefined;

async function freshDb(name: string) {
  db = await openDatabase(name);
  return db;
}

afterEach(async () => {
  if (db) {
    db.close();
    await db.delete();
  }
});

describe('settings repository', () => {
  it('keeps a device name across closing and reopening the database', async () => {
    const first = await freshDb('settings-reopen');
    await writeSetting(first, 'deviceName', '  Máy thôn Đông ', NOW);
    first.close();

    const second = await freshDb('settings-reopen');
    expect(await readSetting(second, 'deviceName')).toBe('Máy thôn Đông');
  });

  it('refuses an empty device name and stores nothing', async () => {
    const d = await freshDb('settings-empty');
    await expect(writeSetting(d, 'deviceName', '   ', NOW)).rejects.toBeInstanceOf(ZodError);
    expect(await d.settings.count()).toBe(0);
  });

  it('reads a stored value that no longer fits its schema as missing', async () => {
    const d = await freshDb('settings-invalid');
    await d.settings.put({ key: 'language', value: 'fr', updatedAt: NOW.toISOString() });
    expect(await readSetting(d, 'language')).toBeUndefined();
  });
});
