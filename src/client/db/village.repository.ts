import { villageSchema, type VillageData, type VillageInput } from '../../shared/schemas/village.schema';
import type { AppDatabase, LocalRecord } from './db';
import { outboxTables } from './outbox.repository';
import { tombstoneRecord, writeRecord } from './record-writes';
import { parseOrThrow, type WriteContext } from './write-context';

export type VillageRow = LocalRecord<VillageData>;

/**
 * Creates or updates a village. Offline: stored at once with its outbox op; sync sends it later.
 * Throws RecordValidationError (nothing stored) on bad input.
 */
export async function saveVillage(
  db: AppDatabase,
  ctx: WriteContext,
  input: VillageInput,
  id?: string,
): Promise<VillageRow> {
  const data = parseOrThrow(villageSchema.safeParse(input));
  return db.transaction('rw', [db.villages, ...outboxTables(db)], () =>
    writeRecord(db, ctx, { entity: 'village', id: id ?? ctx.newId(), data }),
  );
}

/** Live villages sorted by name the Vietnamese way. */
export async function listVillages(db: AppDatabase): Promise<VillageRow[]> {
  const rows = await db.villages.filter((v) => v.deleted === 0).toArray();
  return rows.sort((a, b) => a.data.name.localeCompare(b.data.name, 'vi'));
}

export function deleteVillage(db: AppDatabase, ctx: WriteContext, id: string): Promise<boolean> {
  return db.transaction('rw', [db.villages, ...outboxTables(db)], () =>
    tombstoneRecord(db, ctx, { entity: 'village', id }),
  );
}
