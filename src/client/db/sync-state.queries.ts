import type { AppDatabase } from './db';
import { waitingStates } from './outbox.repository';

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
  const [conflicts, rejections, waiting] = await Promise.all([
    db.conflicts.where('recordId').anyOf(ids).toArray(),
    db.rejections.where('recordId').anyOf(ids).toArray(),
    waitingStates(db, ids),
  ]);
  const states = new Map<string, RecordSyncState>();
  for (const id of ids) states.set(id, waiting.get(id) ?? 'sent');
  for (const r of rejections) states.set(r.recordId, 'rejected');
  for (const c of conflicts) states.set(c.recordId, 'conflict');
  return states;
}
