import { describe, expect, it } from 'vitest';
import { findDevice } from '../../src/server/admin/device-rows';
import { insertDevice, type Device } from '../../src/server/auth/devices';
import { MIGRATIONS, runMigrations } from '../../src/server/store/migrations';
import { FEED_START } from '../../src/server/sync/cursor';
import { readChanges } from '../../src/server/sync/pull';
import { applyPush } from '../../src/server/sync/push';
import { readRecord, toEnvelope } from '../../src/server/sync/records';
import { PENDING_VILLAGE } from '../../src/server/sync/scope';
import { pushResponseSchema, receiptResponseSchema, type RecordEnvelope } from '../../src/shared/protocol/sync.schema';
import {
  citizenData,
  enrollDevice,
  householdData,
  newId,
  opBuilder,
  pullAll,
  pushOk,
  pushOps,
  useSyncServer,
  villageData,
} from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

let communeCounter = 0;
const freshCommune = () => String(37000 + (communeCounter += 1));

describe.each(STORE_CASES)('village scope over time on $kind', (storeCase) => {
  const server = useSyncServer(storeCase);

  /** A commune with villages V1 and V2, a commune-wide device and a device of V1. */
  async function setUp() {
    const communeCode = freshCommune();
    const [v1, v2] = [newId(), newId()];
    const office = await enrollDevice(server.baseUrl, server.store, { communeCode });
    const phone = await enrollDevice(server.baseUrl, server.store, { communeCode, villageIds: [v1] });
    const officeOps = opBuilder(communeCode);
    const phoneOps = opBuilder(communeCode);
    await pushOk(server.baseUrl, office, [
      officeOps.upsert('village', v1, villageData()),
      officeOps.upsert('village', v2, villageData({ name: 'Thôn Tây' })),
    ]);
    return { communeCode, v1, v2, office, phone, officeOps, phoneOps };
  }

  it('a household moved to another village comes to the old village’s phone as a withdrawal without data, equal to toEnvelope of the record', async () => {
    const { communeCode, v1, v2, office, phone, officeOps, phoneOps } = await setUp();
    const [h, c] = [newId(), newId()];
    await pushOk(server.baseUrl, phone, [
      phoneOps.upsert('household', h, householdData(v1)),
      phoneOps.upsert('citizen', c, citizenData(h)),
    ]);
    const before = await pullAll(server.baseUrl, phone.token);
    expect(before.changes.map((x) => x.id)).toEqual(expect.arrayContaining([h, c]));

    await pushOk(server.baseUrl, office, [officeOps.upsert('household', h, householdData(v2), 1)]);
    const after = await pullAll(server.baseUrl, phone.token, before.cursor);
    expect(after.changes.map((x) => [x.id, x.outOfScope, x.data])).toEqual(
      expect.arrayContaining([
        [h, true, null],
        [c, true, null],
      ]),
    );
    for (const change of after.changes) {
      const row = await readRecord(server.store, communeCode, change.id);
      if (row) expect(change).toEqual(toEnvelope(row, true));
    }
    // Pulled again from there: nothing more (the withdrawal is not repeated).
    expect((await pullAll(server.baseUrl, phone.token, after.cursor)).changes).toEqual([]);
  });

  it('a household moved away and back reaches the phone again with its data after the withdrawal', async () => {
    const { v1, v2, office, phone, officeOps, phoneOps } = await setUp();
    const h = newId();
    await pushOk(server.baseUrl, phone, [phoneOps.upsert('household', h, householdData(v1))]);
    const before = await pullAll(server.baseUrl, phone.token);
    await pushOk(server.baseUrl, office, [officeOps.upsert('household', h, householdData(v2), 1)]);
    await pushOk(server.baseUrl, office, [
      officeOps.upsert('household', h, householdData(v1, { address: 'Xóm 5' }), 2),
    ]);
    const after = await pullAll(server.baseUrl, phone.token, before.cursor);
    const last = after.changes.filter((x) => x.id === h).at(-1);
    expect(last).toMatchObject({ id: h, version: 3, data: { address: 'Xóm 5' } });
    expect(last?.outOfScope).toBeUndefined();
  });

  it('a re-sent op whose recorded result was a conflict is refused as out of scope once its record has left the device’s villages, without the record', async () => {
    const { v1, v2, office, phone, officeOps, phoneOps } = await setUp();
    const h = newId();
    await pushOk(server.baseUrl, phone, [phoneOps.upsert('household', h, householdData(v1))]);
    await pushOk(server.baseUrl, office, [
      officeOps.upsert('household', h, householdData(v1, { address: 'Xóm 3' }), 1),
    ]);
    const stale = phoneOps.upsert('household', h, householdData(v1, { address: 'Xóm 4' }), 1);
    const first = await pushOk(server.baseUrl, phone, [stale]);
    expect(first.results[0]?.status).toBe('conflict');

    await pushOk(server.baseUrl, office, [
      officeOps.upsert('household', h, householdData(v2, { headName: 'Hoàng Thị Mai' }), 2),
    ]);
    const again = await pushOps(server.baseUrl, phone.token, { protocol: 1, deviceId: phone.deviceId, ops: [stale] });
    const answer = pushResponseSchema.parse(again.body).results[0];
    expect(answer).toMatchObject({ status: 'rejected', error: { code: 'forbidden_scope' } });
    expect(JSON.stringify(again.body)).not.toContain('Hoàng Thị Mai');
  });

  it('a re-sent conflict whose record is still in scope is answered with the record as it is now', async () => {
    const { v1, office, phone, officeOps, phoneOps } = await setUp();
    const h = newId();
    await pushOk(server.baseUrl, phone, [phoneOps.upsert('household', h, householdData(v1))]);
    await pushOk(server.baseUrl, office, [
      officeOps.upsert('household', h, householdData(v1, { address: 'Xóm 3' }), 1),
    ]);
    const stale = phoneOps.upsert('household', h, householdData(v1, { address: 'Xóm 4' }), 1);
    await pushOk(server.baseUrl, phone, [stale]);
    await pushOk(server.baseUrl, office, [
      officeOps.upsert('household', h, householdData(v1, { address: 'Xóm 6' }), 2),
    ]);
    const again = pushResponseSchema.parse(
      (await pushOps(server.baseUrl, phone.token, { protocol: 1, deviceId: phone.deviceId, ops: [stale] })).body,
    );
    expect(again.results[0]).toMatchObject({
      status: 'conflict',
      current: { id: h, version: 3, data: { address: 'Xóm 6' } },
    });
  });

  it('the receipt counts only the records of the device that are still inside its villages', async () => {
    const { v1, v2, office, phone, officeOps, phoneOps } = await setUp();
    const [h1, h2, c2] = [newId(), newId(), newId()];
    await pushOk(server.baseUrl, phone, [
      phoneOps.upsert('household', h1, householdData(v1)),
      phoneOps.upsert('household', h2, householdData(v1)),
      phoneOps.upsert('citizen', c2, citizenData(h2)),
    ]);
    await pushOk(server.baseUrl, office, [officeOps.upsert('household', h2, householdData(v2), 1)]);
    const response = await fetch(`${server.baseUrl}/api/v1/sync/receipt`, {
      headers: { authorization: `Bearer ${phone.token}` },
    });
    const receipt = receiptResponseSchema.parse(await response.json());
    expect(receipt.counts).toMatchObject({ household: 1, citizen: 0 });
  });

  it('a device enrolled after a delete never gets that tombstone, but gets the tombstones of deletes after it enrolled', async () => {
    const { communeCode, v1, office, officeOps } = await setUp();
    const [early, late] = [newId(), newId()];
    await pushOk(server.baseUrl, office, [
      officeOps.upsert('household', early, householdData(v1)),
      officeOps.upsert('household', late, householdData(v1)),
    ]);
    const earlier = await enrollDevice(server.baseUrl, server.store, { communeCode, villageIds: [v1] });
    await pushOk(server.baseUrl, office, [officeOps.remove('household', early, 1)]);
    const later = await enrollDevice(server.baseUrl, server.store, { communeCode, villageIds: [v1] });
    await pushOk(server.baseUrl, office, [officeOps.remove('household', late, 1)]);

    const tombstonesOf = async (token: string) =>
      (await pullAll(server.baseUrl, token)).changes
        .filter((x) => x.deleted)
        .map((x) => x.id)
        .sort();
    expect(await tombstonesOf(earlier.token)).toEqual([early, late].sort());
    expect(await tombstonesOf(later.token)).toEqual([late]);
    expect(await tombstonesOf(office.token)).toEqual([early, late].sort());
  });

  it('a device enrolled after a record left its village is not sent that withdrawal', async () => {
    const { communeCode, v1, v2, office, officeOps } = await setUp();
    const h = newId();
    await pushOk(server.baseUrl, office, [officeOps.upsert('household', h, householdData(v1))]);
    await pushOk(server.baseUrl, office, [officeOps.upsert('household', h, householdData(v2), 1)]);
    const later = await enrollDevice(server.baseUrl, server.store, { communeCode, villageIds: [v1] });
    expect((await pullAll(server.baseUrl, later.token)).changes.map((x) => x.id)).not.toContain(h);
  });
});

