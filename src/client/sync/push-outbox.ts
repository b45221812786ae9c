import { sameValue } from '../../domain/sync/merge-record';
import { MAX_OPS_PER_PUSH, MAX_PUSH_BYTES, type PushOp, type PushResponse } from '../../shared/protocol/sync.schema';
import type { AppDatabase, ConflictRow, OutboxOp, RejectionRow } from '../db/db';
import { newestUnsentOps } from '../db/record-writes';
import { freezeOps, isFrozen, pruneSendState, type SendState } from '../db/outbox-state';
import { writeSetting } from '../db/settings.repository';
import { learnServerVersions } from '../db/server-versions';
import type { SyncTransport, TransportFailure } from './transport';

/** Room kept under the 1 MiB limit for the envelope around the ops, and for each op's own fields. */
const ENVELOPE_BYTES = 1024;
const OP_OVERHEAD_BYTES = 400;
/** A bound on rounds per sync, so a device that keeps writing cannot keep sync busy forever. */
const MAX_PUSH_ROUNDS = 200;

export interface PushSummary {
  readonly sent: number;
  readonly applied: number;
  readonly conflicts: number;
  readonly rejected: number;
  readonly ackSeq: number | undefined;
}

/**
 * The server refused a push request as a whole (a 4xx other than 401 and 429/503): resending it as
 * it is would be refused again, so sync stops pushing until the person (or an app update) tries
 * again (README "A refused push"). Nothing leaves the outbox: the refused op and every op after it
 * wait there, and can be exported.
 */
export interface PushRefused {
  readonly ok: false;
  readonly kind: 'push_refused';
  readonly status: number;
  /** The server's error code (`invalid_request`, `batch_too_large`, …); none when the body was not the server's JSON. */
  readonly code?: string;
  /** The op the refusal was narrowed down to (it was refused alone), when the answer allows it. */
  readonly op?: { readonly entity: string; readonly recordId: string; readonly wireSeq: number };
}

/**
 * A whole-request refusal that one op of the batch can cause (400: something in it the server
 * cannot read; 413: too large, e.g. one huge record or a proxy's smaller limit). Such a batch is
 * halved until the refusal is down to one op: every op before it goes through.
 */
const NARROWED_STATUSES: ReadonlySet<number | undefined> = new Set([400, 413]);

function refusal(failure: TransportFailure, batch: readonly SentOp[]): PushRefused | TransportFailure {
  if (failure.kind !== 'refused') return failure;
  const only = batch.length === 1 ? batch[0] : undefined;
  return {
    ok: false,
    kind: 'push_refused',
    status: failure.status ?? 400,
    ...(failure.code ? { code: failure.code } : {}),
    ...(only && NARROWED_STATUSES.has(failure.status)
      ? { op: { entity: only.op.entity, recordId: only.op.recordId, wireSeq: only.wireSeq } }
      : {}),
  };
}

/** An op as it goes out: with the protocol seq it was given when first carried. */
export interface SentOp {
  readonly op: OutboxOp;
  readonly wireSeq: number;
}

/**
 * Takes the next batch (outbox order, ≤ 500 ops, ≤ 1 MiB) and, in one transaction, freezes it:
 * every op that never went out gets its protocol `seq` (outbox-state.ts). From then on the op is
 * never changed: later edits of the record get a new op (record-writes.ts), so a retry resends
 * exactly this.
 */
async function takeBatch(db: AppDatabase, now: Date, answered: readonly SentOp[] = []): Promise<SentOp[]> {
  return db.transaction('rw', db.outbox, db.settings, async () => {
    const batch: OutboxOp[] = [];
    let bytes = ENVELOPE_BYTES;
    // `answered`: the batch before, on the wire or answered but its results not yet written. Its
    // ops are still at the head of the outbox; this batch follows them, and never carries a record
    // of theirs (that op's baseVersion is rebased once their results are written).
    const recordIds = new Set(answered.map((sent) => sent.op.recordId));
    const lastAnswered = answered[answered.length - 1]?.op.seq;
    const next = lastAnswered === undefined ? db.outbox.orderBy('seq') : db.outbox.where('seq').above(lastAnswered);
    // One read of the next ops (getAll with a count, not a cursor step per op), then strictly in
    // outbox order: the batch ends at the first op that does not fit, never skips one. It also
    // ends at a second op of one record (an edit made while the first op's answer was lost): its
    // baseVersion is only known once that answer comes, and is rebased then.
    for (const op of await next.limit(MAX_OPS_PER_PUSH).toArray()) {
      const size = new TextEncoder().encode(JSON.stringify(op.data ?? null)).length + OP_OVERHEAD_BYTES;
      if (recordIds.has(op.recordId) || (batch.length > 0 && bytes + size > MAX_PUSH_BYTES)) break;
      bytes += size;
      recordIds.add(op.recordId);
      batch.push(op);
    }
    const wireSeqs = await freezeOps(db, batch, now);
    return batch.map((op) => ({ op, wireSeq: wireSeqs.get(op) ?? 0 }));
  });
}

