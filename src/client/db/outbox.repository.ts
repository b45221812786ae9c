import type { AppDatabase, ConflictRow, OutboxOp, RejectionRow } from './db';
import { freezeOps, isFrozen, pruneSendState, readSendState, type SendState } from './outbox-state';
import { learnServerVersions } from './server-versions';
import { writeSetting } from './settings.repository';
import type { WriteContext } from './write-context';

/**
 * The outbox: every change made on this device, in the order it was made, until the server has
 * answered it (sync-protocol.md, "Push"; the invariants are in sync/README.md). This repository
 * owns the outbox, its send state (outbox-state.ts: which ops a push already carried, with which
 * seqs) and what an answer teaches (the records' server versions, conflicts, rejections), and
 * keeps them consistent: each function below is one transaction, or runs inside its caller's.
 * The sync code keeps the protocol (batch limits, halving a refused batch, retries).
 */

/**
 * The tables the outbox writes besides the record's own, for a record write's transaction: the
 * op, the send state (a frozen op is never changed) and the server versions (the op's base).
 */
export function outboxTables(db: AppDatabase) {
  return [db.outbox, db.outboxState, db.learnedVersions];
}

/** An op as a push (or an export file) carries it: with the protocol seq it was given when first carried. */
export interface SentOp {
  readonly op: OutboxOp;
  readonly wireSeq: number;
}

/** How much one push may carry (the protocol's limits, measured by the sync code). */
export interface BatchLimits {
  readonly maxOps: number;
  /** For the ops together; the first op of a batch goes whatever its size. */
  readonly maxBytes: number;
  readonly bytesOf: (op: OutboxOp) => number;
}

/** What the server answered for one op, as the outbox keeps it. */
export type OpAnswer =
  /** Applied, a duplicate of one applied before, or the very change the server already holds. */
  | { readonly kind: 'applied'; readonly version: number | null }
  | { readonly kind: 'conflict'; readonly theirs: unknown; readonly theirsVersion: number }
  | { readonly kind: 'rejected'; readonly code: string; readonly message: string; readonly details: unknown };

/**
 * Adds a change to the outbox. Runs inside the caller's transaction (with `outboxTables`), so the
 * record and its op are written together or not at all. Several edits to one record before the
 * server has seen any of them become ONE op (the newest data, the original baseVersion): sending
 * them one by one would make the second a false conflict. An op a push or export already carried
 * (frozen) is never changed: the server may have applied it; the edit gets its own op.
 */
export async function enqueueOp(
  db: AppDatabase,
  ctx: WriteContext,
  op: Pick<OutboxOp, 'entity' | 'recordId' | 'kind' | 'baseVersion' | 'data'>,
): Promise<void> {
  const state = await readSendState(db);
  const pending = await db.outbox
    .where('recordId')
    .equals(op.recordId)
    .filter((o) => !isFrozen(o, state))
    .last();
  const clientTime = ctx.now.toISOString();
  if (pending?.seq !== undefined) {
    await db.outbox.update(pending.seq, { kind: op.kind, data: op.data, clientTime });
    return;
  }
  await db.outbox.add({ ...op, opId: ctx.newId(), communeCode: ctx.communeCode, clientTime, attempts: 0 });
}

/** Number of changes the server has not confirmed yet (the home screen's "chưa gửi"). */
export function countUnsynced(db: AppDatabase): Promise<number> {
  return db.outbox.count();
}

/** Which of these records have a change waiting in the outbox (carried or not). */
export function recordsWaiting(db: AppDatabase, recordIds: readonly string[]): Promise<Set<string>> {
  return db.outbox
    .where('recordId')
    .anyOf([...recordIds])
    .toArray()
    .then((ops) => new Set(ops.map((op) => op.recordId)));
}

/**
 * Where each record's waiting changes stand: `unsent` when one was never carried (the person's
 * last edit), else `sending` (carried, no written answer yet). Records with none are absent.
 */
export async function waitingStates(
  db: AppDatabase,
  recordIds: readonly string[],
): Promise<Map<string, 'unsent' | 'sending'>> {
  const [ops, state] = await Promise.all([
    db.outbox
      .where('recordId')
      .anyOf([...recordIds])
      .toArray(),
    readSendState(db),
  ]);
  const states = new Map<string, 'unsent' | 'sending'>();
  for (const op of ops)
    states.set(op.recordId, isFrozen(op, state) && states.get(op.recordId) !== 'unsent' ? 'sending' : 'unsent');
  return states;
}

