import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildHouseholdForm,
  buildWriteContext,
  COMMUNE_CODE,
  sequentialIds,
  TEST_NOW,
} from '../../../tests/factories/records';
import type { PullResponse, PushRequest, PushResponse, RecordEnvelope } from '../../shared/protocol/sync.schema';
import { ORPHAN_PHOTO_GRACE_MS } from '../db/attachment.repository';
import { listConflicts, resolveConflict } from '../db/conflict.repository';
import { openDatabase, type AppDatabase } from '../db/db';
import { saveHouseholdWithMembers } from '../db/household.repository';
import { searchHouseholds } from '../db/household-search';
import { isFrozen, readSendState, wireSeqOf } from '../db/outbox-state';
import { readSetting } from '../db/settings.repository';
import { serverVersionOf } from '../db/server-versions';
import { saveVillage } from '../db/village.repository';
import { createSyncEngine } from './sync-engine';
import type { SyncTransport, TransportResult } from './transport';

const DEVICE_ID = '0196f0c2-8a4b-7c3d-9e8f-00000000d001';
const OTHER_DEVICE = '0196f0c2-8a4b-7c3d-9e8f-00000000d002';
const ctx = buildWriteContext();
let db: AppDatabase;

/** A network stand-in that records what was sent and answers from a script. */
function scriptedTransport(script: {
  push?: (request: PushRequest, call: number) => TransportResult<PushResponse>;
  pull?: (cursor: string | undefined, call: number) => TransportResult<PullResponse>;
}) {
  const pushes: PushRequest[] = [];
  const pulls: (string | undefined)[] = [];
  const pullLimits: (number | undefined)[] = [];
  const applyAll = (request: PushRequest): TransportResult<PushResponse> => ({
    ok: true,
    value: {
      results: request.ops.map((op) => ({
        opId: op.opId,
        status: 'applied' as const,
        version: (op.baseVersion ?? 0) + 1,
      })),
      ackSeq: Math.max(...request.ops.map((o) => o.seq)),
    },
  });
  const transport: SyncTransport = {
    async push(request) {
      pushes.push(structuredClone(request));
      return (script.push ?? applyAll)(request, pushes.length);
    },
    async pull(cursor, limit) {
      pulls.push(cursor);
      pullLimits.push(limit);
      return (
        script.pull?.(cursor, pulls.length) ?? {
          ok: true,
          value: { changes: [], cursor: cursor ?? 'c0', hasMore: false },
        }
      );
    },
    async receipt() {
      return { ok: false, kind: 'offline' };
    },
  };
  return { transport, pushes, pulls, pullLimits, applyAll };
}

/** The server version the device knows for a village (null: never confirmed). */
async function villageVersion(id: string): Promise<number | null> {
  return serverVersionOf(db, await db.villages.get(id));
}

/** How many record versions the push answers taught (all rows of the log), optionally only those matching. */
async function learnedEntries(match: (version: number) => boolean = () => true): Promise<number> {
  return (await db.learnedVersions.toArray()).reduce((n, row) => n + row.versions.filter(match).length, 0);
}

function engineWith(transport: SyncTransport) {
  return createSyncEngine({ db, transport, deviceId: DEVICE_ID, clock: () => TEST_NOW });
}

function envelope(overrides: Partial<RecordEnvelope> & Pick<RecordEnvelope, 'entity' | 'id' | 'data'>): RecordEnvelope {
  return {
    communeCode: COMMUNE_CODE,
    version: 1,
    deleted: false,
    updatedAt: TEST_NOW.toISOString(),
    updatedBy: OTHER_DEVICE,
    ...overrides,
  };
}

