import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildHouseholdForm, buildMember, buildWriteContext } from '../../../tests/factories/records';
import { openDatabase, type AppDatabase } from './db';
import { deleteHousehold, listHouseholds, restoreHousehold, saveHouseholdWithMembers } from './household.repository';
import { listMembers, saveCitizen } from './citizen.repository';
import { searchHouseholds } from './household-search';
import { isFrozen, readSendState } from './outbox-state';
import { takeAll } from './outbox.repository';
import { saveVillage } from './village.repository';
import { RecordValidationError } from './write-context';

let db: AppDatabase;
let villageId: string;
const ctx = buildWriteContext();

beforeEach(async () => {
  db = await openDatabase(`households-${Math.random()}`);
  villageId = (await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' })).id;
  await db.outbox.clear();
});
afterEach(async () => {
  db.close();
  await db.delete();
});

async function expectIssue(promise: Promise<unknown>, message: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RecordValidationError);
  expect((error as RecordValidationError).issues.map((i) => i.message)).toContain(message);
}

describe('saving a household with its members', () => {
  it('stores the household, three citizens and one outbox op for each, together', async () => {
    const row = await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(villageId));
    expect(row.data).toMatchObject({ villageId, headName: 'Nguyễn Văn An', phone: '0912345678', address: 'Xóm 2' });
    expect(await listMembers(db, row.id)).toHaveLength(3);
    const ops = await db.outbox.toArray();
    expect(ops.map((o) => o.entity).sort()).toEqual(['citizen', 'citizen', 'citizen', 'household']);
    expect(ops.every((o) => o.kind === 'upsert' && o.baseVersion === null && o.communeCode === '25942')).toBe(true);
  });

  it('is found by a member name typed without diacritics', async () => {
    const row = await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(villageId));
    expect((await searchHouseholds(db, [villageId], 'nguyen minh chau')).map((h) => h.id)).toEqual([row.id]);
    expect(await searchHouseholds(db, [villageId], 'nguyen minh chau hung')).toEqual([]);
  });

  it.each([
    ['no head of household', { members: [buildMember({ relation: 'con' })] }, 'errors.household.noHead'],
    [
      'two heads of household',
      { members: [buildMember(), buildMember({ fullName: 'Lê Văn Cường' })] },
      'errors.household.manyHeads',
    ],
    ['no members at all', { members: [] }, 'errors.household.noMembers'],
    ['an empty member name', { members: [buildMember({ fullName: '   ' })] }, 'errors.required'],
    ['a birth year in the future', { members: [buildMember({ birthYear: 2027 })] }, 'errors.birthYear.future?max=2026'],
    ['a malformed phone number', { household: { villageId, phone: '12345' } }, 'errors.phone.invalid'],
  ])('refuses a household with %s and stores nothing', async (_case, overrides, message) => {
    await expectIssue(saveHouseholdWithMembers(db, ctx, buildHouseholdForm(villageId, overrides)), message);
    expect(await db.households.count()).toBe(0);
    expect(await db.citizens.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('refuses a household whose village does not exist, leaving no member and no op behind', async () => {
    const form = buildHouseholdForm(ctx.newId());
    await expectIssue(saveHouseholdWithMembers(db, ctx, form), 'errors.household.villageMissing');
    expect(await db.citizens.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('tombstones a member removed from the form', async () => {
    const row = await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(villageId));
    const members = await listMembers(db, row.id);
    const kept = members.filter((m) => m.data.fullName !== 'Nguyễn Minh Châu').map((m) => ({ id: m.id, ...m.data }));
    await saveHouseholdWithMembers(db, ctx, { household: { villageId }, members: kept }, row.id);
    expect((await listMembers(db, row.id)).map((m) => m.data.fullName)).toEqual(['Nguyễn Văn An', 'Trần Thị Bình']);
    const removed = await db.citizens.filter((c) => c.data.fullName === 'Nguyễn Minh Châu').first();
    expect(removed?.deleted).toBe(1);
  });
});

describe('saving a citizen on their own', () => {
  it('refuses a citizen without a household and stores nothing', async () => {
    await expectIssue(
      saveCitizen(db, ctx, { ...buildMember(), householdId: ctx.newId() }),
      'errors.citizen.householdMissing',
    );
    expect(await db.citizens.count()).toBe(0);
  });

  it('adds a member to an existing household and makes them findable', async () => {
    const row = await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(villageId));
    await saveCitizen(db, ctx, {
      ...buildMember({ fullName: 'Phạm Thị Dung', relation: 'ong_ba', birthYear: 1950 }),
      householdId: row.id,
    });
    expect((await searchHouseholds(db, [villageId], 'PHAM thi dung')).map((h) => h.id)).toEqual([row.id]);
  });

  it('is no longer found under the old household once moved to another', async () => {
    const from = await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(villageId));
    const to = await saveHouseholdWithMembers(
      db,
      ctx,
      buildHouseholdForm(villageId, { members: [buildMember({ fullName: 'Hoàng Văn Tú' })] }),
    );
    const moving = (await listMembers(db, from.id)).find((m) => m.data.fullName === 'Nguyễn Minh Châu');
    if (!moving) throw new Error('the form has Nguyễn Minh Châu');
    await saveCitizen(db, ctx, { ...moving.data, householdId: to.id }, moving.id);
    expect((await searchHouseholds(db, [villageId], 'nguyen minh chau')).map((h) => h.id)).toEqual([to.id]);
  });
});

describe('the outbox', () => {
  it('keeps one op per record when it is edited again before any sync', async () => {
    const row = await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(villageId));
    const members = (await listMembers(db, row.id)).map((m) => ({ id: m.id, ...m.data }));
    await saveHouseholdWithMembers(db, ctx, { household: { villageId, address: 'Xóm 3' }, members }, row.id);
    const ops = await db.outbox.where('recordId').equals(row.id).toArray();
    expect(ops).toHaveLength(1);
    expect(ops[0]?.data).toMatchObject({ address: 'Xóm 3' });
  });

  it('never changes an op a push already carried: a later edit gets its own op', async () => {
    const row = await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(villageId));
    await takeAll(db); // as a push (or an export) carries them
    const members = (await listMembers(db, row.id)).map((m) => ({ id: m.id, ...m.data }));
    await saveHouseholdWithMembers(db, ctx, { household: { villageId, address: 'Xóm 3' }, members }, row.id);
    const ops = await db.outbox.where('recordId').equals(row.id).sortBy('seq');
    const state = await readSendState(db);
    expect(ops.map((o) => [isFrozen(o, state), (o.data as { address?: string }).address])).toEqual([
      [true, 'Xóm 2'],
      [false, 'Xóm 3'],
    ]);
  });
});

