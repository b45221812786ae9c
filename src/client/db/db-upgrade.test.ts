import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type AppDatabase } from './db';
import { buildWriteContext } from '../../../tests/factories/records';
import { searchHouseholds } from './household-search';
import { serverVersionOf } from './server-versions';
import { saveVillage } from './village.repository';

const NAME = 'upgrade-from-v6';
let db: AppDatabase | undefined;

afterEach(async () => {
  db?.close();
  await Dexie.delete(NAME);
});

/** The database as schema version 6 left it on a phone (every table, its indexes). */
function versionSix(): Dexie {
  const old = new Dexie(NAME);
  old.version(6).stores({
    settings: 'key',
    villages: 'id',
    households: 'id, data.villageId, [deleted+data.villageId]',
    citizens: 'id, data.householdId',
    clans: 'id',
    units: 'id',
    assessments: 'id, subjectKey, [data.title+data.year]',
    outbox: '++seq, &opId, recordId',
    drafts: 'key',
    attachments: 'id, ownerKey, uploaded',
    conflicts: 'opId, recordId',
    rejections: 'opId, recordId',
  });
  return old;
}

describe('opening a database written by schema version 8', () => {
  it('keeps the versions its push answers taught, one row per answer now, and drops the table of one row per record', async () => {
    const old = new Dexie(NAME);
    old.version(8).stores({ settings: 'key', villages: 'id', outbox: '++seq, &opId, recordId', serverVersions: 'id' });
    await old.open();
    await old
      .table('villages')
      .put({
        id: 'v1',
        communeCode: '25942',
        version: null,
        deleted: 0,
        updatedAt: '2026-11-24T00:00:00Z',
        data: { name: 'Thôn Đông', kind: 'thon', isDisadvantagedArea: false },
      });
    await old
      .table('serverVersions')
      .bulkPut([...Array.from({ length: 600 }, (_, i) => ({ id: `r${i}`, version: 1 })), { id: 'v1', version: 4 }]);
    old.close();

    db = await openDatabase(NAME);
    expect(db.tables.map((t) => t.name)).not.toContain('serverVersions');
    expect(await db.learnedVersions.count()).toBe(2);
    expect(await serverVersionOf(db, await db.villages.get('v1'))).toBe(4);
    expect(await serverVersionOf(db, { id: 'r599', version: null })).toBe(1);
    await saveVillage(db, buildWriteContext(), { name: 'Thôn Đông Mới', kind: 'thon' }, 'v1');
    expect((await db.outbox.toArray()).map((o) => o.baseVersion)).toEqual([4]);
  });
});

describe('opening a database written by schema version 6', () => {
  it("drops the member names copied into a household's search text, so a member who moved out no longer finds it", async () => {
    const old = versionSix();
    const common = { communeCode: '25942', version: 3, deleted: 0, updatedAt: '2026-11-24T00:00:00Z' };
    await old.table('households').bulkPut([
      {
        ...common,
        id: 'h1',
        data: { villageId: 'v1', headName: 'Nguyễn Văn An', address: 'Xóm 2' },
        searchText: 'nguyen van an xom 2 nguyen minh chau',
      },
      { ...common, id: 'h2', data: { villageId: 'v1', headName: 'Lê Thị Hoa' }, searchText: 'le thi hoa' },
    ]);
    await old
      .table('citizens')
      .put({ ...common, id: 'c1', data: { householdId: 'h2', fullName: 'Nguyễn Minh Châu', birthYear: 2010 } });
    old.close();

    db = await openDatabase(NAME);
    expect((await db.households.get('h1'))?.searchText).toBe('nguyen van an xom 2');
    expect((await searchHouseholds(db, ['v1'], 'nguyen minh chau')).map((h) => h.id)).toEqual(['h2']);
    expect((await searchHouseholds(db, ['v1'], 'xom 2')).map((h) => h.id)).toEqual(['h1']);
  });

  it('keeps the server versions its records hold, so the next edits are based on them', async () => {
    const old = versionSix();
    await old
      .table('villages')
      .put({
        id: 'v1',
        communeCode: '25942',
        version: 3,
        deleted: 0,
        updatedAt: '2026-11-24T00:00:00Z',
        data: { name: 'Thôn Đông', kind: 'thon', isDisadvantagedArea: false },
      });
    old.close();

    db = await openDatabase(NAME);
    expect(await db.learnedVersions.count()).toBe(0);
    expect(await serverVersionOf(db, await db.villages.get('v1'))).toBe(3);
    await saveVillage(db, buildWriteContext(), { name: 'Thôn Đông Mới', kind: 'thon' }, 'v1');
    expect((await db.outbox.toArray()).map((o) => o.baseVersion)).toEqual([3]);
  });
});