beforeEach(async () => {
  db = await openDatabase(`sync-engine-${Math.random()}`);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

describe('pushing the outbox', () => {
  it('sends every change once, in order, with seqs 1, 2, 3… and empties the outbox', async () => {
    const village = await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
    await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(village.id));
    const { transport, pushes } = scriptedTransport({});
    const outcome = await engineWith(transport).syncNow();

    expect(outcome).toMatchObject({ ok: true, push: { sent: 5, applied: 5 } });
    expect(pushes).toHaveLength(1);
    expect(pushes[0]?.ops.map((o) => o.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(pushes[0]?.ops[0]).toMatchObject({
      entity: 'village',
      recordId: village.id,
      baseVersion: null,
      communeCode: COMMUNE_CODE,
    });
    expect(await db.outbox.count()).toBe(0);
    expect(await villageVersion(village.id)).toBe(1);
  });

  it('resends exactly the same ops (same opIds and seqs) when the answer was lost', async () => {
    await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
    await saveVillage(db, ctx, { name: 'Thôn Tây', kind: 'thon' });
    const lost = scriptedTransport({ push: () => ({ ok: false, kind: 'offline' }) });
    expect(await engineWith(lost.transport).syncNow()).toMatchObject({ ok: false, failure: { kind: 'offline' } });
    expect(await db.outbox.count()).toBe(2);

    const retry = scriptedTransport({});
    await engineWith(retry.transport).syncNow();
    expect(retry.pushes[0]?.ops.map((o) => [o.opId, o.seq])).toEqual(lost.pushes[0]?.ops.map((o) => [o.opId, o.seq]));
    expect(await db.outbox.count()).toBe(0);
  });

  it("writes the first batch's results while the second is on the wire, and keeps them when the second push fails", async () => {
    for (let i = 0; i < 501; i += 1) await saveVillage(db, ctx, { name: `Thôn ${i}`, kind: 'thon' });
    const { transport, pushes } = scriptedTransport({});
    const failing: SyncTransport = {
      ...transport,
      async push(request) {
        const answer = await transport.push(request);
        return pushes.length === 2 ? { ok: false, kind: 'offline' } : answer;
      },
    };
    expect((await engineWith(failing).syncNow()).ok).toBe(false);
    expect(pushes.map((p) => p.ops.length)).toEqual([500, 1]);
    const left = await db.outbox.toArray();
    const sendState = await readSendState(db);
    expect(left.map((o) => [wireSeqOf(o, sendState), isFrozen(o, sendState)])).toEqual([[501, true]]);
    expect(await learnedEntries((version) => version === 1)).toBe(500);

    const retry = scriptedTransport({});
    expect(await engineWith(retry.transport).syncNow()).toMatchObject({ ok: true });
    expect(retry.pushes.map((p) => p.ops.map((o) => o.seq))).toEqual([[501]]);
    expect(await db.outbox.count()).toBe(0);
  });

  it('when taking the batch after the next fails on the device, the answer before is not written either, the status says it will retry, and the next sync resends it: nothing is lost', async () => {
    for (let i = 0; i < 1001; i += 1) await saveVillage(db, ctx, { name: `Thôn ${i}`, kind: 'thon' });
    // The 1,001st op cannot be measured for a batch (JSON has no BigInt): taking the third batch throws.
    const last = await db.outbox.orderBy('seq').last();
    await db.outbox.update(last?.seq ?? 0, { data: { broken: 1n } });
    const first = scriptedTransport({});
    const engine = engineWith(first.transport);
    expect(await engine.syncNow()).toEqual({ ok: false, failure: { ok: false, kind: 'device', reason: 'unexpected' } });
    expect(engine.getState().status).toBe('error'); // "will retry", not stuck at "pushing"
    expect(first.pushes.map((p) => p.ops.length)).toEqual([500, 500]);
    // The first answer was written in the transaction that failed: its ops are still here, frozen.
    expect(await db.outbox.count()).toBe(1001);
    expect(await learnedEntries()).toBe(0);

    await db.outbox.update(last?.seq ?? 0, { data: last?.data });
    const retry = scriptedTransport({});
    expect(await engineWith(retry.transport).syncNow()).toMatchObject({ ok: true });
    expect(retry.pushes.map((p) => [p.ops[0]?.seq, p.ops.length])).toEqual([
      [1, 500],
      [501, 500],
      [1001, 1],
    ]);
    expect(retry.pushes[0]?.ops.map((o) => o.opId)).toEqual(first.pushes[0]?.ops.map((o) => o.opId));
    expect(await db.outbox.count()).toBe(0);
    expect(await learnedEntries()).toBe(1001);
  });

  it('takes the next batch while one is on the wire, so that it goes out the moment the answer comes', async () => {
    for (let i = 0; i < 501; i += 1) await saveVillage(db, ctx, { name: `Thôn ${i}`, kind: 'thon' });
    const { transport, pushes } = scriptedTransport({});
    let nextFrozenWhileFirstOnWire = false;
    const watching: SyncTransport = {
      ...transport,
      async push(request) {
        // The first push stays on the wire until the 501st op is frozen for the next (≤ 1 s).
        for (let i = 0; pushes.length === 0 && i < 100 && !nextFrozenWhileFirstOnWire; i += 1) {
          const state = await readSendState(db);
          nextFrozenWhileFirstOnWire = (await db.outbox.toArray()).some(
            (o) => isFrozen(o, state) && wireSeqOf(o, state) === 501,
          );
          if (!nextFrozenWhileFirstOnWire) await new Promise((resolve) => setTimeout(resolve, 10));
        }
        return transport.push(request);
      },
    };
    expect(await engineWith(watching).syncNow()).toMatchObject({ ok: true });
    expect(nextFrozenWhileFirstOnWire).toBe(true);
    expect(pushes.map((p) => [p.ops[0]?.seq, p.ops.length])).toEqual([
      [1, 500],
      [501, 1],
    ]);
    expect(await db.outbox.count()).toBe(0);
  });

  it('gives an edit made after a lost push its own op with the next seq, sent after the first is answered and based on its version', async () => {
    const village = await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
    await engineWith(scriptedTransport({ push: () => ({ ok: false, kind: 'offline' }) }).transport).syncNow();
    await saveVillage(db, ctx, { name: 'Thôn Đông Bắc', kind: 'thon' }, village.id);
    const { transport, pushes } = scriptedTransport({});
    await engineWith(transport).syncNow();
    expect(pushes.map((p) => p.ops.map((o) => [o.seq, o.baseVersion, (o.data as { name: string }).name]))).toEqual([
      [[1, null, 'Thôn Đông']],
      [[2, 1, 'Thôn Đông Bắc']],
    ]);
  });

  it('rebases an edit made while its record was in flight on the version the server gave', async () => {
    const village = await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
    let call = 0;
    const transport: SyncTransport = {
      async push(request) {
        call += 1;
        // The person edits the village while the first push is on the wire: a new op, based on null.
        if (call === 1) await saveVillage(db, ctx, { name: 'Thôn Đông 2', kind: 'thon' }, village.id);
        return {
          ok: true,
          value: {
            results: request.ops.map((op) => ({
              opId: op.opId,
              status: 'applied' as const,
              version: (op.baseVersion ?? 0) + 1,
            })),
            ackSeq: call,
          },
        };
      },
      pull: async () => ({ ok: true, value: { changes: [], cursor: 'c0', hasMore: false } }),
      receipt: async () => ({ ok: false, kind: 'offline' }),
    };
    const sent: PushRequest[] = [];
    const recording: SyncTransport = {
      ...transport,
      push: (request) => (sent.push(structuredClone(request)), transport.push(request)),
    };
    await engineWith(recording).syncNow();
    expect(sent.map((r) => r.ops.map((o) => [o.seq, o.baseVersion]))).toEqual([[[1, null]], [[2, 1]]]);
    expect(await villageVersion(village.id)).toBe(2);
  });

  it('keeps my change and theirs in the conflict queue when the server says it is stale', async () => {
    const village = await saveVillage(db, ctx, { name: 'Thôn Đông (của tôi)', kind: 'thon' });
    const theirs = envelope({
      entity: 'village',
      id: village.id,
      version: 3,
      data: { name: 'Thôn Đông (của xã)', kind: 'thon', isDisadvantagedArea: false },
    });
    const { transport } = scriptedTransport({
      push: (request) => ({
        ok: true,
        value: {
          results: request.ops.map((op) => ({ opId: op.opId, status: 'conflict' as const, current: theirs })),
          ackSeq: 1,
        },
      }),
    });
    const outcome = await engineWith(transport).syncNow();
    expect(outcome).toMatchObject({ ok: true, push: { conflicts: 1 } });
    const [conflict] = await db.conflicts.toArray();
    expect(conflict).toMatchObject({
      recordId: village.id,
      mine: { name: 'Thôn Đông (của tôi)' },
      theirs: { name: 'Thôn Đông (của xã)' },
      theirsVersion: 3,
    });
    expect((await db.villages.get(village.id))?.data).toMatchObject({ name: 'Thôn Đông (của tôi)' });
    expect(await db.outbox.count()).toBe(0);
  });

  it('folds an edit made while the conflicting change was on the wire into that one conflict, and the resolution goes out on their version', async () => {
    const village = await saveVillage(db, ctx, { name: 'Thôn Đông (của tôi)', kind: 'thon' });
    const theirs = envelope({
      entity: 'village',
      id: village.id,
      version: 3,
      data: { name: 'Thôn Đông (của xã)', kind: 'thon', isDisadvantagedArea: false },
    });
    const sent: PushRequest[] = [];
    const { transport } = scriptedTransport({
      push: (request, call) => {
        sent.push(structuredClone(request));
        return call === 1
          ? {
              ok: true,
              value: {
                results: request.ops.map((op) => ({ opId: op.opId, status: 'conflict' as const, current: theirs })),
                ackSeq: 1,
              },
            }
          : {
              ok: true,
              value: {
                results: request.ops.map((op) => ({ opId: op.opId, status: 'applied' as const, version: 4 })),
                ackSeq: 2,
              },
            };
      },
    });
    const editing: SyncTransport = {
      ...transport,
      async push(request) {
        // The person edits the village again while the first push is on the wire.
        if (sent.length === 0)
          await saveVillage(db, ctx, { name: 'Thôn Đông (sửa lần hai)', kind: 'thon' }, village.id);
        return transport.push(request);
      },
    };
    expect(await engineWith(editing).syncNow()).toMatchObject({ ok: true, push: { conflicts: 1 } });
    const conflicts = await db.conflicts.toArray();
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ mine: { name: 'Thôn Đông (sửa lần hai)' }, theirsVersion: 3 });
    expect(await db.outbox.count()).toBe(0);

    const opId = conflicts[0]?.opId ?? '';
    await resolveConflict(db, ctx, opId, {}, 'mine');
    await engineWith(editing).syncNow();
    expect(sent.at(-1)?.ops.map((o) => [o.baseVersion, (o.data as { name: string }).name])).toEqual([
      [3, 'Thôn Đông (sửa lần hai)'],
    ]);
  });

  it('keeps an edit made after the conflict came as mine, and sends the resolution on their version', async () => {
    const village = await saveVillage(db, ctx, { name: 'Thôn Đông (của tôi)', kind: 'thon' });
    const theirs = envelope({
      entity: 'village',
      id: village.id,
      version: 3,
      data: { name: 'Thôn Đông (của xã)', kind: 'thon', isDisadvantagedArea: false },
    });
    const { transport, pushes } = scriptedTransport({
      push: (request, call) =>
        call === 1
          ? {
              ok: true,
              value: {
                results: request.ops.map((op) => ({ opId: op.opId, status: 'conflict' as const, current: theirs })),
                ackSeq: 1,
              },
            }
          : {
              ok: true,
              value: {
                results: request.ops.map((op) => ({ opId: op.opId, status: 'applied' as const, version: 4 })),
                ackSeq: 2,
              },
            },
    });
    await engineWith(transport).syncNow();
    await saveVillage(db, ctx, { name: 'Thôn Đông (sửa sau)', kind: 'thon' }, village.id);
    const [conflict] = await listConflicts(db);
    expect(conflict?.mine).toMatchObject({ name: 'Thôn Đông (sửa sau)' });
    await resolveConflict(db, ctx, conflict?.opId ?? '', {}, 'mine');
    await engineWith(transport).syncNow();
    expect(pushes.at(-1)?.ops.map((o) => [o.baseVersion, (o.data as { name: string }).name])).toEqual([
      [3, 'Thôn Đông (sửa sau)'],
    ]);
    expect(await db.conflicts.count()).toBe(0);
  });

  it('sends a resolution on the version the person resolved against, even when a newer one came down while the conflict waited', async () => {
    const village = await saveVillage(db, ctx, { name: 'Thôn Đông (của tôi)', kind: 'thon' });
    const atVersion = (version: number, name: string) =>
      envelope({
        entity: 'village',
        id: village.id,
        version,
        data: { name, kind: 'thon', isDisadvantagedArea: false },
      });
    const { transport, pushes } = scriptedTransport({
      push: (request, call) => ({
        ok: true,
        value: {
          results: request.ops.map((op) =>
            call === 1
              ? { opId: op.opId, status: 'conflict' as const, current: atVersion(3, 'Thôn Đông (của xã)') }
              : { opId: op.opId, status: 'conflict' as const, current: atVersion(5, 'Thôn Đông (mới hơn)') },
          ),
          ackSeq: call,
        },
      }),
      pull: (_cursor, call) => ({
        ok: true,
        value: { changes: call === 2 ? [atVersion(5, 'Thôn Đông (mới hơn)')] : [], cursor: `c${call}`, hasMore: false },
      }),
    });
    await engineWith(transport).syncNow(); // the conflict, at version 3
    await engineWith(transport).syncNow(); // version 5 comes down: nothing of mine waits for it
    expect(await villageVersion(village.id)).toBe(5);

    const [conflict] = await listConflicts(db);
    await resolveConflict(db, ctx, conflict?.opId ?? '', {}, 'mine');
    await engineWith(transport).syncNow();
    // Based on 5, it would overwrite a change the person never saw; on 3 the server says so.
    expect(pushes.at(-1)?.ops.map((o) => [o.baseVersion, (o.data as { name: string }).name])).toEqual([
      [3, 'Thôn Đông (của tôi)'],
    ]);
    expect(await db.conflicts.toArray()).toEqual([expect.objectContaining({ theirsVersion: 5 })]);
  });

  it('treats a "conflict" where the server already holds exactly my change as no conflict', async () => {
    const village = await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
    const same = envelope({
      entity: 'village',
      id: village.id,
      version: 4,
      data: { kind: 'thon', name: 'Thôn Đông', isDisadvantagedArea: false },
    });
    const { transport } = scriptedTransport({
      push: (request) => ({
        ok: true,
        value: {
          results: request.ops.map((op) => ({ opId: op.opId, status: 'conflict' as const, current: same })),
          ackSeq: 1,
        },
      }),
    });
    expect(await engineWith(transport).syncNow()).toMatchObject({ ok: true, push: { conflicts: 0, applied: 1 } });
    expect(await db.conflicts.count()).toBe(0);
    expect(await villageVersion(village.id)).toBe(4);
  });

  it('keeps a rejected change with its reason for the person to see', async () => {
    await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
    const { transport } = scriptedTransport({
      push: (request) => ({
        ok: true,
        value: {
          results: request.ops.map((op) => ({
            opId: op.opId,
            status: 'rejected' as const,
            error: { code: 'forbidden_scope', message: 'outside scope' },
          })),
          ackSeq: 1,
        },
      }),
    });
    await engineWith(transport).syncNow();
    expect(await db.rejections.toArray()).toEqual([
      expect.objectContaining({ code: 'forbidden_scope', data: expect.objectContaining({ name: 'Thôn Đông' }) }),
    ]);
  });
});

describe('a push the server refuses as a whole (4xx other than 401, 429, 503)', () => {
  /** A server that refuses (status, code) any request carrying the op of `poisonId`, and applies the rest. */
  function refusingTransport(poisonId: string, status: number, code: string) {
    const script = scriptedTransport({});
    const refusing: SyncTransport = {
      ...script.transport,
      async push(request) {
        const answer = await script.transport.push(request);
        return request.ops.some((op) => op.recordId === poisonId)
          ? { ok: false, kind: 'refused', status, code }
          : answer;
      },
    };
    return { ...script, transport: refusing };
  }

  it('halves a refused batch until the refusal is down to one op: every op before it is applied, it and those after it stay in order', async () => {
    const villages = [];
    for (let i = 0; i < 10; i += 1) villages.push(await saveVillage(db, ctx, { name: `Thôn ${i}`, kind: 'thon' }));
    const poison = villages[6]?.id ?? '';
    const { transport, pushes } = refusingTransport(poison, 400, 'invalid_request');
    const engine = engineWith(transport);
    const outcome = await engine.syncNow();

    expect(outcome).toEqual({
      ok: false,
      failure: {
        ok: false,
        kind: 'push_refused',
        status: 400,
        code: 'invalid_request',
        op: { entity: 'village', recordId: poison, wireSeq: 7 },
      },
    });
    expect(engine.getState()).toMatchObject({ status: 'blocked', failure: { kind: 'push_refused' } });
    // [1-10] refused, [1-5] applied, [6-10] refused, [6-8] refused, [6-7] refused, [6] applied, [7] refused.
    expect(pushes.map((p) => p.ops.map((o) => o.seq))).toEqual([
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      [1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10],
      [6, 7, 8],
      [6, 7],
      [6],
      [7],
    ]);
    const left = await db.outbox.orderBy('seq').toArray();
    expect(left.map((o) => o.recordId)).toEqual(villages.slice(6).map((v) => v.id));
    expect(await db.rejections.count()).toBe(0); // nothing set aside or dropped by the device
    const state = await readSendState(db);
    expect(left.map((o) => wireSeqOf(o, state))).toEqual([7, 8, 9, 10]);
  });

  it("still pulls the commune's changes while its push is refused", async () => {
    const poison = await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
    const theirs = sequentialIds(700)();
    const script = refusingTransport(poison.id, 400, 'invalid_request');
    const pulling: SyncTransport = {
      ...script.transport,
      pull: async () => ({
        ok: true,
        value: {
          changes: [
            envelope({
              entity: 'village',
              id: theirs,
              data: { name: 'Thôn Bắc', kind: 'thon', isDisadvantagedArea: false },
            }),
          ],
          cursor: 'c1',
          hasMore: false,
        },
      }),
    };
    expect(await engineWith(pulling).syncNow()).toMatchObject({ ok: false, failure: { kind: 'push_refused' } });
    expect((await db.villages.get(theirs))?.data).toMatchObject({ name: 'Thôn Bắc' });
    expect(await readSetting(db, 'pullCursor')).toBe('c1');
  });

  it('resends the same ops, opIds and seqs unchanged, when the next sync finds the server taking them', async () => {
    const villages = [];
    for (let i = 0; i < 3; i += 1) villages.push(await saveVillage(db, ctx, { name: `Thôn ${i}`, kind: 'thon' }));
    const refused = refusingTransport(villages[1]?.id ?? '', 413, 'batch_too_large');
    expect(await engineWith(refused.transport).syncNow()).toMatchObject({
      ok: false,
      failure: { status: 413, code: 'batch_too_large', op: { wireSeq: 2 } },
    });
    const opIdsRefused = refused.pushes.at(-1)?.ops.map((o) => o.opId);

    const fixed = scriptedTransport({});
    expect(await engineWith(fixed.transport).syncNow()).toMatchObject({ ok: true, push: { applied: 2 } });
    expect(fixed.pushes.map((p) => p.ops.map((o) => o.seq))).toEqual([[2, 3]]);
    expect(fixed.pushes[0]?.ops[0]?.opId).toBe(opIdsRefused?.[0]);
    expect(await db.outbox.count()).toBe(0);
  });

  it('does not split a batch refused for a reason no op causes (403), and blocks at once', async () => {
    const village = await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
    await saveVillage(db, ctx, { name: 'Thôn Tây', kind: 'thon' });
    const { transport, pushes } = refusingTransport(village.id, 403, 'forbidden_scope');
    expect(await engineWith(transport).syncNow()).toEqual({
      ok: false,
      failure: { ok: false, kind: 'push_refused', status: 403, code: 'forbidden_scope' },
    });
    expect(pushes).toHaveLength(1);
    expect(await db.outbox.count()).toBe(2);
  });
});

describe('pulling changes', () => {
  const villageId = sequentialIds(900)();
  const page = (cursor: string, hasMore: boolean, changes: RecordEnvelope[]): TransportResult<PullResponse> => ({
    ok: true,
    value: { changes, cursor, hasMore },
  });

  it('stores the records of every page and the cursor after the last one', async () => {
    const householdId = sequentialIds(901)();
    const { transport, pulls, pullLimits } = scriptedTransport({
      pull: (_cursor, call) =>
        call === 1
          ? page('c1', true, [
              envelope({
                entity: 'village',
                id: villageId,
                data: { name: 'Thôn Bắc', kind: 'thon', isDisadvantagedArea: false },
              }),
            ])
          : page('c2', false, [
              envelope({ entity: 'household', id: householdId, data: { villageId, headName: 'Đỗ Văn Hải' } }),
            ]),
    });
    const outcome = await engineWith(transport).syncNow();
    expect(outcome).toMatchObject({ ok: true, received: 2 });
    expect(pulls).toEqual([undefined, 'c1']);
    expect(pullLimits).toEqual([250, 1000]); // a short first page shows the first records sooner
    expect(await readSetting(db, 'pullCursor')).toBe('c2');
    expect((await db.households.get(householdId))?.searchText).toBe('do van hai');
  });

  it("makes a household findable by its members' names whether they come in its page or a later one", async () => {
    const ids = sequentialIds(950);
    const [first, second] = [ids(), ids()];
    const member = (householdId: string, fullName: string) =>
      envelope({ entity: 'citizen', id: ids(), data: { householdId, fullName } });
    const { transport } = scriptedTransport({
      pull: (_cursor, call) =>
        call === 1
          ? page('c1', true, [
              envelope({ entity: 'household', id: first, data: { villageId, headName: 'Đỗ Văn Hải' } }),
              member(first, 'Đỗ Thị Lan'),
              envelope({ entity: 'household', id: second, data: { villageId, headName: 'Lê Văn Nam' } }),
            ])
          : page('c2', false, [member(second, 'Lê Thị Hồng')]),
    });
    expect(await engineWith(transport).syncNow()).toMatchObject({ ok: true, received: 4 });
    const found = async (query: string) => (await searchHouseholds(db, [villageId], query)).map((h) => h.id);
    expect(await found('do thi lan')).toEqual([first]);
    expect(await found('le thi hong')).toEqual([second]);
    expect(await found('le van nam')).toEqual([second]);
  });

  it('changes nothing when the same page is applied again', async () => {
    const change = envelope({
      entity: 'village',
      id: villageId,
      version: 2,
      data: { name: 'Thôn Bắc', kind: 'thon', isDisadvantagedArea: false },
    });
    const { transport } = scriptedTransport({ pull: () => page('c1', false, [change]) });
    await engineWith(transport).syncNow();
    const first = await db.villages.get(villageId);
    // The same page again (a pull whose cursor was not stored). A page with other data at this
    // version is the server's own copy and replaces mine: apply-pull.test.ts.
    await engineWith(scriptedTransport({ pull: () => page('c1', false, [{ ...change }]) }).transport).syncNow();
    expect(await db.villages.get(villageId)).toEqual(first);
  });

  it('does not move the cursor when applying a page fails, and says it will retry', async () => {
    db.villages.hook('creating', () => {
      throw new Error('disk full');
    });
    const { transport } = scriptedTransport({
      pull: () =>
        page('c9', false, [
          envelope({
            entity: 'village',
            id: villageId,
            data: { name: 'Thôn Bắc', kind: 'thon', isDisadvantagedArea: false },
          }),
        ]),
    });
    const engine = engineWith(transport);
    expect(await engine.syncNow()).toMatchObject({ ok: false, failure: { kind: 'device' } });
    expect(engine.getState().status).toBe('error');
    expect(await readSetting(db, 'pullCursor')).toBeUndefined();
    expect(await db.villages.count()).toBe(0);
  });

  it('tells a full phone apart from other failures on the device', async () => {
    db.villages.hook('creating', () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const { transport } = scriptedTransport({
      pull: () =>
        page('c9', false, [
          envelope({
            entity: 'village',
            id: villageId,
            data: { name: 'Thôn Bắc', kind: 'thon', isDisadvantagedArea: false },
          }),
        ]),
    });
    const engine = engineWith(transport);
    expect(await engine.syncNow()).toEqual({
      ok: false,
      failure: { ok: false, kind: 'device', reason: 'storage_full' },
    });
    expect(engine.getState()).toMatchObject({ status: 'error', failure: { reason: 'storage_full' } });
    expect(await readSetting(db, 'pullCursor')).toBeUndefined();
  });

  it('keeps my unsent edit of a record that changed on the server while the pull runs over it', async () => {
    const village = await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
    const { transport, pushes, pulls } = scriptedTransport({
      pull: () =>
        page('c1', false, [
          envelope({
            entity: 'village',
            id: village.id,
            version: 4,
            data: { name: 'Của xã', kind: 'thon', isDisadvantagedArea: false },
          }),
        ]),
    });
    const editing: SyncTransport = {
      ...transport,
      async pull(cursor, limit) {
        // The push went through (version 1); the person edits the village while the pull is on
        // the wire, so the page lands on a record with an unsent change of mine.
        await saveVillage(db, ctx, { name: 'Của tôi', kind: 'thon' }, village.id);
        return transport.pull(cursor, limit);
      },
    };
    expect(await engineWith(editing).syncNow()).toMatchObject({ ok: true, push: { applied: 1 }, received: 1 });
    expect(pushes).toHaveLength(1);
    expect(pulls).toEqual([undefined]);
    expect(await readSetting(db, 'pullCursor')).toBe('c1'); // the page was applied, cursor and all
    expect(await db.outbox.count()).toBe(1);
    expect((await db.villages.get(village.id))?.data).toMatchObject({ name: 'Của tôi' });
  });
});

describe('the sync engine', () => {
  it('runs one sync at a time: calls made during a sync share it', async () => {
    await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
    const { transport, pushes } = scriptedTransport({});
    const engine = engineWith(transport);
    const [a, b] = await Promise.all([engine.syncNow(), engine.syncNow()]);
    expect(a).toBe(b);
    expect(pushes).toHaveLength(1);
  });

  it('clears away, as it syncs, a photo that nothing has named for over a week', async () => {
    const weekAgo = new Date(TEST_NOW.getTime() - ORPHAN_PHOTO_GRACE_MS - 1000).toISOString();
    const old = {
      ownerKey: 'c1|learning_citizen|2026',
      criterionId: 'cs01',
      blob: new Blob([]),
      mimeType: 'image/jpeg' as const,
      bytes: 0,
      width: 1,
      height: 1,
      uploaded: 0 as const,
    };
    await db.attachments.bulkAdd([
      { ...old, id: 'removed-before-saving', createdAt: weekAgo },
      { ...old, id: 'taken-just-now', createdAt: TEST_NOW.toISOString() },
    ]);
    await engineWith(scriptedTransport({}).transport).syncNow();
    expect(await db.attachments.toCollection().primaryKeys()).toEqual(['taken-just-now']);
  });

  it('reports offline, then idle after a good sync', async () => {
    const offline = engineWith(scriptedTransport({ pull: () => ({ ok: false, kind: 'offline' }) }).transport);
    await offline.syncNow();
    expect(offline.getState().status).toBe('offline');
    const online = engineWith(scriptedTransport({}).transport);
    await online.syncNow();
    expect(online.getState().status).toBe('idle');
  });

  it('is blocked when the server no longer knows the device', async () => {
    await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
    const engine = engineWith(
      scriptedTransport({ push: () => ({ ok: false, kind: 'unauthorized', status: 401 }) }).transport,
    );
    await engine.syncNow();
    expect(engine.getState().status).toBe('blocked');
  });
});
