import { buildMemberSchema } from '../../shared/schemas/citizen.schema';
import { householdSchema, type HouseholdInput } from '../../shared/schemas/household.schema';
import type { AppDatabase, HouseholdRow } from './db';
import { outboxTables } from './outbox.repository';
import { restoreRecord, tombstoneRecord, writeRecord } from './record-writes';
import { RecordValidationError, type WriteContext } from './write-context';

/** A household as its form edits it: the household's own fields and its members. */
export interface HouseholdFormValues {
  household: Omit<HouseholdInput, 'headName'>;
  /** `id` is set for members that already exist; a missing member is removed (tombstone). */
  members: ({ id?: string } & Record<string, unknown>)[];
}

/**
 * Saves a household and all its members in one transaction, with one outbox op per changed
 * record. Exactly one member must be the head (chủ hộ); the household's `headName` follows them.
 * Offline it is a local write like any other. Bad input → RecordValidationError, nothing stored.
 */
export async function saveHouseholdWithMembers(
  db: AppDatabase,
  ctx: WriteContext,
  values: HouseholdFormValues,
  householdId?: string,
): Promise<HouseholdRow> {
  const memberSchema = buildMemberSchema(ctx.now.getFullYear());
  const issues: RecordValidationError['issues'][number][] = [];
  const members = values.members.map((m, index) => {
    const parsed = memberSchema.safeParse(m);
    if (parsed.success) return { id: typeof m.id === 'string' ? m.id : undefined, data: parsed.data };
    issues.push(
      ...parsed.error.issues.map((i) => ({ path: ['members', index, ...i.path.map(String)], message: i.message })),
    );
    return undefined;
  });
  if (values.members.length === 0) issues.push({ path: ['members'], message: 'errors.household.noMembers' });
  const heads = members.filter((m) => m?.data.relation === 'chu_ho');
  if (issues.length === 0 && heads.length !== 1) {
    issues.push({
      path: ['members'],
      message: heads.length === 0 ? 'errors.household.noHead' : 'errors.household.manyHeads',
    });
  }
  const headName = heads[0]?.data.fullName ?? '';
  const householdParse = householdSchema.safeParse({ ...values.household, headName: headName || 'x' });
  if (!householdParse.success) {
    issues.push(
      ...householdParse.error.issues.map((i) => ({ path: ['household', ...i.path.map(String)], message: i.message })),
    );
  }
  if (issues.length > 0 || !householdParse.success) throw new RecordValidationError(issues);
  const household = { ...householdParse.data, headName };
  const id = householdId ?? ctx.newId();

  return db.transaction('rw', [db.households, db.citizens, db.villages, ...outboxTables(db)], async () => {
    const village = await db.villages.get(household.villageId);
    if (!village || village.deleted === 1)
      throw new RecordValidationError([
        { path: ['household', 'villageId'], message: 'errors.household.villageMissing' },
      ]);
    const keep = new Set<string>();
    for (const member of members) {
      if (!member) continue;
      const memberId = member.id ?? ctx.newId();
      keep.add(memberId);
      await writeRecord(db, ctx, {
        entity: 'citizen',
        id: memberId,
        data: { ...member.data, householdId: id },
      });
    }
    const previous = await db.citizens.where('data.householdId').equals(id).toArray();
    for (const old of previous) {
      if (!keep.has(old.id) && old.deleted === 0) await tombstoneRecord(db, ctx, { entity: 'citizen', id: old.id });
    }
    return writeRecord(db, ctx, {
      entity: 'household',
      id,
      data: household,
    });
  });
}

/** Households of a village, live only, by head name the Vietnamese way. */
export async function listHouseholds(db: AppDatabase, villageId: string): Promise<HouseholdRow[]> {
  const rows = await db.households
    .where('data.villageId')
    .equals(villageId)
    .filter((h) => h.deleted === 0)
    .toArray();
  return rows.sort((a, b) => a.data.headName.localeCompare(b.data.headName, 'vi'));
}

/** Tombstones the household and its members together; `restoreHousehold` undoes both. */
export function deleteHousehold(db: AppDatabase, ctx: WriteContext, id: string): Promise<boolean> {
  return db.transaction('rw', [db.households, db.citizens, ...outboxTables(db)], async () => {
    const members = await db.citizens
      .where('data.householdId')
      .equals(id)
      .filter((c) => c.deleted === 0)
      .toArray();
    for (const m of members) await tombstoneRecord(db, ctx, { entity: 'citizen', id: m.id });
    await db.households.update(id, { deletedMemberIds: members.map((m) => m.id) });
    return tombstoneRecord(db, ctx, { entity: 'household', id });
  });
}

export function restoreHousehold(db: AppDatabase, ctx: WriteContext, id: string): Promise<boolean> {
  return db.transaction('rw', [db.households, db.citizens, ...outboxTables(db)], async () => {
    const row = await db.households.get(id);
    for (const memberId of row?.deletedMemberIds ?? [])
      await restoreRecord(db, ctx, { entity: 'citizen', id: memberId });
    return restoreRecord(db, ctx, { entity: 'household', id });
  });
}
