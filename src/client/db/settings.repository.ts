import { z } from 'zod';
import { FIRST_ASSESSMENT_YEAR } from '../../shared/schemas/common';
import { communeSettingSchema } from '../../shared/schemas/commune.schema';
import { deviceNameSchema } from '../../shared/schemas/device.schema';
import type { AppDatabase } from './db';

export const STORAGE_PERSISTENCE_STATES = ['granted', 'denied', 'unsupported'] as const;
export type StoragePersistence = (typeof STORAGE_PERSISTENCE_STATES)[number];

/** Every setting, its key and its schema: one place describes what may be stored. */
const settingSchemas = {
  deviceName: deviceNameSchema,
  language: z.enum(['vi', 'en']),
  storagePersistence: z.enum(STORAGE_PERSISTENCE_STATES),
  commune: communeSettingSchema,
  /** The assessment year the screens open on (năm đánh giá). */
  workingYear: z.number().int().min(FIRST_ASSESSMENT_YEAR),
} as const;

export type SettingKey = keyof typeof settingSchemas;
export type SettingValue<K extends SettingKey> = z.output<(typeof settingSchemas)[K]>;

/** Reads a setting; a missing or no longer valid value reads as undefined. */
export async function readSetting<K extends SettingKey>(db: AppDatabase, key: K): Promise<SettingValue<K> | undefined> {
  const row = await db.settings.get(key);
  if (!row) return undefined;
  const parsed = settingSchemas[key].safeParse(row.value);
  return parsed.success ? (parsed.data as SettingValue<K>) : undefined;
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
