import { describe, expect, it } from 'vitest';
import { readRecord, toEnvelope } from '../../src/server/sync/records';
import { pushResponseSchema, receiptResponseSchema } from '../../src/shared/protocol/sync.schema';
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
    await pushOk(server.baseUrl, office, [officeOps.upsert('village', v1, villageData()), officeOps.upsert('village', v2, villageData({ name: 'Thôn Tây' }))]);
    return { communeCode, v1, v2, office, phone, officeOps, phoneOps };
  }

  it('a household moved to another village comes to the old village’s phone as a withdrawal without data, equal to toEnvelope of the record', async () => {
    const { communeCode, v1, v2, office, phone, officeOps, phoneOps } = await setUp();
    const [h, c] = [newId(), newId()];
    await pushOk(server.baseUrl, phone, [phoneOps.upsert('household', h, householdData(v1)), phoneOps.upsert('citizen', c, citizenData(h))]);
    const before = await pullAll(server.baseUrl, phone.token);
    expect(before.changes.map((x) => x.id)).toEqual(expect.arrayContaining([h, c]));

    await pushOk(server.baseUrl, office, [officeOps.upsert('household', h, householdData(v2), 1)]);
    const after = await pullAll(server.baseUrl, phone.token, before.cursor);
    expect(after.changes.map((x) => [x.id, x.outOfScope, x.data])).toEqual(expect.arrayContaining([[h, true, null], [c, true, null]]));
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
    await pushOk(server.baseUrl, office, [officeOps.upsert('household', h, householdData(v1, { address: 'Xóm 5' }), 2)]);
    const after = await pullAll(server.baseUrl, phone.token, before.cursor);
    const last = after.changes.filter((x) => x.id === h).at(-1);
    expect(last).toMatchObject({ id: h, version: 3, data: { address: 'Xóm 5' } });
    expect(last?.outOfScope).toBeUndefined();
  });

  it('a re-sent op whose recorded result was a conflict is refused as out of scope once its record has left the device’s villages, without the record', async () => {
    const { v1, v2, office, phone, officeOps, phoneOps } = await setUp();
    const h = newId();
    await pushOk(server.baseUrl, phone, [phoneOps.upsert('household', h, householdData(v1))]);
    await pushOk(server.baseUrl, office, [officeOps.upsert('household', h, householdData(v1, { address: 'Xóm 3' }), 1)]);
    const stale = phoneOps.upsert('household', h, householdData(v1, { address: 'Xóm 4' }), 1);
    const first = await pushOk(server.baseUrl, phone, [stale]);
    expect(first.results[0]?.status).toBe('conflict');

    await pushOk(server.baseUrl, office, [officeOps.upsert('household', h, householdData(v2, { headName: 'Hoàng Thị Mai' }), 2)]);
    const again = await pushOps(server.baseUrl, phone.token, { protocol: 1, deviceId: phone.deviceId, ops: [stale] });
    const answer = pushResponseSchema.parse(again.body).results[0];
    expect(answer).toMatchObject({ status: 'rejected', error: { code: 'forbidden_scope' } });
    expect(JSON.stringify(again.body)).not.toContain('Hoàng Thị Mai');
  });

  it('a re-sent conflict whose record is still in scope is answered with the record as it is now', async () => {
    const { v1, office, phone, officeOps, phoneOps } = await setUp();
    const h = newId();
    await pushOk(server.baseUrl, phone, [phoneOps.upsert('household', h, householdData(v1))]);
    await pushOk(server.baseUrl, office, [officeOps.upsert('household', h, householdData(v1, { address: 'Xóm 3' }), 1)]);
    const stale = phoneOps.upsert('household', h, householdData(v1, { address: 'Xóm 4' }), 1);
    await pushOk(server.baseUrl, phone, [stale]);
    await pushOk(server.baseUrl, office, [officeOps.upsert('household', h, householdData(v1, { address: 'Xóm 6' }), 2)]);
    const again = pushResponseSchema.parse((await pushOps(server.baseUrl, phone.token, { protocol: 1, deviceId: phone.deviceId, ops: [stale] })).body);
    expect(again.results[0]).toMatchObject({ status: 'conflict', current: { id: h, version: 3, data: { address: 'Xóm 6' } } });
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
    const response = await fetch(`${server.baseUrl}/api/v1/sync/receipt`, { headers: { authorization: `Bearer ${phone.token}` } });
    const receipt = receiptResponseSchema.parse(await response.json());
    expect(receipt.counts).toMatchObject({ household: 1, citizen: 0 });
  });

  it('a device enrolled after a delete never gets that tombstone, but gets the tombstones of deletes after it enrolled', async () => {
    const { communeCode, v1, office, officeOps } = await setUp();
    const [early, late] = [newId(), newId()];
    await pushOk(server.baseUrl, office, [officeOps.upsert('household', early, householdData(v1)), officeOps.upsert('household', late, householdData(v1))]);
    const earlier = await enrollDevice(server.baseUrl, server.store, { communeCode, villageIds: [v1] });
    await pushOk(server.baseUrl, office, [officeOps.remove('household', early, 1)]);
    const later = await enrollDevice(server.baseUrl, server.store, { communeCode, villageIds: [v1] });
    await pushOk(server.baseUrl, office, [officeOps.remove('household', late, 1)]);

    const tombstonesOf = async (token: string) =>
      (await pullAll(server.baseUrl, token)).changes.filter((x) => x.deleted).map((x) => x.id).sort();
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
