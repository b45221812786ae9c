import { createHash } from 'node:crypto';
import type { PushOpEntry, PushRequestBody, PushResponse, PushResult } from '../../shared/protocol/sync.schema';
import { TOKENLESS_HASH_PREFIX, type Device } from '../auth/devices';
import { jsonListParam, jsonListSql } from '../store/json-list';
import type { Queryable, Store } from '../store/store';
import { decideOp, type OpContext, type StoredResult } from './apply-op';
import { BatchRecords, ConcurrentCreateError } from './batch-records';
import { readRecord, toEnvelope } from './records';
import { isInScope } from './scope';
import { storeRecords } from './store-records';
import { noteRecordWrites } from './table-statistics';
import { checkPushOp } from './validate-record';

/** Deadlocks (two devices editing the same records in another order) and serialisation failures are retried. */
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 3;

/** What applied_ops holds of a result; `recordId` names the record a conflict is answered with (absent for an op too malformed to name one). */
type RecordedResult = StoredResult & { recordId?: string };

/**
 * The answer to an op this device sent before: the recorded result, never a second effect.
 * Scope is checked as now, not as when the op came: a conflict whose record has since left the
 * device's villages is answered `rejected` `forbidden_scope`, as a new op on it would be (its pull
 * withdraws the record). A duplicate carries only the version its own op produced, no record.
 */
async function replay(ctx: OpContext, opId: string, stored: RecordedResult): Promise<PushResult> {
  switch (stored.status) {
    case 'applied':
      return { opId, status: 'duplicate', version: stored.version };
    case 'rejected':
      return { opId, status: 'rejected', error: stored.error };
    case 'conflict': {
      // The record as it is now: the device resolves against the newest version.
      const current =
        stored.recordId === undefined ? undefined : await readRecord(ctx.tx, ctx.device.communeCode, stored.recordId);
      if (!current) return { opId, status: 'duplicate', version: null };
      if (!isInScope(ctx.device, current.village_id)) {
        return {
          opId,
          status: 'rejected',
          error: { code: 'forbidden_scope', message: 'The record lies outside the villages of this device' },
        };
      }
      return { opId, status: 'conflict', current: toEnvelope(current) };
    }
  }
}

/** The results already recorded for this batch's opIds and seqs, read in one query. */
async function readRecorded(ctx: OpContext, ops: readonly PushOpEntry[]) {
  const rows = await ctx.tx.query<{ op_id: string; seq: string; result: RecordedResult }>(
    `SELECT op_id, seq::text AS seq, result FROM applied_ops
     WHERE commune_code = $1 AND device_id = $2 AND (op_id = ANY ($3::uuid[]) OR seq = ANY ($4::bigint[]))`,
    [ctx.device.communeCode, ctx.device.deviceId, ops.map((op) => op.opId), ops.map((op) => op.seq)],
  );
  const entries = rows.map((r) => ({ opId: r.op_id.toLowerCase(), seq: Number(r.seq), result: r.result }));
  return {
    byOpId: new Map(entries.map((e) => [e.opId, e])),
    bySeq: new Map(entries.map((e) => [e.seq, e])),
  };
}

/**
 * The id under which the answer to an opId sent again with a new seq is recorded: applied_ops
 * keys results by opId, and the opId's row already holds its first seq. Derived from both, so a
 * re-send of the same (opId, seq) finds its answer (a name-based UUID, version 8).
 */
