import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type AppDatabase } from './db';
import { buildWriteContext } from '../../../tests/factories/records';
import { searchHouseholds } from './household-search';
import { readSendState, wireSeqOf } from './outbox-state';
import { takeBatch } from './outbox.repository';
import { serverVersionOf } from './server-versions';
import { readSetting } from './settings.repository';
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
    await old.table('villages').put({
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
    expect(await serverVersionOf(db, { id: 'r599' })).toBe(1);
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
    await old.table('villages').put({
      id: 'v1',
      communeCode: '25942',
      version: 3,
      deleted: 0,
      updatedAt: '2026-11-24T00:00:00Z',
      data: { name: 'Thôn Đông', kind: 'thon', isDisadvantagedArea: false },
    });
    old.close();

    db = await openDatabase(NAME);
    expect(await serverVersionOf(db, await db.villages.get('v1'))).toBe(3);
    await saveVillage(db, buildWriteContext(), { name: 'Thôn Đông Mới', kind: 'thon' }, 'v1');
    expect((await db.outbox.toArray()).map((o) => o.baseVersion)).toEqual([3]);
  });
});

/** The database as schema version 10 left it (every table, its indexes). */
function versionTen(): Dexie {
  const old = new Dexie(NAME);
  old.version(10).stores({
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
    learnedVersions: '++id, *recordIds, entries',
  });
  return old;
}

describe('opening a database written by schema version 10', () => {
  it('keeps every unsent change with the seqs a push already gave it, and every server version, each now in its one place', async () => {
    const old = versionTen();
    const at = '2026-12-01T00:00:00Z';
    const village = (id: string, name: string, version: number | null) => ({
      id,
      communeCode: '25942',
      version,
      deleted: 0,
      updatedAt: at,
      data: { name, kind: 'thon', isDisadvantagedArea: false },
    });
    await old.table('villages').bulkPut([village('v1', 'Thôn Đông', 3), village('v2', 'Thôn Tây', null)]);
    await old.table('households').put({
      ...village('h1', '', 2),
      data: { villageId: 'v1', headName: 'Nguyễn Văn An' },
      searchText: 'nguyen van an',
    });
    // A push answer taught v1 a newer version than its row holds.
    await old.table('learnedVersions').add({ recordIds: ['v1'], versions: [4], entries: 1 });
    const op = (opId: string, recordId: string, baseVersion: number | null) => ({
      opId,
      entity: recordId.startsWith('h') ? 'household' : 'village',
      recordId,
      communeCode: '25942',
      kind: 'upsert',
      baseVersion,
      data: { name: opId },
      clientTime: at,
      attempts: 0,
    });
    // Keys 1 and 2 went out in a push that was never answered (seqs 5 and 6); key 3 never went.
    await old.table('outbox').bulkAdd([op('op-a', 'v1', 4), op('op-b', 'h1', 2), op('op-c', 'v2', null)]);
    await old.table('settings').bulkPut([
      { key: 'sendState', value: { frozenThrough: 2, runs: [[1, 2, 5]] }, updatedAt: at },
      { key: 'lastWireSeq', value: 6, updatedAt: at },
      { key: 'pullCursor', value: 'c-41', updatedAt: at },
    ]);
    old.close();

    db = await openDatabase(NAME);
    const state = await readSendState(db);
    expect(state).toEqual({ frozenThrough: 2, runs: [[1, 2, 5]], lastWireSeq: 6 });
    expect(await db.settings.toCollection().primaryKeys()).toEqual(['pullCursor']);
    const ops = await db.outbox.orderBy('seq').toArray();
    expect(ops.map((o) => [o.opId, o.baseVersion, wireSeqOf(o, state)])).toEqual([
      ['op-a', 4, 5],
      ['op-b', 2, 6],
      ['op-c', null, undefined],
    ]);
    expect(await readSetting(db, 'pullCursor')).toBe('c-41');

    const rows = [await db.villages.get('v1'), await db.villages.get('v2'), await db.households.get('h1')];
    expect(await Promise.all(rows.map((row) => serverVersionOf(db!, row)))).toEqual([4, null, 2]);
    expect(rows[2]).toMatchObject({ searchText: 'nguyen van an', data: { headName: 'Nguyễn Văn An' } });

    // The retry resends the carried ops with their seqs; the unsent one gets the next seq.
    const limits = { maxOps: 500, maxBytes: 1_000_000, bytesOf: () => 100 };
    expect((await takeBatch(db, limits)).map((s) => [s.op.opId, s.wireSeq])).toEqual([
      ['op-a', 5],
      ['op-b', 6],
      ['op-c', 7],
    ]);
  });
});
