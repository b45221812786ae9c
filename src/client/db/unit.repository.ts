import { unitSchema, type UnitData, type UnitInput } from '../../shared/schemas/unit.schema';
import type { AppDatabase, LocalRecord } from './db';
import { outboxTables } from './outbox.repository';
import { restoreRecord, tombstoneRecord, writeRecord } from './record-writes';
import { parseOrThrow, RecordValidationError, type WriteContext } from './write-context';

export type UnitRow = LocalRecord<UnitData>;

/** Creates or updates a unit (cơ quan, trường học, doanh nghiệp…) on the commune's territory. */
export async function saveUnit(db: AppDatabase, ctx: WriteContext, input: UnitInput, id?: string): Promise<UnitRow> {
  const data = parseOrThrow(unitSchema.safeParse(input));
  return db.transaction('rw', [db.units, db.villages, ...outboxTables(db)], async () => {
    if (data.villageId) {
      const village = await db.villages.get(data.villageId);
      if (!village || village.deleted === 1)
        throw new RecordValidationError([{ path: ['villageId'], message: 'errors.household.villageMissing' }]);
    }
    return writeRecord(db, ctx, { entity: 'unit', id: id ?? ctx.newId(), data });
  });
}

export async function listUnits(db: AppDatabase): Promise<UnitRow[]> {
  const rows = await db.units.filter((u) => u.deleted === 0).toArray();
  return rows.sort((a, b) => a.data.name.localeCompare(b.data.name, 'vi'));
}

export function deleteUnit(db: AppDatabase, ctx: WriteContext, id: string) {
  return db.transaction('rw', [db.units, ...outboxTables(db)], () => tombstoneRecord(db, ctx, { entity: 'unit', id }));
}
export function restoreUnit(db: AppDatabase, ctx: WriteContext, id: string) {
  return db.transaction('rw', [db.units, ...outboxTables(db)], () => restoreRecord(db, ctx, { entity: 'unit', id }));
}
