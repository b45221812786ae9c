/**
 * What a sync leaves for the person to read and let go of: the server's rejections of my changes,
 * and conflicts over records that left this device's villages. (A conflict that can still be
 * merged leaves only by being resolved: conflict.repository.ts.)
 */

import type { AppDatabase, RejectionRow } from './db';

/** The changes the server refused, oldest first, kept until the person has read them. */
export function listRejections(db: AppDatabase): Promise<RejectionRow[]> {
  return db.rejections.orderBy('opId').toArray();
}

/** The person has read why the server refused this change: it leaves the list. */
export async function dismissRejection(db: AppDatabase, opId: string): Promise<void> {
  await db.rejections.delete(opId);
}

/**
 * The person has noted down their change to a record that moved to another village (nothing is
 * left to merge there): the conflict leaves. Any other conflict stays until it is resolved, and
 * the answer is false.
 */
export function dismissOutOfScopeConflict(db: AppDatabase, opId: string): Promise<boolean> {
  return db.transaction('rw', db.conflicts, async () => {
    const conflict = await db.conflicts.get(opId);
    if (!conflict?.outOfScope) return false;
    await db.conflicts.delete(opId);
    return true;
  });
}
