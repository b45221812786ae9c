import type { AppDatabase, OutboxOp, OutboxStateRow } from './db';

/**
 * Which outbox ops a push (or an export file) already carried, kept in ONE row of `outboxState`
 * instead of rewriting each op's row: the ops ever carried are always a prefix of the outbox
 * (batches are taken from its head, in key order, never skipping one; new ops get higher keys),
 * so "frozen" is "key ≤ frozenThrough". Their protocol seqs are runs: every op with a key in
 * [from, to] has the seq wireFrom + (key − from). Runs break where keys have gaps, so there are
 * few of them. Outside tests, the outbox repository (outbox.repository.ts) is its only user.
 *
 * Rows frozen by an older version of the app (attempts > 0, wireSeq on the row) keep that meaning.
 */
export type SendState = Omit<OutboxStateRow, 'key'>;

const EMPTY: SendState = { frozenThrough: 0, runs: [], lastWireSeq: 0 };

/**
 * A Dexie promise chain, not an async function: called deep inside write transactions, it keeps
 * the transaction's zone where extra native async layers lose it (PrematureCommitError).
 */
export function readSendState(db: AppDatabase): Promise<SendState> {
  return db.outboxState
    .get('send')
    .then((row) => (row ? { frozenThrough: row.frozenThrough, runs: row.runs, lastWireSeq: row.lastWireSeq } : EMPTY));
}

/** A carried op is never changed again: the server may have applied it. */
export function isFrozen(op: OutboxOp, state: SendState): boolean {
  return op.attempts > 0 || (op.seq !== undefined && op.seq <= state.frozenThrough);
}

/** The op's protocol seq, if it was ever carried. */
export function wireSeqOf(op: OutboxOp, state: SendState): number | undefined {
  if (op.wireSeq !== undefined) return op.wireSeq;
  if (op.seq === undefined || op.seq > state.frozenThrough) return undefined;
  const run = state.runs.find(([from, to]) => op.seq !== undefined && from <= op.seq && op.seq <= to);
  return run ? run[2] + (op.seq - run[0]) : undefined;
}

function writeSendState(db: AppDatabase, state: SendState): Promise<SendState> {
  return db.outboxState.put({ key: 'send', ...state }).then(() => state);
}

/**
 * Freezes `ops` (consecutive outbox ops in key order, starting right after the ops frozen before
 * them or at the outbox head): those never carried get the next protocol seqs, in order, with no
 * gaps. Call inside a transaction over outbox and outboxState. Returns each op's protocol seq.
 */
export async function freezeOps(db: AppDatabase, ops: readonly OutboxOp[]): Promise<Map<OutboxOp, number>> {
  const state = await readSendState(db);
  let lastWireSeq = state.lastWireSeq;
  const runs = state.runs.map((run): [number, number, number] => [run[0], run[1], run[2]]);
  const seqs = new Map<OutboxOp, number>();
  let frozenThrough = state.frozenThrough;
  for (const op of ops) {
    if (op.seq === undefined) throw new Error('an outbox op without its key cannot be frozen');
    const known = wireSeqOf(op, state);
    if (known !== undefined) {
      seqs.set(op, known);
      continue;
    }
    lastWireSeq += 1;
    seqs.set(op, lastWireSeq);
    const tail = runs[runs.length - 1];
    if (tail && tail[1] === op.seq - 1 && tail[2] + (tail[1] - tail[0]) === lastWireSeq - 1) tail[1] = op.seq;
    else runs.push([op.seq, op.seq, lastWireSeq]);
    frozenThrough = Math.max(frozenThrough, op.seq);
  }
  if (frozenThrough !== state.frozenThrough) await writeSendState(db, { frozenThrough, runs, lastWireSeq });
  return seqs;
}

/** Forgets the runs of ops that have left the outbox (call after answered ops were deleted); returns the state. */
export async function pruneSendState(db: AppDatabase): Promise<SendState> {
  const state = await readSendState(db);
  if (state.runs.length === 0) return state;
  const [head] = await db.outbox.orderBy(':id').limit(1).primaryKeys();
  const runs = head === undefined ? [] : state.runs.filter(([, to]) => to >= head);
  if (runs.length === state.runs.length) return state;
  return writeSendState(db, { ...state, runs });
}
