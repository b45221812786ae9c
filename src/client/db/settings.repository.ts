import { z } from 'zod';
import { FIRST_ASSESSMENT_YEAR } from '../../shared/schemas/common';
import { communeSettingSchema } from '../../shared/schemas/commune.schema';
import { deviceNameSchema } from '../../shared/schemas/device.schema';
import { scopeSchema } from '../../shared/protocol/sync.schema';
import { LANGUAGES } from '../i18n/i18n';
import type { AppDatabase } from './db';

export const STORAGE_PERSISTENCE_STATES = ['granted', 'denied', 'unsupported'] as const;
export type StoragePersistence = (typeof STORAGE_PERSISTENCE_STATES)[number];

/** Every setting, its key and its schema: one place describes what may be stored. */
const settingSchemas = {
  deviceName: deviceNameSchema,
  language: z.enum(LANGUAGES),
  storagePersistence: z.enum(STORAGE_PERSISTENCE_STATES),
  commune: communeSettingSchema,
  /** The assessment year the screens open on (năm đánh giá). */
  workingYear: z.number().int().min(FIRST_ASSESSMENT_YEAR),
  /** The server this device is enrolled with, and its credentials (never leaves the device). */
  syncAccount: z.object({
    serverUrl: z.string().url(),
    deviceId: z.string(),
    token: z.string(),
    scope: scopeSchema,
    enrolledAt: z.string(),
  }),
  /** Where the last applied pull ended; written in the same transaction as the pulled records. */
  pullCursor: z.string(),
  /** When a sync last finished without error, and what the server acknowledged. */
  lastSync: z.object({ at: z.string(), ackSeq: z.number().int().nonnegative() }),
} as const;

export type SettingKey = keyof typeof settingSchemas;
export type SettingValue<K extends SettingKey> = z.output<(typeof settingSchemas)[K]>;

/**
 * Reads a setting; a missing or no longer valid value reads as undefined. A Dexie promise chain,
 * not an async function: called inside write transactions, it keeps the transaction's zone where
 * extra native async layers lose it (PrematureCommitError).
 */
export function readSetting<K extends SettingKey>(db: AppDatabase, key: K): Promise<SettingValue<K> | undefined> {
  return db.settings.get(key).then((row) => {
    if (!row) return undefined;
    const parsed = settingSchemas[key].safeParse(row.value);
    return parsed.success ? (parsed.data as SettingValue<K>) : undefined;
  });
}

/**
 * Validates, then stores. Offline it is a local write like any other; settings are per device
 * and never synced. Throws the zod error (with locale-key messages) and stores nothing on bad input.
 */
export async function writeSetting<K extends SettingKey>(
  db: AppDatabase,
  key: K,
  value: z.input<(typeof settingSchemas)[K]>,
  now: Date,
): Promise<SettingValue<K>> {
  const parsed = settingSchemas[key].parse(value) as SettingValue<K>;
  await db.settings.put({ key, value: parsed, updatedAt: now.toISOString() });
  return parsed;
}
