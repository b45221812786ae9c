import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWriteContext, COMMUNE_CODE, TEST_NOW } from '../../../tests/factories/records';
import type { PullResponse, RecordEnvelope } from '../../shared/protocol/sync.schema';
import { listConflicts } from '../db/conflict.repository';
import { openDatabase, type AppDatabase } from '../db/db';
import { learnServerVersions, serverVersionOf } from '../db/server-versions';
import { saveVillage } from '../db/village.repository';
import { pullChanges } from './apply-pull';
import type { SyncTransport } from './transport';

const OTHER_DEVICE = '0196f0c2-8a4b-7c3d-9e8f-00000000d002';
const VILLAGE = '0196f0c2-8a4b-7c3d-9e8f-0000000000a1';
const OTHER_VILLAGE = '0196f0c2-8a4b-7c3d-9e8f-0000000000a2';
const ctx = buildWriteContext();
let db: AppDatabase;

beforeEach(async () => {
  db = await openDatabase(`apply-pull-${Math.random()}`);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

function envelope(overrides: Partial<RecordEnvelope>): RecordEnvelope {
  return {
    entity: 'village',
    id: VILLAGE,
    communeCode: COMMUNE_CODE,
    version: 1,
    deleted: false,
    updatedAt: TEST_NOW.toISOString(),
    updatedBy: OTHER_DEVICE,
    data: { name: 'Thôn Đông', kind: 'thon', isDisadvantagedArea: false },
    ...overrides,
  };
}

/** Pulls exactly these changes, as one page from a server. */
async function pull(...changes: RecordEnvelope[]) {
  let call = 0;
  const transport: SyncTransport = {
    pull: () => {
      call += 1;
      const value: PullResponse = { changes, cursor: `c${call}`, hasMore: false };
      return Promise.resolve({ ok: true, value });
    },
    push: () => Promise.resolve({ ok: false, kind: 'offline' }),
    receipt: () => Promise.resolve({ ok: false, kind: 'offline' }),
  };
  const answer = await pullChanges(db, transport, () => TEST_NOW);
  expect(answer.ok).toBe(true);
}

describe('a pulled record at the version this device already holds', () => {
  it('replaces my copy when the server holds other data at that version (its validated data, its own score)', async () => {
    await pull(
      envelope({ data: { name: 'Thôn Đông', kind: 'thon', isDisadvantagedArea: false, extra: 'kept by my old app' } }),
    );
    await pull(envelope({ data: { name: 'Thôn Đông', kind: 'thon', isDisadvantagedArea: false } }));
    expect((await db.villages.get(VILLAGE))?.data).toEqual({
      name: 'Thôn Đông',
      kind: 'thon',
      isDisadvantagedArea: false,
    });
  });

  it('is not written again when its data is the same, whatever the order of its keys', async () => {
    await pull(envelope({ updatedAt: '2026-11-24T01:00:00.000Z' }));
    await pull(
      envelope({
        updatedAt: '2026-11-24T02:00:00.000Z',
        data: { isDisadvantagedArea: false, kind: 'thon', name: 'Thôn Đông' },
      }),
    );
    expect((await db.villages.get(VILLAGE))?.updatedAt).toBe('2026-11-24T01:00:00.000Z');
  });

  it('leaves my copy alone while I have an unsent change to it', async () => {
    await pull(envelope({}));
    await saveVillage(db, ctx, { name: 'Thôn Đông Mới', kind: 'thon' }, VILLAGE);
    await pull(envelope({ data: { name: 'Thôn Đông', kind: 'khu_pho', isDisadvantagedArea: false } }));
    expect((await db.villages.get(VILLAGE))?.data).toMatchObject({ name: 'Thôn Đông Mới', kind: 'thon' });
  });
});

describe('a record that left my villages (outOfScope)', () => {
  it('is removed from this device', async () => {
    await pull(envelope({}));
    await pull(envelope({ version: 2, data: null, outOfScope: true }));
    expect(await db.villages.get(VILLAGE)).toBeUndefined();
    expect(await listConflicts(db)).toEqual([]);
  });

  it('takes my unsent change to it out of the outbox and into the conflict list, marked as out of scope, with what I typed', async () => {
    await pull(envelope({}));
    await saveVillage(db, ctx, { name: 'Thôn Đông Mới', kind: 'thon' }, VILLAGE);
    await pull(envelope({ version: 2, data: null, outOfScope: true }));
    expect(await db.villages.get(VILLAGE)).toBeUndefined();
    expect(await db.outbox.count()).toBe(0);
    expect(await listConflicts(db)).toEqual([
      expect.objectContaining({
        recordId: VILLAGE,
        entity: 'village',
        outOfScope: true,
        mine: expect.objectContaining({ name: 'Thôn Đông Mới' }),
        theirs: null,
        theirsVersion: 2,
      }),
    ]);
  });

  it('changes nothing when this device never held the record', async () => {
    await pull(envelope({ version: 3, data: null, outOfScope: true }));
    expect(await db.villages.count()).toBe(0);
    expect(await listConflicts(db)).toEqual([]);
  });
});

describe('a pulled tombstone, which carries no data', () => {
  it('marks my copy deleted and keeps its data, so the register and undo still read it', async () => {
    await pull(envelope({}));
    await pull(envelope({ version: 2, deleted: true, data: null }));
    const row = await db.villages.get(VILLAGE);
    expect(row?.deleted).toBe(1);
    expect(await serverVersionOf(db, row)).toBe(2);
    expect(row?.data).toEqual({ name: 'Thôn Đông', kind: 'thon', isDisadvantagedArea: false });
  });

  it('stores nothing for a record this device never held', async () => {
    await pull(envelope({ version: 2, deleted: true, data: null }));
    expect(await db.villages.get(VILLAGE)).toBeUndefined();
  });
});

describe('the server version a pulled record teaches', () => {
  const named = (name: string) => ({ name, kind: 'thon', isDisadvantagedArea: false });

  it("is learned for every record the page writes, and an older version never overwrites what a push's answer gave", async () => {
    const row = await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' }, VILLAGE);
    await db.outbox.clear(); // as if pushed and answered
    await learnServerVersions(db, [{ recordId: row.id, version: 2 }]);

    await pull(
      envelope({ version: 1, data: named('Thôn Cũ') }),
      envelope({ id: OTHER_VILLAGE, data: named('Thôn Mới') }),
    );
    expect((await db.villages.get(VILLAGE))?.data.name).toBe('Thôn Đông');
    expect((await db.villages.get(OTHER_VILLAGE))?.data.name).toBe('Thôn Mới');
    expect(await serverVersionOf(db, await db.villages.get(OTHER_VILLAGE))).toBe(1);

    await pull(envelope({ version: 3, data: named('Thôn Đông (của xã)') }));
    expect((await db.villages.get(VILLAGE))?.data.name).toBe('Thôn Đông (của xã)');
    expect(await serverVersionOf(db, await db.villages.get(VILLAGE))).toBe(3);
  });

  it('is not learned while I have an unsent change to the record, so my push meets the newer one as a conflict', async () => {
    await pull(envelope({}));
    await saveVillage(db, ctx, { name: 'Thôn Đông Mới', kind: 'thon' }, VILLAGE);
    await pull(envelope({ version: 2, data: named('Thôn Đông (của xã)') }));
    expect(await serverVersionOf(db, await db.villages.get(VILLAGE))).toBe(1);
    expect((await db.outbox.toArray()).map((op) => op.baseVersion)).toEqual([1]);
  });

  it('does not keep a record that left my villages from coming back at the same version (a member whose household moved away and back)', async () => {
    await pull(envelope({}));
    await pull(envelope({ data: null, outOfScope: true }));
    await pull(envelope({}));
    expect((await db.villages.get(VILLAGE))?.data).toEqual(named('Thôn Đông'));
    expect(await serverVersionOf(db, await db.villages.get(VILLAGE))).toBe(1);
  });
});