/** The newest op per record that no push has carried yet (what the person last did to it). */
export async function newestUnsentOps(db: AppDatabase, recordIds: readonly string[]): Promise<Map<string, OutboxOp>> {
  return newestUnsent(db, recordIds, await readSendState(db));
}

async function newestUnsent(db: AppDatabase, recordIds: readonly string[], state: SendState) {
  if (recordIds.length === 0) return new Map<string, OutboxOp>();
  const unsent = await db.outbox
    .where('recordId')
    .anyOf([...recordIds])
    .filter((o) => !isFrozen(o, state))
    .sortBy('seq');
  return new Map(unsent.map((op) => [op.recordId, op]));
}

/**
 * Takes the unsent ops of these records out of the outbox and returns the newest of each (the
 * caller keeps it elsewhere: a conflict, a withdrawal). Ops a push already carried stay: they must
 * be re-sent exactly as they were. Runs inside the caller's transaction (outboxTables).
 */
export async function takeBackUnsent(db: AppDatabase, recordIds: readonly string[]): Promise<Map<string, OutboxOp>> {
  return takeBack(db, recordIds, await readSendState(db));
}

async function takeBack(db: AppDatabase, recordIds: readonly string[], state: SendState) {
  if (recordIds.length === 0) return new Map<string, OutboxOp>();
  const newest = await newestUnsent(db, recordIds, state);
  // Every unsent op of these records (coalescing keeps it to one each, but never leave one behind).
  await db.outbox
    .where('recordId')
    .anyOf([...recordIds])
    .filter((o) => !isFrozen(o, state))
    .delete();
  return newest;
}

/** Bases the unsent change of a record on `version` (a resolved conflict stands on the server's). */
export async function rebaseUnsent(db: AppDatabase, recordId: string, version: number): Promise<void> {
  const state = await readSendState(db);
  await db.outbox
    .where('recordId')
    .equals(recordId)
    .filter((o) => !isFrozen(o, state))
    .modify({ baseVersion: version });
}

/**
 * The next batch, in outbox order, frozen: every op that never went out gets its protocol seq
 * (outbox-state.ts), so a retry resends exactly this; later edits of its records get new ops.
 * It follows `after` (the batch before it, on the wire or answered but its results not written,
 * still at the head of the outbox) and never carries a record of theirs nor a second op of one
 * record: such an op's baseVersion is only known once the earlier op's answer is written, and is
 * rebased then. It ends at the first op that does not fit, never skipping one.
 */
export function takeBatch(db: AppDatabase, limits: BatchLimits, after: readonly SentOp[] = []): Promise<SentOp[]> {
  return db.transaction('rw', db.outbox, db.outboxState, async () => {
    const batch: OutboxOp[] = [];
    let bytes = 0;
    const recordIds = new Set(after.map((sent) => sent.op.recordId));
    const lastAfter = after[after.length - 1]?.op.seq;
    const next = lastAfter === undefined ? db.outbox.orderBy('seq') : db.outbox.where('seq').above(lastAfter);
    // One read of the next ops (getAll with a count, not a cursor step per op).
    for (const op of await next.limit(limits.maxOps).toArray()) {
      const size = limits.bytesOf(op);
      if (recordIds.has(op.recordId) || (batch.length > 0 && bytes + size > limits.maxBytes)) break;
      bytes += size;
      recordIds.add(op.recordId);
      batch.push(op);
    }
    return withSeqs(batch, await freezeOps(db, batch));
  });
}

/** Every op of the outbox, frozen like a sent batch (an export file carries them; the outbox keeps them). */
export function takeAll(db: AppDatabase): Promise<SentOp[]> {
  return db.transaction('rw', db.outbox, db.outboxState, async () => {
    const ops = await db.outbox.orderBy('seq').toArray();
    return withSeqs(ops, await freezeOps(db, ops));
  });
}

const withSeqs = (ops: readonly OutboxOp[], seqs: Map<OutboxOp, number>): SentOp[] =>
  ops.map((op) => ({ op, wireSeq: seqs.get(op) ?? 0 }));

