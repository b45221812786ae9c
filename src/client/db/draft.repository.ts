import type { AppDatabase, DraftRow } from './db';

/**
 * Form drafts: what a person typed and has not saved yet. Local only, never synced; deleted when
 * the form is saved or the person discards it.
 */
export function readDraft(db: AppDatabase, key: string): Promise<DraftRow | undefined> {
  return db.drafts.get(key);
}

export async function writeDraft(db: AppDatabase, key: string, values: unknown, now: Date): Promise<void> {
  await db.drafts.put({ key, values, updatedAt: now.toISOString() });
}

export async function discardDraft(db: AppDatabase, key: string): Promise<void> {
  await db.drafts.delete(key);
}