export function reusedOpId(opId: string, seq: number): string {
  const hash = createHash('sha256').update(`reused-op-id:${opId.toLowerCase()}:${seq}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x80;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Results of these opIds that an import recorded under a stand-in device (a file exported by a
 * device before it ever enrolled, imported at the commune office). When that device enrols and
 * pushes the same ops, they are the same ops: answered as re-sends, never applied twice.
 * Stand-ins are the commune's tokenless devices (few), so this is a primary-key lookup.
 */
async function readImportedElsewhere(ctx: OpContext, opIds: readonly string[]): Promise<Map<string, RecordedResult>> {
  if (opIds.length === 0) return new Map();
  const rows = await ctx.tx.query<{ op_id: string; result: RecordedResult }>(
    `SELECT a.op_id, a.result FROM applied_ops a
     WHERE a.commune_code = $1 AND a.op_id = ANY ($3::uuid[]) AND a.device_id = ANY (
       SELECT d.device_id FROM devices d WHERE d.commune_code = $1 AND d.device_id <> $2 AND starts_with(d.token_hash, $4))`,
    [ctx.device.communeCode, ctx.device.deviceId, opIds, TOKENLESS_HASH_PREFIX],
  );
  return new Map(rows.map((r) => [r.op_id.toLowerCase(), r.result]));
}

/** Writes the batch's new results in one statement (the same transaction as their changes). */
async function recordResults(
  ctx: OpContext,
  rows: readonly { op: { opId: string; seq: number }; result: RecordedResult }[],
) {
  if (rows.length === 0) return;
  await ctx.tx.query(
    `INSERT INTO applied_ops (commune_code, device_id, op_id, seq, result, created_at)
     SELECT $1, $2, r.op_id, r.seq, r.result::jsonb, $6
     FROM unnest($3::uuid[], $4::bigint[], ${jsonListSql('$5')}) AS r (op_id, seq, result)`,
    [
      ctx.device.communeCode,
      ctx.device.deviceId,
      rows.map((r) => r.op.opId),
      rows.map((r) => r.op.seq),
      jsonListParam(rows.map((r) => r.result)),
      ctx.now.toISOString(),
    ],
  );
}

/**
 * 'batch': the push's records are read at once and written set-based (BatchRecords).
 * 'oneByOne': every op reads and writes its record itself; the fallback when a create raced
 * another transaction, and the reference the batch is tested against.
 */
export type ApplyMode = 'batch' | 'oneByOne';

type Recorded = { opId: string; seq: number; result: RecordedResult };

/**
 * Applies the ops in seq order; every new result is recorded, a re-sent op is answered from its
 * record. An op is decided only once it passed its own check (checkPushOp): a malformed op is a
 * recorded rejection like any other, so its seq is answered and ackSeq moves over it.
 */
async function applyOps(ctx: OpContext, ops: readonly PushOpEntry[], mode: ApplyMode): Promise<PushResult[]> {
  const recorded = await readRecorded(ctx, ops);
  const fresh: { op: { opId: string; seq: number }; result: RecordedResult }[] = [];
  const remember = (entry: Recorded) => {
    recorded.byOpId.set(entry.opId, entry);
    recorded.bySeq.set(entry.seq, entry);
    fresh.push({ op: { opId: entry.opId, seq: entry.seq }, result: entry.result });
  };
  const order = ops
    .map((op, index) => ({ op, index, check: checkPushOp(op) }))
    .sort((a, b) => a.op.seq - b.op.seq || a.index - b.index);
  const direct = storeRecords(ctx.tx, ctx.device, ctx.now);
  const unrecorded = order.flatMap(({ check }) =>
    check.ok && !recorded.byOpId.has(check.op.opId.toLowerCase()) ? [check.op] : [],
  );
  const batch =
    mode === 'batch' && unrecorded.length > 0 ? await BatchRecords.open(ctx.tx, ctx.device, ctx.now, unrecorded) : null;
  const imported = await readImportedElsewhere(
    ctx,
    unrecorded.map((op) => op.opId),
  );
  const results: PushResult[] = [];
  for (const { op, index, check } of order) {
    const opId = op.opId.toLowerCase();
    const known = recorded.byOpId.get(opId);
    const atSeq = recorded.bySeq.get(op.seq);
    const adopted = known ? undefined : imported.get(opId);
    if (known && known.seq === op.seq) {
      // A conflict is answered with the record as stored now, so staged writes go first.
      if (known.result.status === 'conflict') await batch?.flush();
      results[index] = await replay(ctx, op.opId, known.result);
    } else if (known) {
      // The opId was used before with another seq (a device bug): this seq gets a recorded
      // rejection of its own, under an id derived from both, so ackSeq moves over it and a
      // re-send is answered the same way. A seq that already has a result keeps it.
      const reused = reusedOpId(opId, op.seq);
      if (atSeq?.opId === reused) results[index] = await replay(ctx, op.opId, atSeq.result);
      else {
        const error = {
          code: 'validation_failed',
          message: `opId ${op.opId} was used before with seq ${known.seq}`,
          details: [{ path: 'opId', message: 'errors.input.opIdReused' }],
        };
        results[index] = { opId: op.opId, status: 'rejected', error };
        if (!atSeq) remember({ opId: reused, seq: op.seq, result: { status: 'rejected', error } });
      }
    } else if (adopted && !atSeq) {
      // Recorded under this device too, so its ackSeq moves over the op and a re-send is answered here.
      if (adopted.status === 'conflict') await batch?.flush();
      results[index] = await replay(ctx, op.opId, adopted);
      remember({ opId, seq: op.seq, result: adopted });
    } else if (atSeq) {
      // A device bug (a seq reused for another op). Not recorded: the seq already has its result.
      results[index] = {
        opId: op.opId,
        status: 'rejected',
        error: { code: 'validation_failed', message: `seq ${op.seq} belongs to another operation` },
      };
    } else if (!check.ok) {
      results[index] = { opId: op.opId, status: 'rejected', error: check.error };
      remember({ opId, seq: op.seq, result: { status: 'rejected', error: check.error } });
    } else {
      const { result, stored } = await decideOp(ctx, batch ?? direct, check.op);
      remember({ opId, seq: op.seq, result: { ...stored, recordId: check.op.recordId } });
      results[index] = result;
    }
  }
  await batch?.flush();
  await recordResults(ctx, fresh);
  return results;
}

/** Moves ack_seq over every seq that follows it without a gap; returns the new value. */
async function advanceAckSeq(tx: Queryable, device: Device): Promise<number> {
  const rows = await tx.query<{ ack_seq: string }>(
    `UPDATE devices d SET ack_seq = coalesce((
       SELECT max(s.seq) FROM (
         SELECT a.seq, a.seq - row_number() OVER (ORDER BY a.seq) AS offset_from_ack
         FROM applied_ops a WHERE a.commune_code = d.commune_code AND a.device_id = d.device_id AND a.seq > d.ack_seq
       ) s WHERE s.offset_from_ack = d.ack_seq), d.ack_seq)
     WHERE d.commune_code = $1 AND d.device_id = $2
     RETURNING d.ack_seq::text AS ack_seq`,
    [device.communeCode, device.deviceId],
  );
  return Number(rows[0]?.ack_seq ?? 0);
}

/**
 * Applies a batch: ONE transaction, ops in seq order, every result recorded with the change it
 * made (exactly-once effect, invariant 2). The advisory lock on (commune, device) makes two
 * concurrent pushes of one device run one after the other, so the second sees the first's
 * results and answers duplicates instead of applying twice. Results come in request order.
 */
export async function applyPush(
  store: Store,
  device: Device,
  request: PushRequestBody,
  now: Date,
  firstMode: ApplyMode = 'batch',
): Promise<PushResponse> {
  let mode = firstMode;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const response = await store.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [
          device.communeCode,
          device.deviceId,
        ]);
        const results = await applyOps({ tx, device, now }, request.ops, mode);
        return { results, ackSeq: await advanceAckSeq(tx, device) };
      });
      void noteRecordWrites(store, response.results.filter((r) => r.status === 'applied').length);
      return response;
    } catch (error) {
      if (error instanceof ConcurrentCreateError && mode === 'batch') {
        mode = 'oneByOne';
        continue;
      }
      const code = (error as { code?: unknown }).code;
      if (attempt >= MAX_ATTEMPTS || typeof code !== 'string' || !RETRYABLE_SQLSTATES.has(code)) throw error;
    }
  }
}