describe.each(STORE_CASES)('migration 5 on $kind', (storeCase) => {
  it('a citizen stored before its household under version 4 is withdrawn from village phones and kept for commune-wide ones', async () => {
    const { store, dispose } = await storeCase.open();
    try {
      await runMigrations(
        store,
        MIGRATIONS.filter((m) => m.version <= 4),
      );
      const [communeCode, village, citizen, device] = ['38001', newId(), newId(), newId()];
      const old = new Date(Date.UTC(2026, 0, 1));
      // As version 4 stored it: no village, which pull treated as commune-wide.
      await store.query(
        `INSERT INTO records (commune_code, entity, id, version, deleted, data, updated_at, updated_by, created_by, village_id)
         VALUES ($1, 'citizen', $2, 1, false, $3::text::jsonb, $4, $5, $5, NULL)`,
        [communeCode, citizen, JSON.stringify(citizenData(newId())), old.toISOString(), device],
      );
      await runMigrations(store);
      const enrolledThen = (villageIds: string[] | null) =>
        insertDevice(store, {
          communeCode,
          deviceId: newId(),
          name: 'Máy thôn',
          villageIds,
          token: newId(),
          createdAt: old,
        });
      const phone = await enrolledThen([village]);
      const office = await enrolledThen(null);
      const pulled = async (d: Device) =>
        JSON.parse(
          (await readChanges(store, d, FEED_START, { limit: 100, settleMs: 0 })).changesJson,
        ) as RecordEnvelope[];
      expect((await pulled(phone)).map((c) => [c.id, c.outOfScope, c.data])).toEqual([[citizen, true, null]]);
      expect((await pulled(office)).map((c) => [c.id, c.outOfScope])).toEqual([[citizen, undefined]]);
      const [row] = await store.query<{ village_id: string }>(
        'SELECT village_id::text AS village_id FROM records WHERE commune_code = $1 AND id = $2',
        [communeCode, citizen],
      );
      expect(row?.village_id).toBe(PENDING_VILLAGE);
    } finally {
      await dispose();
    }
  });
});

