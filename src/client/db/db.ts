import Dexie, { type EntityTable } from 'dexie';

/** One key/value row per device-wide setting (device name, language, storage status…). */
export interface SettingRow {
  key: string;
  value: unknown;
  updatedAt: string;
}

export const DATABASE_NAME = 'so-khuyen-hoc';

/**
 * The device's only store. This module is the only importer of Dexie (lint enforces it).
 * Schema versions are append-only: add `this.version(n + 1).stores({...}).upgrade(...)`,
 * never edit a shipped version, so a phone that skipped updates still migrates in order.
 */
export class AppDatabase extends Dexie {
  settings!: EntityTable<SettingRow, 'key'>;

  constructor(name: string = DATABASE_NAME) {
    super(name);
    this.version(1).stores({
      settings: 'key',
    });
  }
}

/** Opens the database; fails loudly (the app shows why) rather than running without storage. */
export async function openDatabase(name: string = DATABASE_NAME): Promise<AppDatabase> {
  const db = new AppDatabase(name);
  await db.open();
  return db;
}
