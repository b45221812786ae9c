import { clanSchema, type ClanData, type ClanInput } from '../../shared/schemas/clan.schema';
import type { AppDatabase, LocalRecord } from './db';
import { outboxTables } from './outbox.repository';
import { restoreRecord, tombstoneRecord, writeRecord } from './record-writes';
import { parseOrThrow, RecordValidationError, type WriteContext } from './write-context';

export type ClanRow = LocalRecord<ClanData>;

/**
 * Creates or updates a clan. Its villages and member households must be live on this device.
 * Offline: a local write with its outbox op. Bad input → RecordValidationError, nothing stored.
 */
export async function saveClan(db: AppDatabase, ctx: WriteContext, input: ClanInput, id?: string): Promise<ClanRow> {
  const data = parseOrThrow(clanSchema.safeParse(input));
  return db.transaction('rw', [db.clans, db.villages, db.households, ...outboxTables(db)], async () => {
    const villages = await db.villages.bulkGet(data.villageIds);
    if (villages.some((v) => !v || v.deleted === 1))
      throw new RecordValidationError([{ path: ['villageIds'], message: 'errors.clan.villageMissing' }]);
    const households = await db.households.bulkGet(data.memberHouseholdIds);
    if (households.some((h) => !h || h.deleted === 1)) {
      throw new RecordValidationError([{ path: ['memberHouseholdIds'], message: 'errors.clan.householdMissing' }]);
    }
    return writeRecord(db, ctx, {
      entity: 'clan',
      id: id ?? ctx.newId(),
      data: { ...data, memberHouseholdIds: [...new Set(data.memberHouseholdIds)] },
    });
  });
}

export async function listClans(db: AppDatabase): Promise<ClanRow[]> {
  const rows = await db.clans.filter((c) => c.deleted === 0).toArray();
  return rows.sort((a, b) => a.data.name.localeCompare(b.data.name, 'vi'));
}

export function deleteClan(db: AppDatabase, ctx: WriteContext, id: string) {
  return db.transaction('rw', [db.clans, ...outboxTables(db)], () => tombstoneRecord(db, ctx, { entity: 'clan', id }));
}
export function restoreClan(db: AppDatabase, ctx: WriteContext, id: string) {
  return db.transaction('rw', [db.clans, ...outboxTables(db)], () => restoreRecord(db, ctx, { entity: 'clan', id }));
}