describe.each(STORE_CASES)('withdrawals when ops are applied one at a time on $kind', (storeCase) => {
  const server = useSyncServer(storeCase);

  it('a household moved by a push applied one op at a time is withdrawn from the old village with its member, as in a batch', async () => {
    const communeCode = freshCommune();
    const [v1, v2, h, c] = [newId(), newId(), newId(), newId()];
    const office = await enrollDevice(server.baseUrl, server.store, { communeCode });
    const phone = await enrollDevice(server.baseUrl, server.store, { communeCode, villageIds: [v1] });
    const ops = opBuilder(communeCode);
    await pushOk(server.baseUrl, office, [
      ops.upsert('village', v1, villageData()),
      ops.upsert('village', v2, villageData()),
      ops.upsert('household', h, householdData(v1)),
      ops.upsert('citizen', c, citizenData(h)),
    ]);
    const before = await pullAll(server.baseUrl, phone.token);
    const officeDevice = await findDevice(server.store, office.deviceId);
    if (!officeDevice) throw new Error('the office device is enrolled');
    const moved = await applyPush(
      server.store,
      officeDevice,
      { protocol: 1, deviceId: office.deviceId, ops: [ops.upsert('household', h, householdData(v2), 1)] },
      new Date(),
      'oneByOne',
    );
    expect(moved.results[0]?.status).toBe('applied');
    const after = await pullAll(server.baseUrl, phone.token, before.cursor);
    expect(after.changes.map((x) => [x.id, x.outOfScope]).sort()).toEqual(
      [
        [h, true],
        [c, true],
      ].sort(),
    );
  });
});
