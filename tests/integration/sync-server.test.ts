import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/http/app';
import { createPushSlots, type PushSlots } from '../../src/server/http/push-slots';
import { errorBodySchema } from '../../src/shared/protocol/errors.schema';
import { MAX_OPS_PER_PUSH, pushResponseSchema, receiptResponseSchema } from '../../src/shared/protocol/sync.schema';
import {
  enrollDevice,
  householdData,
  newId,
  opBuilder,
  pullAll,
  pushOk,
  pushOps,
  startSyncServer,
  useSyncServer,
  villageData,
} from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

let communeCounter = 0;
/** Each test works in its own commune, so counts and pulls see only what the test wrote. */
const freshCommune = () => String(32000 + (communeCounter += 1));

describe.each(STORE_CASES)('sync push on $kind', (storeCase) => {
  const server = useSyncServer(storeCase);

  async function setUp() {
    const communeCode = freshCommune();
    const device = await enrollDevice(server.baseUrl, server.store, { communeCode });
    return { communeCode, device, ops: opBuilder(communeCode) };
  }
  const countRows = async (sql: string, params: unknown[]) =>
    (await server.store.query<{ n: number }>(sql, params))[0]?.n;
  const recordsOf = (communeCode: string) =>
    countRows('SELECT count(*)::int AS n FROM records WHERE commune_code = $1', [communeCode]);

  it('pushing the same batch twice stores one row and the second answer is duplicate with the same version', async () => {
    const { communeCode, device, ops } = await setUp();
    const batch = [ops.upsert('village', newId(), villageData())];
    const first = await pushOk(server.baseUrl, device, batch);
    const second = await pushOk(server.baseUrl, device, batch);
    expect(first.results).toEqual([{ opId: batch[0]?.opId, status: 'applied', version: 1 }]);
    expect(second.results).toEqual([{ opId: batch[0]?.opId, status: 'duplicate', version: 1 }]);
    expect(second.ackSeq).toBe(1);
    expect(await recordsOf(communeCode)).toBe(1);
  });

  it('a response lost after commit is retried without a duplicate', async () => {
    const { communeCode, device, ops } = await setUp();
    // A second server on the same database whose answers to pushes never reach the phone: the
    // connection drops after the transaction committed, as on a train leaving the cell.
    const lossy = await buildApp({ store: server.store });
    lossy.addHook('onSend', async (request, reply, payload) => {
      if (request.url.endsWith('/sync/push')) reply.raw.socket?.destroy();
      return payload;
    });
    const lossyUrl = await lossy.listen({ port: 0, host: '127.0.0.1' });
    try {
      const batch = [ops.upsert('village', newId(), villageData()), ops.upsert('village', newId(), villageData())];
      await expect(
        pushOps(lossyUrl, device.token, { protocol: 1, deviceId: device.deviceId, ops: batch }),
      ).rejects.toThrow();
      expect(await recordsOf(communeCode)).toBe(2);

      const retry = await pushOk(server.baseUrl, device, batch);
      expect(retry.results).toEqual(batch.map((op) => ({ opId: op.opId, status: 'duplicate', version: 1 })));
      expect(retry.ackSeq).toBe(2);
      expect(await recordsOf(communeCode)).toBe(2);
    } finally {
      await lossy.close();
    }
  });

  it('two concurrent pushes of one batch from one device apply it once', async () => {
    const { communeCode, device, ops } = await setUp();
    const batch = Array.from({ length: 20 }, () => ops.upsert('village', newId(), villageData()));
    const answers = await Promise.all([pushOk(server.baseUrl, device, batch), pushOk(server.baseUrl, device, batch)]);
    const statuses = answers.map((a) => a.results[0]?.status).sort();
    expect(statuses).toEqual(['applied', 'duplicate']);
    expect(await recordsOf(communeCode)).toBe(20);
  });

  it('a stale update becomes a conflict and both versions survive', async () => {
    const { communeCode, device: phoneA, ops: opsA } = await setUp();
    const phoneB = await enrollDevice(server.baseUrl, server.store, { communeCode });
    const opsB = opBuilder(communeCode);
    const villageId = newId();
    const householdId = newId();
    await pushOk(server.baseUrl, phoneA, [
      opsA.upsert('village', villageId, villageData()),
      opsA.upsert('household', householdId, householdData(villageId)),
    ]);

    const edit = await pushOk(server.baseUrl, phoneB, [
      opsB.upsert('household', householdId, householdData(villageId, { headName: 'Trần Văn Bình' }), 1),
    ]);
    expect(edit.results[0]).toMatchObject({ status: 'applied', version: 2 });

    const staleOp = opsA.upsert('household', householdId, householdData(villageId, { headName: 'Lê Thị Cúc' }), 1);
    const stale = await pushOk(server.baseUrl, phoneA, [staleOp]);
    expect(stale.results[0]).toMatchObject({
      status: 'conflict',
      current: { id: householdId, version: 2, updatedBy: phoneB.deviceId, data: { headName: 'Trần Văn Bình' } },
    });
    // Re-sending the stale op answers the same conflict and still changes nothing.
    const resent = await pushOk(server.baseUrl, phoneA, [staleOp]);
    expect(resent.results[0]).toMatchObject({ status: 'conflict', current: { version: 2 } });
    const { changes } = await pullAll(server.baseUrl, phoneA.token);
    expect(changes.find((c) => c.id === householdId)).toMatchObject({
      version: 2,
      data: { headName: 'Trần Văn Bình' },
    });
  });

  it('creating an id that already exists is a conflict, not an overwrite', async () => {
    const { device, ops } = await setUp();
    const villageId = newId();
    await pushOk(server.baseUrl, device, [ops.upsert('village', villageId, villageData({ name: 'Thôn Một' }))]);
    const again = await pushOk(server.baseUrl, device, [
      ops.upsert('village', villageId, villageData({ name: 'Thôn Hai' })),
    ]);
    expect(again.results[0]).toMatchObject({ status: 'conflict', current: { version: 1, data: { name: 'Thôn Một' } } });
  });

  it('invalid data is rejected with validation_failed and stores nothing for that op while valid ops in the same batch apply', async () => {
    const { communeCode, device, ops } = await setUp();
    const villageId = newId();
    const batch = [
      ops.upsert('village', villageId, villageData()),
      ops.upsert('household', newId(), householdData(villageId, { headName: '   ', phone: '12' })),
      ops.upsert('household', newId(), householdData(villageId)),
    ];
    const answer = await pushOk(server.baseUrl, device, batch);
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
    expect(answer.results[1]).toMatchObject({
      status: 'rejected',
      error: {
        code: 'validation_failed',
        details: expect.arrayContaining([
          { path: 'data.headName', message: 'errors.required' },
          { path: 'data.phone', message: 'errors.phone.invalid' },
        ]),
      },
    });
    expect(answer.ackSeq).toBe(3);
    expect(await recordsOf(communeCode)).toBe(2);
  });

  it('an unknown entity is rejected, and the same rejection comes back when re-sent', async () => {
    const { communeCode, device, ops } = await setUp();
    const op = ops.upsert('spaceship', newId(), { name: 'x' });
    const first = await pushOk(server.baseUrl, device, [op]);
    expect(first.results[0]).toMatchObject({ status: 'rejected', error: { code: 'unknown_entity' } });
    const again = await pushOk(server.baseUrl, device, [op]);
    expect(again.results).toEqual(first.results);
    expect(await recordsOf(communeCode)).toBe(0);
  });

  it('more than 500 ops are refused with 413 batch_too_large and nothing is stored', async () => {
    const { communeCode, device, ops } = await setUp();
    const batch = Array.from({ length: MAX_OPS_PER_PUSH + 1 }, () => ops.upsert('village', newId(), villageData()));
    const answer = await pushOps(server.baseUrl, device.token, { protocol: 1, deviceId: device.deviceId, ops: batch });
    expect(answer.status).toBe(413);
    expect(errorBodySchema.parse(answer.body).error.code).toBe('batch_too_large');
    expect(await recordsOf(communeCode)).toBe(0);
  });

  it('a body over 1 MiB once decompressed is refused with 413 batch_too_large', async () => {
    const { device, ops } = await setUp();
    const padded = [ops.upsert('village', newId(), villageData({ notes: 'a'.repeat(1_200_000) }))];
    const plain = await pushOps(server.baseUrl, device.token, { protocol: 1, deviceId: device.deviceId, ops: padded });
    expect(plain.status).toBe(413);
    expect(errorBodySchema.parse(plain.body).error.code).toBe('batch_too_large');
    const zipped = await pushOps(
      server.baseUrl,
      device.token,
      { protocol: 1, deviceId: device.deviceId, ops: padded },
      { gzip: true },
    );
    expect(zipped.status).toBe(413);
    expect(errorBodySchema.parse(zipped.body).error.code).toBe('batch_too_large');
  });

  it('a gzip-compressed push works, and a broken gzip body is a 400', async () => {
    const { communeCode, device, ops } = await setUp();
    const batch = Array.from({ length: 50 }, () => ops.upsert('village', newId(), villageData()));
    const answer = await pushOps(
      server.baseUrl,
      device.token,
      { protocol: 1, deviceId: device.deviceId, ops: batch },
      { gzip: true },
    );
    expect(answer.status).toBe(200);
    expect(pushResponseSchema.parse(answer.body).results.every((r) => r.status === 'applied')).toBe(true);
    expect(await recordsOf(communeCode)).toBe(50);

    const broken = await fetch(`${server.baseUrl}/api/v1/sync/push`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        authorization: `Bearer ${device.token}`,
      },
      body: new Uint8Array(gzipSync('{"protocol":1}').subarray(0, 12)),
    });
    expect(broken.status).toBe(400);
    expect(errorBodySchema.parse(await broken.json()).error.code).toBe('invalid_request');
  });

  it('ackSeq advances only over contiguous seqs', async () => {
    const { device, ops } = await setUp();
    const [one, two, three, four] = Array.from({ length: 4 }, () => ops.upsert('village', newId(), villageData()));
    if (!one || !two || !three || !four) throw new Error('four ops');
    expect((await pushOk(server.baseUrl, device, [one, two])).ackSeq).toBe(2);
    expect((await pushOk(server.baseUrl, device, [four])).ackSeq).toBe(2);
    expect((await pushOk(server.baseUrl, device, [three])).ackSeq).toBe(4);
  });

  it('a delete makes a tombstone with the next version and without its data', async () => {
    const { device, ops } = await setUp();
    const villageId = newId();
    const neverSynced = newId();
    await pushOk(server.baseUrl, device, [ops.upsert('village', villageId, villageData())]);
    const answer = await pushOk(server.baseUrl, device, [
      ops.remove('village', villageId, 1),
      ops.remove('village', neverSynced, null),
    ]);
    expect(answer.results.map((r) => (r.status === 'applied' ? r.version : r.status))).toEqual([2, 1]);
    const { changes } = await pullAll(server.baseUrl, device.token);
    expect(changes.find((c) => c.id === villageId)).toMatchObject({ deleted: true, version: 2, data: null });
    expect(changes.find((c) => c.id === neverSynced)).toMatchObject({ deleted: true, version: 1, data: null });
  });

  it('the receipt counts the live records this device created, per entity, with its ackSeq', async () => {
    const { communeCode, device, ops } = await setUp();
    const other = await enrollDevice(server.baseUrl, server.store, { communeCode });
    const [v1, v2, h1] = [newId(), newId(), newId()];
    await pushOk(server.baseUrl, device, [
      ops.upsert('village', v1, villageData()),
      ops.upsert('village', v2, villageData()),
      ops.upsert('household', h1, householdData(v1)),
    ]);
    await pushOk(server.baseUrl, device, [ops.remove('village', v2, 1)]);
    await pushOk(server.baseUrl, other, [
      opBuilder(communeCode).upsert('household', h1, householdData(v1, { headName: 'Trần Văn Bình' }), 1),
    ]);
    const response = await fetch(`${server.baseUrl}/api/v1/sync/receipt`, {
      headers: { authorization: `Bearer ${device.token}` },
    });
    expect(response.status).toBe(200);
    const receipt = receiptResponseSchema.parse(await response.json());
    expect(receipt).toEqual({
      deviceId: device.deviceId,
      ackSeq: 4,
      counts: { village: 1, household: 1, citizen: 0, clan: 0, unit: 0, assessment: 0 },
    });
  });
});