describe('saving without changes', () => {
  it('adds no op for members (or a household) whose data did not change', async () => {
    const row = await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(villageId));
    await db.outbox.clear();
    const members = (await listMembers(db, row.id)).map((m) => ({ id: m.id, ...m.data }));
    await saveHouseholdWithMembers(
      db,
      ctx,
      { household: { villageId, address: 'Xóm 2', phone: '0912345678' }, members },
      row.id,
    );
    expect(await db.outbox.count()).toBe(0);

    members[2] = { ...members[2]!, schooling: 'da_tot_nghiep' };
    await saveHouseholdWithMembers(
      db,
      ctx,
      { household: { villageId, address: 'Xóm 2', phone: '0912345678' }, members },
      row.id,
    );
    expect((await db.outbox.toArray()).map((o) => o.entity)).toEqual(['citizen']);
  });
});

describe('deleting a household', () => {
  it('tombstones it with its members, and undo brings exactly them back', async () => {
    const row = await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(villageId));
    await deleteHousehold(db, ctx, row.id);
    expect(await listHouseholds(db, villageId)).toHaveLength(0);
    expect(await listMembers(db, row.id)).toHaveLength(0);
    expect(await db.households.count()).toBe(1); // a tombstone, never erased

    await restoreHousehold(db, ctx, row.id);
    expect(await listHouseholds(db, villageId)).toHaveLength(1);
    expect(await listMembers(db, row.id)).toHaveLength(3);
  });
});