export function toWire({ op, wireSeq }: SentOp): PushOp {
  return {
    opId: op.opId,
    seq: wireSeq,
    entity: op.entity,
    recordId: op.recordId,
    communeCode: op.communeCode,
    kind: op.kind,
    baseVersion: op.baseVersion,
    ...(op.kind === 'upsert' ? { data: op.data } : {}),
    clientTime: op.clientTime,
  };
}

/**
 * Edits of a record made while its conflicting op was on the wire join the conflict: "mine" is the
 * newest of them and they leave the outbox. Otherwise they would go out based on no version and
 * come back as a second conflict, and the person's resolution would coalesce into them and
 * inherit that missing base. The record on the device already holds the newest data.
 */
async function foldLaterEdits(db: AppDatabase, conflictRows: ConflictRow[], state: SendState) {
  if (conflictRows.length === 0) return;
  const ids = conflictRows.map((c) => c.recordId);
  const newest = await newestUnsentOps(db, ids, state);
  for (const row of conflictRows) {
    const op = newest.get(row.recordId);
    if (op) {
      row.mine = op.data;
      row.mineKind = op.kind;
    }
  }
  // Every unsent op of these records (coalescing keeps it to one each, but never leave one behind).
  await db.outbox
    .where('recordId')
    .anyOf(ids)
    .filter((o) => !isFrozen(o, state))
    .delete();
}

/**
 * Applies the server's answers, all in one transaction: applied and duplicate ops leave the outbox
 * and their record learns its server version (later unsent edits of it are rebased on that
 * version); conflicts and rejections leave the outbox for their own queues, so the person sees them
 * and nothing is lost. With `takeAfter` (the batch now on the wire) the same transaction then takes
 * the batch after it (`taken`): one IndexedDB transaction per batch instead of two, ~9% of a
 * 25,000-record upload. Should taking fail, the answers are not written either; the ops stay
 * frozen, go again, and the server answers them as duplicates.
 */
async function applyResults(
  db: AppDatabase,
  sent: readonly SentOp[],
  response: PushResponse,
  now: Date,
  takeAfter?: readonly SentOp[],
) {
  const batch = sent.map((s) => s.op);
  const byOpId = new Map(batch.map((op) => [op.opId, op]));
  let applied = 0;
  let conflicts = 0;
  let rejected = 0;
  let taken: SentOp[] | undefined;
  const tables = [db.outbox, db.conflicts, db.rejections, db.settings, db.learnedVersions];
  await db.transaction('rw', tables, async () => {
    const done: number[] = [];
    const versions: { recordId: string; version: number }[] = [];
    const conflictRows: ConflictRow[] = [];
    const rejectionRows: RejectionRow[] = [];
    for (const result of response.results) {
      const op = byOpId.get(result.opId);
      if (op?.seq === undefined) continue;
      done.push(op.seq);
      if (result.status === 'applied' || result.status === 'duplicate') {
        applied += 1;
        if (result.version !== null) versions.push({ recordId: op.recordId, version: result.version });
      } else if (
        result.status === 'conflict' &&
        op.kind === 'upsert' &&
        !result.current.deleted &&
        sameValue(op.data, result.current.data)
      ) {
        // Someone made the very same change: nothing to resolve; adopt the server's version.
        applied += 1;
        versions.push({ recordId: op.recordId, version: result.current.version });
      } else if (result.status === 'conflict') {
        conflicts += 1;
        conflictRows.push({
          opId: op.opId,
          entity: op.entity,
          recordId: op.recordId,
          mine: op.data,
          mineKind: op.kind,
          theirs: result.current.data,
          theirsVersion: result.current.version,
          detectedAt: now.toISOString(),
        });
      } else {
        rejected += 1;
        rejectionRows.push({
          opId: op.opId,
          entity: op.entity,
          recordId: op.recordId,
          data: op.data,
          code: result.error.code,
          message: result.error.message,
          details: result.error.details ?? null,
          rejectedAt: now.toISOString(),
        });
      }
    }
    // A batch is a run of consecutive outbox keys (takeBatch never skips one), so when every op of
    // it was answered, one range delete removes exactly them (a fraction of 500 single deletes).
    const first = batch[0]?.seq;
    const last = batch[batch.length - 1]?.seq;
    if (new Set(done).size === batch.length && first !== undefined && last !== undefined) {
      await db.outbox.where(':id').between(first, last, true, true).delete();
    } else {
      await db.outbox.bulkDelete(done);
    }
    const state = await pruneSendState(db, now);
    await foldLaterEdits(db, conflictRows, state);
    await db.conflicts.bulkPut(conflictRows);
    await db.rejections.bulkPut(rejectionRows);
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
    await writeSetting(db, 'lastSync', { at: now.toISOString(), ackSeq: response.ackSeq }, now);
    if (takeAfter) taken = await takeBatch(db, now, takeAfter);
  });
  return { applied, conflicts, rejected, taken };
}

