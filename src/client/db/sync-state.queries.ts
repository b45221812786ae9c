import type { AppDatabase } from './db';
import { isFrozen, readSendState } from './outbox-state';

/** Where a record stands with the server, as the person sees it. */
export type RecordSyncState = 'unsent' | 'sending' | 'sent' | 'conflict' | 'rejected';

/**
 * The state of each record: in the conflict or rejection queue first (they need a person), then
 * an op waiting (never carried: unsent; carried without an answer yet: sending), else sent when
 * the server gave it a version.
 */
export async function readSyncStates(
  db: AppDatabase,
  recordIds: readonly string[],
): Promise<Map<string, RecordSyncState>> {
  const ids = [...recordIds];
  const [conflicts, rejections, ops, sendState] = await Promise.all([
    db.conflicts.where('recordId').anyOf(ids).toArray(),
    db.rejections.where('recordId').anyOf(ids).toArray(),
    db.outbox.where('recordId').anyOf(ids).toArray(),
    readSendState(db),
  ]);
  const states = new Map<string, RecordSyncState>();
  for (const id of ids) states.set(id, 'sent');
  for (const op of ops)
    states.set(op.recordId, isFrozen(op, sendState) && states.get(op.recordId) !== 'unsent' ? 'sending' : 'unsent');
  for (const r of rejections) states.set(r.recordId, 'rejected');
  for (const c of conflicts) states.set(c.recordId, 'conflict');
  return states;
}
