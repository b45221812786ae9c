import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_NOW } from '../../../tests/factories/records';
import { openDatabase, type AppDatabase, type OutboxOp } from './db';
import { freezeOps, isFrozen, pruneSendState, readSendState, wireSeqOf } from './outbox-state';

let db: AppDatabase;
beforeEach(async () => {
  db = await openDatabase(`outbox-state-${Math.random()}`);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

let nextRecord = 0;
function newOp(): OutboxOp {
  nextRecord += 1;
  return {
    opId: `op-${nextRecord}`,
    entity: 'village',
    recordId: `r-${nextRecord}`,
    communeCode: '00001',
    kind: 'upsert',
    baseVersion: null,
    data: { n: nextRecord },
    clientTime: TEST_NOW.toISOString(),
    attempts: 0,
  };
}
const addOps = (n: number) => db.outbox.bulkAdd(Array.from({ length: n }, newOp), { allKeys: true });
const freezeHead = (limit: number) =>
  db.transaction('rw', db.outbox, db.outboxState, async () =>
    freezeOps(db, await db.outbox.orderBy('seq').limit(limit).toArray()),
  );
const givenSeqsThrough = (lastWireSeq: number) =>
  db.outboxState.put({ key: 'send', frozenThrough: 0, runs: [], lastWireSeq });
const prune = () => db.transaction('rw', db.outbox, db.outboxState, () => pruneSendState(db));
const seqsOf = (frozen: Map<OutboxOp, number>) => [...frozen.values()];

describe('the send state of the outbox', () => {
  it('gives ops their protocol seqs in outbox order, continuing from the last seq ever given', async () => {
    await givenSeqsThrough(40);
    await addOps(5);
    expect(seqsOf(await freezeHead(3))).toEqual([41, 42, 43]);
    expect(seqsOf(await freezeHead(5))).toEqual([41, 42, 43, 44, 45]);
    expect(await readSendState(db)).toMatchObject({ frozenThrough: 5, lastWireSeq: 45 });
  });

  it('counts ops up to the frozen key as carried and later ops as unsent', async () => {
    await addOps(4);
    await freezeHead(2);
    const state = await readSendState(db);
    expect((await db.outbox.orderBy('seq').toArray()).map((op) => isFrozen(op, state))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it("keeps seqs without gaps when outbox keys have gaps, and finds each op's seq again", async () => {
    await addOps(6);
    await db.outbox.bulkDelete([2, 3, 5]);
    const frozen = await freezeHead(10);
    expect(seqsOf(frozen)).toEqual([1, 2, 3]);
    const state = await readSendState(db);
    expect(state.runs).toEqual([
      [1, 1, 1],
      [4, 4, 2],
      [6, 6, 3],
    ]);
    expect((await db.outbox.orderBy('seq').toArray()).map((op) => wireSeqOf(op, state))).toEqual([1, 2, 3]);
  });

  it('forgets the runs of ops that have left the outbox and keeps the rest', async () => {
    await addOps(4);
    await freezeHead(2);
    await addOps(1);
    await db.outbox.bulkDelete([3]);
    await freezeHead(10);
    expect((await readSendState(db)).runs).toEqual([
      [1, 2, 1],
      [4, 5, 3],
    ]);
    await db.outbox.bulkDelete([1, 2]);
    await prune();
    expect(await readSendState(db)).toEqual({ frozenThrough: 5, runs: [[4, 5, 3]], lastWireSeq: 4 });
    await db.outbox.clear();
    await prune();
    expect(await readSendState(db)).toEqual({ frozenThrough: 5, runs: [], lastWireSeq: 4 });
  });

  it('still treats an op frozen by an older version of the app (attempts and seq on its row) as carried', async () => {
    await db.outbox.add({ ...newOp(), attempts: 1, wireSeq: 7 });
    await givenSeqsThrough(7);
    await addOps(1);
    const state = await readSendState(db);
    const [legacy, fresh] = await db.outbox.orderBy('seq').toArray();
    expect([isFrozen(legacy!, state), wireSeqOf(legacy!, state)]).toEqual([true, 7]);
    expect(seqsOf(await freezeHead(2))).toEqual([7, 8]);
    expect(wireSeqOf(fresh!, await readSendState(db))).toBe(8);
  });

  it('gives every op one seq for good, gap-free and in order, whatever mix of new ops, sends, answers and dropped unsent ops comes', async () => {
    type Step =
      | { kind: 'add'; n: number }
      | { kind: 'send'; n: number }
      | { kind: 'answer'; n: number }
      | { kind: 'dropUnsent'; index: number };
    const step = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), n: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('send' as const), n: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ kind: fc.constant('answer' as const), n: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ kind: fc.constant('dropUnsent' as const), index: fc.nat({ max: 5 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps: Step[]) => {
        await db.outbox.clear();
        await db.outboxState.clear();
        const given = new Map<string, number>(); // opId → seq, once given never changes
        for (const s of steps) {
          if (s.kind === 'add') await addOps(s.n);
          else if (s.kind === 'send')
            for (const [op, seq] of await freezeHead(s.n)) {
              expect(given.get(op.opId) ?? seq).toBe(seq);
              given.set(op.opId, seq);
            }
          else if (s.kind === 'answer') {
            const state = await readSendState(db);
            const carried = (await db.outbox.orderBy('seq').limit(s.n).toArray()).filter((op) => isFrozen(op, state));
            await db.outbox.bulkDelete(carried.map((op) => op.seq!));
            await prune();
          } else {
            const state = await readSendState(db);
            const unsent = (await db.outbox.orderBy('seq').toArray()).filter((op) => !isFrozen(op, state));
            const victim = unsent[s.index % Math.max(unsent.length, 1)];
            if (victim) await db.outbox.delete(victim.seq!);
          }
          const state = await readSendState(db);
          for (const op of await db.outbox.toArray()) expect(wireSeqOf(op, state)).toBe(given.get(op.opId));
        }
        const seqs = [...given.values()];
        expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      }),
      { numRuns: 60 },
    );
  });
});