describe.each(STORE_CASES)('sync push back-pressure on $kind', (storeCase) => {
  /** One push slot; `wait` and `waiting` say how long and how many pushes may wait for it. */
  async function serverWithOneSlot(wait: number, waiting: number, pushSlots?: PushSlots) {
    const server = await startSyncServer(storeCase, {
      maxConcurrentPushes: 1,
      pushSlotWaitMs: wait,
      maxWaitingPushes: waiting,
      ...(pushSlots ? { pushSlots } : {}),
    });
    const device = await enrollDevice(server.baseUrl, server.store, { communeCode: freshCommune() });
    const ops = opBuilder(device.scope.communeCode);
    const push = (count: number, signal?: AbortSignal) =>
      fetch(`${server.baseUrl}/api/v1/sync/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${device.token}` },
        body: JSON.stringify({
          protocol: 1,
          deviceId: device.deviceId,
          ops: Array.from({ length: count }, () => ops.upsert('village', newId(), villageData())),
        }),
        signal,
      });
    return { server, device, push };
  }

  it('pushes beyond the concurrency limit, with no time to wait, are answered 503 overloaded with Retry-After', async () => {
    const { server, push } = await serverWithOneSlot(0, 32);
    try {
      const answers = await Promise.all(Array.from({ length: 12 }, () => push(30)));
      const refused = answers.filter((a) => a.status === 503);
      expect(answers.some((a) => a.status === 200)).toBe(true);
      expect(refused.length).toBeGreaterThan(0);
      for (const answer of refused) {
        expect(answer.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
        expect(errorBodySchema.parse(await answer.json()).error.code).toBe('overloaded');
      }
      expect(answers.every((a) => a.status === 200 || a.status === 503)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('a crowd refused together is told to come back over several seconds, not all in the same one', async () => {
    // The one slot is held by the test itself (a push being applied, as far as the server knows).
    const slots = createPushSlots({ max: 1, waitMs: 0, maxWaiting: 32 });
    expect(await slots.acquire()).toBe(true);
    const server = await startSyncServer(storeCase, { maxConcurrentPushes: 1, pushSlots: slots });
    try {
      const device = await enrollDevice(server.baseUrl, server.store, { communeCode: freshCommune() });
      const ops = opBuilder(device.scope.communeCode);
      const answers = await Promise.all(
        Array.from({ length: 60 }, () =>
          pushOps(server.baseUrl, device.token, {
            protocol: 1,
            deviceId: device.deviceId,
            ops: [ops.upsert('village', newId(), villageData())],
          }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 60 }, () => 503));
      const waits = answers.map((a) => Number(a.headers.get('retry-after')));
      expect(waits.every((w) => Number.isInteger(w) && w >= 1 && w <= 30)).toBe(true);
      // One slot finishes a few dozen pushes a second at most: 60 are spread over at least three seconds.
      expect(new Set(waits).size).toBeGreaterThanOrEqual(3);
    } finally {
      slots.release();
      await server.close();
    }
  });

  it('a push that finds the slots busy waits for the next free one instead of being refused, up to the number allowed to wait', async () => {
    const { server, push } = await serverWithOneSlot(20_000, 3);
    try {
      const waited = await Promise.all(Array.from({ length: 4 }, () => push(200)));
      expect(waited.map((a) => a.status)).toEqual([200, 200, 200, 200]); // one running, three waiting
      const crowd = await Promise.all(Array.from({ length: 12 }, () => push(500)));
      expect(crowd.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(4);
      expect(crowd.some((a) => a.status === 503)).toBe(true); // more than one running and three waiting
    } finally {
      await server.close();
    }
  });

  it('frees the slot of a device that gave up while it waited', async () => {
    // The slots are watched, so the test knows when the first push holds the slot and the second waits for it.
    const inner = createPushSlots({ max: 1, waitMs: 20_000, maxWaiting: 3 });
    let asked = 0;
    const slots = {
      acquire: () => {
        asked += 1;
        return inner.acquire();
      },
      release: () => inner.release(),
    };
    const { server, push } = await serverWithOneSlot(20_000, 3, slots);
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    try {
      const running = push(500);
      await until(() => asked === 1);
      const giveUp = new AbortController();
      const waiting = push(10, giveUp.signal).catch((error: unknown) => error);
      await until(() => asked === 2);
      giveUp.abort();
      expect(await waiting).toBeInstanceOf(Error);
      expect((await running).status).toBe(200);
      const started = Date.now();
      expect((await push(10)).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(10_000); // not stuck behind a slot nobody frees
    } finally {
      // After the abort, fetch (undici) may open a spare connection that never sends a request; Node's
      // close waits for such a connection until its headers timeout (60 s), so it is closed here.
      server.app.server.closeAllConnections();
      await server.close();
    }
  });
});
