import { sameValue } from '../../domain/sync/merge-record';
import {
  MAX_OPS_PER_PUSH,
  MAX_PUSH_BYTES,
  type PushOp,
  type PushResponse,
  type PushResult,
} from '../../shared/protocol/sync.schema';
import type { AppDatabase, OutboxOp } from '../db/db';
import { recordAnswers, takeBatch, type BatchLimits, type OpAnswer, type SentOp } from '../db/outbox.repository';
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

/** The protocol's limits for one push, as the device measures them (README "A refused push"). */
const LIMITS: BatchLimits = {
  maxOps: MAX_OPS_PER_PUSH,
  maxBytes: MAX_PUSH_BYTES - ENVELOPE_BYTES,
  bytesOf: (op) => new TextEncoder().encode(JSON.stringify(op.data ?? null)).length + OP_OVERHEAD_BYTES,
};

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

/** What the server's result means for the op it answers. */
function answerOf(op: OutboxOp, result: PushResult): OpAnswer {
  if (result.status === 'applied' || result.status === 'duplicate') return { kind: 'applied', version: result.version };
  if (result.status === 'rejected') {
    const { code, message, details } = result.error;
    return { kind: 'rejected', code, message, details: details ?? null };
  }
  // Someone made the very same change: nothing to resolve; adopt the server's version.
  if (op.kind === 'upsert' && !result.current.deleted && sameValue(op.data, result.current.data))
    return { kind: 'applied', version: result.current.version };
  return { kind: 'conflict', theirs: result.current.data, theirsVersion: result.current.version };
}

/**
 * Writes the server's answers to a batch (outbox.repository.ts `recordAnswers`, one transaction)
 * and, with `takeAfter` (the batch now on the wire), takes the batch after it in that same
 * transaction (~9% of a 25,000-record upload). Counts what the answers were.
 */
async function applyResults(
  db: AppDatabase,
  batch: readonly SentOp[],
  response: PushResponse,
  now: Date,
  takeAfter?: readonly SentOp[],
) {
  const byOpId = new Map(batch.map((sent) => [sent.op.opId, sent.op]));
  const answers = new Map<string, OpAnswer>();
  for (const result of response.results) {
    const op = byOpId.get(result.opId);
    if (op) answers.set(result.opId, answerOf(op, result));
  }
  const taken = await recordAnswers(
    db,
    { batch, answers, ackSeq: response.ackSeq },
    now,
    takeAfter ? { after: takeAfter, limits: LIMITS } : undefined,
  );
  const count = (kind: OpAnswer['kind']) => [...answers.values()].filter((a) => a.kind === kind).length;
  return { applied: count('applied'), conflicts: count('conflict'), rejected: count('rejected'), taken };
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
  let batch = await takeBatch(db, LIMITS);
  let inFlight = batch.length > 0 ? send(batch) : undefined;
  let next = batch.length > 0 ? await takeBatch(db, LIMITS, batch) : [];
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
      next = counts.taken;
    } else {
      // An empty `next` may only mean it stopped at a record of the batch just written: take again.
      batch = await takeBatch(db, LIMITS);
      inFlight = batch.length > 0 ? send(batch) : undefined;
      next = inFlight ? await takeBatch(db, LIMITS, batch) : [];
    }
  }
  return { ok: true, summary: total };
}