/**
 * Writes the server's answers to a batch, all in one transaction: answered ops leave the outbox;
 * applied ones teach their record's server version, and the record's later unsent edits are
 * rebased on it; a conflict or a rejection goes to its own queue with the op's data, so the person
 * sees it and nothing is lost (edits of that record made meanwhile join the conflict). An op with
 * no answer stays, frozen, and goes again. `lastSync` notes the server's ackSeq.
 *
 * With `thenTake` (the batch now on the wire) the same transaction then takes the batch after it:
 * one IndexedDB transaction per batch instead of two. Should taking fail, the answers are not
 * written either; the ops stay frozen, go again, and the server answers them as duplicates.
 */
export async function recordAnswers(
  db: AppDatabase,
  answered: {
    readonly batch: readonly SentOp[];
    readonly answers: ReadonlyMap<string, OpAnswer>;
    readonly ackSeq: number;
  },
  now: Date,
  thenTake?: { readonly after: readonly SentOp[]; readonly limits: BatchLimits },
): Promise<SentOp[]> {
  const tables = [...outboxTables(db), db.conflicts, db.rejections, db.settings];
  return db.transaction('rw', tables, async () => {
    const done: number[] = [];
    const versions: { recordId: string; version: number }[] = [];
    const conflicts: ConflictRow[] = [];
    const rejections: RejectionRow[] = [];
    for (const { op } of answered.batch) {
      const answer = answered.answers.get(op.opId);
      if (!answer || op.seq === undefined) continue;
      done.push(op.seq);
      const about = { opId: op.opId, entity: op.entity, recordId: op.recordId };
      if (answer.kind === 'applied') {
        if (answer.version !== null) versions.push({ recordId: op.recordId, version: answer.version });
      } else if (answer.kind === 'conflict') {
        const { theirs, theirsVersion } = answer;
        conflicts.push({
          ...about,
          mine: op.data,
          mineKind: op.kind,
          theirs,
          theirsVersion,
          detectedAt: now.toISOString(),
        });
      } else {
        const { code, message, details } = answer;
        rejections.push({ ...about, data: op.data, code, message, details, rejectedAt: now.toISOString() });
      }
    }
    await deleteAnswered(db, answered.batch, done);
    const state = await pruneSendState(db);
    await foldLaterEdits(db, conflicts, state);
    await db.conflicts.bulkPut(conflicts);
    await db.rejections.bulkPut(rejections);
    // Later unsent edits of these records are now based on the version the server gave them.
    const newest = await learnServerVersions(db, versions);
    if (newest.size > 0) {
      await db.outbox
        .where('recordId')
        .anyOf([...newest.keys()])
        .filter((o) => !isFrozen(o, state))
        .modify((o) => {
          o.baseVersion = newest.get(o.recordId) ?? o.baseVersion;
        });
    }
    await writeSetting(db, 'lastSync', { at: now.toISOString(), ackSeq: answered.ackSeq }, now);
    return thenTake ? takeBatch(db, thenTake.limits, thenTake.after) : [];
  });
}

/**
 * A batch is a run of consecutive outbox keys (takeBatch never skips one), so when every op of it
 * was answered, one range delete removes exactly them (a fraction of 500 single deletes).
 */
function deleteAnswered(db: AppDatabase, batch: readonly SentOp[], done: readonly number[]): Promise<unknown> {
  const first = batch[0]?.op.seq;
  const last = batch[batch.length - 1]?.op.seq;
  if (new Set(done).size === batch.length && first !== undefined && last !== undefined)
    return db.outbox.where(':id').between(first, last, true, true).delete();
  return db.outbox.bulkDelete([...done]);
}

/**
 * Edits of a record made while its conflicting op was on the wire join the conflict: "mine" is the
 * newest of them and they leave the outbox. Otherwise they would go out based on no version and
 * come back as a second conflict, and the person's resolution would coalesce into them and
 * inherit that missing base. The record on the device already holds the newest data.
 */
async function foldLaterEdits(db: AppDatabase, conflicts: ConflictRow[], state: SendState): Promise<void> {
  if (conflicts.length === 0) return;
  const newest = await takeBack(
    db,
    conflicts.map((c) => c.recordId),
    state,
  );
  for (const row of conflicts) {
    const op = newest.get(row.recordId);
    if (op) {
      row.mine = op.data;
      row.mineKind = op.kind;
    }
  }
}
