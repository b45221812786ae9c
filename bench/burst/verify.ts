/**
 * After a burst: is every pushed record on the server exactly once? Checked twice, through the
 * wire (a commune-wide device pulls the whole feed from the start) and in the database itself
 * once the server has stopped (records and applied_ops, read with the server's own store code).
 */
import { openStore } from '../../src/server/store/open-store';
import type { PushOp } from '../../src/shared/protocol/sync.schema';
import { pullAll, type EnrolledDevice } from '../../tests/support/sync-fixtures';
import { BURST_COMMUNE } from './workload';

export interface Verification {
  /** Pushed records absent from the database or from the full pull, plus pushed ops with no 'applied' result. */
  readonly missing: number;
  /** Records applied more than once (version ≠ 1), delivered twice by one pull, or on the server without being pushed. */
  readonly duplicates: number;
  /** Human-readable details of anything non-zero. */
  readonly notes: string[];
}

/**
 * What the devices sent: `answered` got their final answer (they must be on the server, once);
 * `sent` also holds ops still unanswered at the deadline (they may be on the server, once).
 */
export interface SentOps {
  readonly answered: readonly PushOp[];
  readonly sent: readonly PushOp[];
}

export interface WireCheck {
  readonly missing: Set<string>;
  readonly pulledTwice: number;
  readonly unexpected: number;
}

function recordIds(ops: readonly PushOp[]): Set<string> {
  return new Set(ops.map((op) => op.recordId.toLowerCase()));
}

/** While the server still runs: the whole feed, as a new commune-wide device would get it. */
export async function checkThroughPull(
  baseUrl: string,
  verifier: EnrolledDevice,
  ops: SentOps,
  villageIds: readonly string[],
): Promise<WireCheck> {
  const expected = recordIds(ops.answered);
  const allowed = new Set([...villageIds.map((id) => id.toLowerCase()), ...recordIds(ops.sent)]);
  const { changes } = await pullAll(baseUrl, verifier.token, undefined, 5000);
  const seen = new Set<string>();
  let pulledTwice = 0;
  let unexpected = 0;
  for (const change of changes) {
    const id = change.id.toLowerCase();
    if (seen.has(id)) pulledTwice += 1;
    seen.add(id);
    if (!expected.has(id) && !allowed.has(id)) unexpected += 1;
  }
  return { missing: new Set([...expected].filter((id) => !seen.has(id))), pulledTwice, unexpected };
}

/** After the server stopped (PGlite allows one process per folder): the database's own view. */
export async function checkInDatabase(
  store: { dataDir: string; databaseUrl: string | undefined },
  ops: SentOps,
  wire: WireCheck,
): Promise<Verification> {
  const expectedRecords = recordIds(ops.answered);
  const sentRecords = recordIds(ops.sent);
  const expectedOps = new Set(ops.answered.map((op) => op.opId.toLowerCase()));
  const db = await openStore(store);
  try {
    const records = await db.query<{ id: string; version: number }>(
      `SELECT id::text AS id, version FROM records WHERE commune_code = $1 AND entity <> 'village'`,
      [BURST_COMMUNE],
    );
    const results = await db.query<{ op_id: string; status: string }>(
      `SELECT op_id::text AS op_id, result ->> 'status' AS status FROM applied_ops WHERE commune_code = $1`,
      [BURST_COMMUNE],
    );
    const stored = new Set(records.map((r) => r.id.toLowerCase()));
    const appliedOps = new Set(results.filter((r) => r.status === 'applied').map((r) => r.op_id.toLowerCase()));
    const missingRecords = new Set([...wire.missing, ...[...expectedRecords].filter((id) => !stored.has(id))]);
    const unapplied = [...expectedOps].filter((id) => !appliedOps.has(id)).length;
    const reapplied = records.filter((r) => r.version !== 1).length;
    const extra = records.filter((r) => !sentRecords.has(r.id.toLowerCase())).length;
    const notes: string[] = [];
    if (missingRecords.size > 0)
      notes.push(`${missingRecords.size} pushed records missing (${wire.missing.size} from the full pull)`);
    if (unapplied > 0) notes.push(`${unapplied} pushed ops without an 'applied' result`);
    if (reapplied > 0) notes.push(`${reapplied} records at a version other than 1`);
    if (extra + wire.unexpected > 0)
      notes.push(`${extra} unexpected records in the database, ${wire.unexpected} in the pull`);
    if (wire.pulledTwice > 0) notes.push(`${wire.pulledTwice} records delivered twice by the full pull`);
    return {
      missing: missingRecords.size + unapplied,
      duplicates: reapplied + extra + wire.unexpected + wire.pulledTwice,
      notes,
    };
  } finally {
    await db.close();
  }
}
