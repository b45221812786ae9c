import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/http/app';
import { insertRecord, readRecord, toEnvelope } from '../../src/server/sync/records';
import { errorBodySchema } from '../../src/shared/protocol/errors.schema';
import { pullResponseSchema } from '../../src/shared/protocol/sync.schema';
import {
  enrollDevice,
  householdData,
  newId,
  opBuilder,
  pullAll,
  pullPage,
  pushOk,
  useSyncServer,
  villageData,
} from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

/** Node 20 has no Promise.withResolvers. */
function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

let communeCounter = 0;
/** Each test works in its own commune, so pulls see only what the test wrote. */
const freshCommune = () => String(33000 + (communeCounter += 1));

describe.each(STORE_CASES)('sync pull on $kind', (storeCase) => {
  const { kind } = storeCase;
  const server = useSyncServer(storeCase);

  async function setUp() {
    const communeCode = freshCommune();
    const device = await enrollDevice(server.baseUrl, server.store, { communeCode });
    return { communeCode, device, ops: opBuilder(communeCode) };
  }

  it('a first pull without a cursor returns every record of the commune (bootstrap), and then nothing new', async () => {
    const { communeCode, device, ops } = await setUp();
    const villageId = newId();
    const householdId = newId();
    await pushOk(server.baseUrl, device, [
      ops.upsert('village', villageId, villageData()),
      ops.upsert('household', householdId, householdData(villageId)),
    ]);

    const newcomer = await enrollDevice(server.baseUrl, server.store, { communeCode });
    const bootstrap = await pullAll(server.baseUrl, newcomer.token);
    expect(bootstrap.changes.map((c) => c.id)).toEqual([villageId, householdId]);
    expect(bootstrap.changes[1]).toMatchObject({
      entity: 'household',
      communeCode,
      version: 1,
      deleted: false,
      updatedBy: device.deviceId,
      data: householdData(villageId),
    });
    expect(new Date(bootstrap.changes[1]?.updatedAt ?? '').toISOString()).toBe(bootstrap.changes[1]?.updatedAt);

    const after = pullResponseSchema.parse((await pullPage(server.baseUrl, newcomer.token, bootstrap.cursor)).body);
    expect(after).toEqual({ changes: [], cursor: bootstrap.cursor, hasMore: false });
  });

  it('every pulled change is its record envelope field for field, as the database builds the page', async () => {
    const { communeCode, device, ops } = await setUp();
    const [villageId, householdId, goneId] = [newId(), newId(), newId()];
    const household = {
      ...householdData(villageId),
      headName: 'Nguyễn Thị Ánh "Út" \\ Hồ',
      notes: 'dòng 1\ndòng 2 — ½',
    };
    await pushOk(server.baseUrl, device, [
      ops.upsert('village', villageId, villageData()),
      ops.upsert('household', householdId, household),
      ops.upsert('village', goneId, villageData()),
    ]);
    await pushOk(server.baseUrl, device, [ops.remove('village', goneId, 1)]);
    // A time with microseconds (the server writes milliseconds; a row edited by hand may not).
    await server.store.query(
      `UPDATE records SET updated_at = '2026-03-04T05:06:07.891234Z' WHERE commune_code = $1 AND id = $2`,
      [communeCode, villageId],
    );

    const pulled = await pullAll(server.baseUrl, device.token);
    expect(pulled.changes.map((c) => c.id).sort()).toEqual([villageId, householdId, goneId].sort());
    for (const change of pulled.changes) {
      const row = await readRecord(server.store, communeCode, change.id);
      expect(row).toBeDefined();
      if (row) expect(change).toEqual(toEnvelope(row));
    }
    expect(pulled.changes.find((c) => c.id === villageId)?.updatedAt).toBe('2026-03-04T05:06:07.891Z');
    expect(pulled.changes.find((c) => c.id === householdId)?.data).toEqual(household);
  });

  it('a tombstone appears in pull as deleted: true', async () => {
    const { device, ops } = await setUp();
    const villageId = newId();
    await pushOk(server.baseUrl, device, [ops.upsert('village', villageId, villageData())]);
    const before = await pullAll(server.baseUrl, device.token);
    await pushOk(server.baseUrl, device, [ops.remove('village', villageId, 1)]);
    const after = await pullAll(server.baseUrl, device.token, before.cursor);
    expect(after.changes).toEqual([expect.objectContaining({ id: villageId, version: 2, deleted: true })]);
  });

  it('pull pages with limit and hasMore and returns each record once at its latest version', async () => {
    const { device, ops } = await setUp();
    const ids = Array.from({ length: 7 }, () => newId());
    await pushOk(
      server.baseUrl,
      device,
      ids.map((id) => ops.upsert('village', id, villageData())),
    );
    // Edit two of them twice more: they move to the end of the feed at version 3.
    for (let version = 1; version <= 2; version += 1) {
      await pushOk(server.baseUrl, device, [
        ops.upsert('village', ids[1] ?? '', villageData({ name: `Sửa ${version}` }), version),
        ops.upsert('village', ids[4] ?? '', villageData({ name: `Sửa ${version}` }), version),
      ]);
    }
    const first = pullResponseSchema.parse((await pullPage(server.baseUrl, device.token, undefined, 3)).body);
    expect(first.changes).toHaveLength(3);
    expect(first.hasMore).toBe(true);

    const rest = await pullAll(server.baseUrl, device.token, first.cursor, 3);
    const all = [...first.changes, ...rest.changes];
    expect(rest.pages).toBe(2);
    expect(all.map((c) => c.id).sort()).toEqual([...ids].sort());
    expect(all.find((c) => c.id === ids[1])).toMatchObject({ version: 3, data: { name: 'Sửa 2' } });
    expect(all.slice(-2).map((c) => c.id)).toEqual([ids[1], ids[4]]);
  });

  it('a cursor this server did not make is refused with 400 invalid_request', async () => {
    const { device } = await setUp();
    for (const cursor of ['not-a-cursor', Buffer.from('12:x').toString('base64url'), 'a/b']) {
      const answer = await pullPage(server.baseUrl, device.token, cursor);
      expect(answer.status).toBe(400);
      expect(errorBodySchema.parse(answer.body).error.code).toBe('invalid_request');
    }
    const tooBig = await pullPage(server.baseUrl, device.token, undefined, 5001);
    expect(tooBig.status).toBe(400);
  });

  // PGlite has one connection, so two write transactions can never be open at once there: the
  // race this guards against exists only on PostgreSQL.
  it.skipIf(kind !== 'postgres')('a change committed out of order is not skipped', async () => {
    const { communeCode, device } = await setUp();
    // A server that never waits for running transactions, so the first pull answers at once.
    const app = await buildApp({ store: server.store, pullSettleMs: 0 });
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const early = newId();
      const late = newId();
      const write = (id: string) => ({
        communeCode,
        entity: 'village',
        id,
        deleted: false,
        data: villageData(),
        updatedAt: new Date(),
        deviceId: device.deviceId,
        villageId: id,
        scoreMismatch: null,
      });

      const earlyMayCommit = deferred();
      const earlyHasInserted = deferred();
      // The early transaction starts first (lower txid and change_seq) and commits last.
      const earlyTx = server.store.transaction(async (tx) => {
        await insertRecord(tx, write(early));
        earlyHasInserted.resolve();
        await earlyMayCommit.promise;
      });
      await earlyHasInserted.promise;
      await server.store.transaction((tx) => insertRecord(tx, write(late)));

      const between = await pullAll(baseUrl, device.token);
      earlyMayCommit.resolve();
      await earlyTx;
      const after = await pullAll(baseUrl, device.token, between.cursor);

      const delivered = [...between.changes, ...after.changes].map((c) => c.id);
      expect(delivered.sort()).toEqual([early, late].sort());
      // The late change waited for the early one instead of moving the cursor past it.
      expect(between.changes.map((c) => c.id)).not.toContain(late);
    } finally {
      await app.close();
    }
  });

  it('a pull right after a push returns the pushed change', async () => {
    const { device, ops } = await setUp();
    const start = await pullAll(server.baseUrl, device.token);
    for (let round = 0; round < 5; round += 1) {
      const id = newId();
      await pushOk(server.baseUrl, device, [ops.upsert('village', id, villageData())]);
      const { changes } = await pullAll(server.baseUrl, device.token, start.cursor);
      expect(changes.map((c) => c.id)).toContain(id);
    }
  });
});
