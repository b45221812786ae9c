import { buildCitizenSchema, type CitizenData } from '../../shared/schemas/citizen.schema';
import type { AppDatabase, LocalRecord } from './db';
import { outboxTables } from './outbox.repository';
import { writeRecord } from './record-writes';
import { parseOrThrow, RecordValidationError, type WriteContext } from './write-context';

export type CitizenRow = LocalRecord<CitizenData>;

/**
 * Saves one citizen on their own (e.g. from the citizen form). The household must exist on this
 * device: a citizen without a household is refused.
 */
export async function saveCitizen(
  db: AppDatabase,
  ctx: WriteContext,
  input: Record<string, unknown>,
  id?: string,
): Promise<CitizenRow> {
  const data = parseOrThrow(buildCitizenSchema(ctx.now.getFullYear()).safeParse(input));
  return db.transaction('rw', [db.households, db.citizens, ...outboxTables(db)], async () => {
    const household = await db.households.get(data.householdId);
    if (!household || household.deleted === 1)
      throw new RecordValidationError([{ path: ['householdId'], message: 'errors.citizen.householdMissing' }]);
    return writeRecord(db, ctx, { entity: 'citizen', id: id ?? ctx.newId(), data });
  });
}

export async function listMembers(db: AppDatabase, householdId: string): Promise<CitizenRow[]> {
  const rows = await db.citizens
    .where('data.householdId')
    .equals(householdId)
    .filter((c) => c.deleted === 0)
    .toArray();
  const order = (c: CitizenRow) => (c.data.relation === 'chu_ho' ? 0 : 1);
  return rows.sort((a, b) => order(a) - order(b) || a.data.birthYear - b.data.birthYear);
}
