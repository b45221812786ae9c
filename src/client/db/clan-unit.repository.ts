import { clanSchema, type ClanData, type ClanInput } from '../../shared/schemas/clan.schema';
import { unitSchema, type UnitData, type UnitInput } from '../../shared/schemas/unit.schema';
import type { AppDatabase, LocalRecord } from './db';
import { restoreRecord, tombstoneRecord, writeRecord } from './record-writes';
import { parseOrThrow, RecordValidationError, type WriteContext } from './write-context';

export type ClanRow = LocalRecord<ClanData>;
export type UnitRow = LocalRecord<UnitData>;

/**
 * Creates or updates a clan. Its villages and member households must be live on this device.
 * Offline: a local write with its outbox op. Bad input → RecordValidationError, nothing stored.
 */
export async function saveClan(db: AppDatabase, ctx: WriteContext, input: ClanInput, id?: string): Promise<ClanRow> {
  const data = parseOrThrow(clanSchema.safeParse(input));
  return db.transaction('rw', [db.clans, db.villages, db.households, db.outbox], async () => {
    const villages = await db.villages.bulkGet(data.villageIds);
    if (villages.some((v) => !v || v.deleted === 1)) throw new RecordValidationError([{ path: ['villageIds'], message: 'errors.clan.villageMissing' }]);
    const households = await db.households.bulkGet(data.memberHouseholdIds);
    if (households.some((h) => !h || h.deleted === 1)) {
      throw new RecordValidationError([{ path: ['memberHouseholdIds'], message: 'errors.clan.householdMissing' }]);
    }
    return writeRecord(db, ctx, { table: 'clans', entity: 'clan', id: id ?? ctx.newId(), data: { ...data, memberHouseholdIds: [...new Set(data.memberHouseholdIds)] } });
  });
}

/** Creates or updates a unit (cơ quan, trường học, doanh nghiệp…) on the commune's territory. */
export async function saveUnit(db: AppDatabase, ctx: WriteContext, input: UnitInput, id?: string): Promise<UnitRow> {
  const data = parseOrThrow(unitSchema.safeParse(input));
  return db.transaction('rw', [db.units, db.villages, db.outbox], async () => {
    if (data.villageId) {
      const village = await db.villages.get(data.villageId);
      if (!village || village.deleted === 1) throw new RecordValidationError([{ path: ['villageId'], message: 'errors.household.villageMissing' }]);
    }
    return writeRecord(db, ctx, { table: 'units', entity: 'unit', id: id ?? ctx.newId(), data });
  });
}

export async function listClans(db: AppDatabase): Promise<ClanRow[]> {
  const rows = await db.clans.filter((c) => c.deleted === 0).toArray();
  return rows.sort((a, b) => a.data.name.localeCompare(b.data.name, 'vi'));
}

export async function listUnits(db: AppDatabase): Promise<UnitRow[]> {
  const rows = await db.units.filter((u) => u.deleted === 0).toArray();
  return rows.sort((a, b) => a.data.name.localeCompare(b.data.name, 'vi'));
}

export function deleteClan(db: AppDatabase, ctx: WriteContext, id: string) {
  return db.transaction('rw', db.clans, db.outbox, () => tombstoneRecord(db, ctx, { table: 'clans', entity: 'clan', id }));
}
export function restoreClan(db: AppDatabase, ctx: WriteContext, id: string) {
  return db.transaction('rw', db.clans, db.outbox, () => restoreRecord(db, ctx, { table: 'clans', entity: 'clan', id }));
}
export function deleteUnit(db: AppDatabase, ctx: WriteContext, id: string) {
  return db.transaction('rw', db.units, db.outbox, () => tombstoneRecord(db, ctx, { table: 'units', entity: 'unit', id }));
}
export function restoreUnit(db: AppDatabase, ctx: WriteContext, id: string) {
  return db.transaction('rw', db.units, db.outbox, () => restoreRecord(db, ctx, { table: 'units', entity: 'unit', id }));
}