/**
 * Sends the whole outbox in batches. Stops at the first failure; what was sent stays frozen for the
 * retry. A batch refused as a whole for its content (400, 413) is halved, first half first, until
 * the refusal is down to one op (PushRefused): the ops before it are answered and written, the op
 * and those after it stay, in order. Splitting keeps every op's opId and seq (a prefix of a frozen
 * batch is still a run of consecutive outbox keys and wire seqs).
 */
export async function pushOutbox(
  db: AppDatabase,
  transport: SyncTransport,
  deviceId: string,
  now: () => Date,
): Promise<{ ok: true; summary: PushSummary } | TransportFailure | PushRefused> {
  const total = { sent: 0, applied: 0, conflicts: 0, rejected: 0, ackSeq: undefined as number | undefined };
  const send = (batch: readonly SentOp[]) => transport.push({ protocol: 1, deviceId, ops: batch.map(toWire) });
  // Pipelined: batch N + 1 is taken (frozen) while N is on the wire and sent the moment N is
  // answered; N's results are then written while the server works on N + 1, and N + 2 is taken in
  // that same transaction.
  // Results are still written in batch order, and a failure stops the loop with every written
  // result kept and every taken op frozen for a retry (resent exactly as it was).
  let batch = await takeBatch(db, now());
  let inFlight = batch.length > 0 ? send(batch) : undefined;
  let next = batch.length > 0 ? await takeBatch(db, now(), batch) : [];
  for (let round = 0; inFlight && round < MAX_PUSH_ROUNDS; round += 1) {
    const answer = await inFlight;
    if (!answer.ok && answer.kind === 'refused' && NARROWED_STATUSES.has(answer.status) && batch.length > 1) {
      // Nothing of this batch was applied (the request was refused whole). The batch taken after
      // it (`next`, frozen, not yet sent) is dropped from the pipeline: it stays at the head of the
      // outbox, behind the second half, and is taken again once the halves are answered.
      const half = Math.ceil(batch.length / 2);
      next = batch.slice(half);
      batch = batch.slice(0, half);
      inFlight = send(batch);
      continue;
    }
    if (!answer.ok) return refusal(answer, batch);
    const nextInFlight = next.length > 0 ? send(next) : undefined;
    let counts: Awaited<ReturnType<typeof applyResults>>;
    try {
      counts = await applyResults(db, batch, answer.value, now(), next.length > 0 ? next : undefined);
    } catch (error) {
      await nextInFlight; // its answer is recorded on the server; the ops stay frozen and are re-sent
      throw error;
    }
    total.sent += batch.length;
    total.applied += counts.applied;
    total.conflicts += counts.conflicts;
    total.rejected += counts.rejected;
    total.ackSeq = answer.value.ackSeq;
    if (next.length > 0) {
      batch = next;
      inFlight = nextInFlight;
      next = counts.taken ?? [];
    } else {
      // An empty `next` may only mean it stopped at a record of the batch just written: take again.
      batch = await takeBatch(db, now());
      inFlight = batch.length > 0 ? send(batch) : undefined;
      next = inFlight ? await takeBatch(db, now(), batch) : [];
    }
  }
  return { ok: true, summary: total };
}
