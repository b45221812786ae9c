import { assessmentDraftKey, parseSubjectKey } from './assessment.queries';
import type { AppDatabase, AttachmentRow } from './db';

/**
 * Stores a compressed evidence photo at once (before the assessment is saved), so a photo taken
 * is never lost with a crash. Local only until the sync engine uploads it (sync-protocol.md,
 * "Attachments"); it is never deleted before the server has it.
 */
export async function addAttachment(
  db: AppDatabase,
  args: { id: string; ownerKey: string; criterionId: string; blob: Blob; width: number; height: number; now: Date },
): Promise<AttachmentRow> {
  const row: AttachmentRow = {
    id: args.id,
    ownerKey: args.ownerKey,
    criterionId: args.criterionId,
    blob: args.blob,
    mimeType: args.blob.type === 'image/webp' ? 'image/webp' : 'image/jpeg',
    bytes: args.blob.size,
    width: args.width,
    height: args.height,
    createdAt: args.now.toISOString(),
    uploaded: 0,
  };
  await db.attachments.add(row);
  return row;
}

export function getAttachments(db: AppDatabase, ids: readonly string[]): Promise<(AttachmentRow | undefined)[]> {
  return db.attachments.bulkGet([...ids]);
}

/** How many photos the device holds and their bytes, for the settings screen. */
export async function attachmentUsage(db: AppDatabase): Promise<{ count: number; bytes: number }> {
  let bytes = 0;
  let count = 0;
  await db.attachments.each((a) => {
    count += 1;
    bytes += a.bytes;
  });
  return { count, bytes };
}

/**
 * A photo nothing refers to is kept this long before it is deleted: it is stored the moment it
 * is taken, before the form's draft names it, and a person may come back to an old form.
 */
export const ORPHAN_PHOTO_GRACE_MS = 7 * 24 * 60 * 60 * 1000;

/** The evidence photo ids named by a set of answers (an assessment's `answers`, or a draft's values). */
function evidenceIdsIn(answers: unknown, into: Set<string>) {
  if (typeof answers !== 'object' || answers === null) return;
  for (const answer of Object.values(answers)) {
    const ids = (answer as { evidenceIds?: unknown } | null)?.evidenceIds;
    if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'string') into.add(id);
  }
}

const answersOf = (data: unknown) => (data as { answers?: unknown } | null)?.answers;

/**
 * Photos these owners' records still name anywhere on the device: the assessment (live or
 * deleted, which undo may restore), its unsent and in-flight changes, a conflict or refusal about
 * it, and the assessment form's draft.
 */
async function referencedPhotos(db: AppDatabase, ownerKeys: ReadonlySet<string>): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const ownerKey of ownerKeys) {
    const { subjectId, title, year } = parseSubjectKey(ownerKey);
    const draft = await db.drafts.get(assessmentDraftKey(subjectId, title, year));
    evidenceIdsIn(draft?.values, ids);
    const assessments = await db.assessments.where('subjectKey').equals(ownerKey).toArray();
    for (const assessment of assessments) {
      evidenceIdsIn(answersOf(assessment.data), ids);
      for (const op of await db.outbox.where('recordId').equals(assessment.id).toArray())
        evidenceIdsIn(answersOf(op.data), ids);
      for (const c of await db.conflicts.where('recordId').equals(assessment.id).toArray()) {
        evidenceIdsIn(answersOf(c.mine), ids);
        evidenceIdsIn(answersOf(c.theirs), ids);
      }
      for (const r of await db.rejections.where('recordId').equals(assessment.id).toArray())
        evidenceIdsIn(answersOf(r.data), ids);
    }
  }
  return ids;
}

/**
 * Deletes photos that never reached the server and that nothing on the device names any more
 * (removed or replaced in a form before it was saved), once older than ORPHAN_PHOTO_GRACE_MS.
 * Otherwise they would fill a phone's storage and, waiting for an upload that never comes, stand
 * in the queue before photos that should go. Returns how many were deleted.
 */
export function pruneOrphanPhotos(db: AppDatabase, now: Date): Promise<number> {
  const before = new Date(now.getTime() - ORPHAN_PHOTO_GRACE_MS).toISOString();
  return db.transaction(
    'rw',
    [db.attachments, db.assessments, db.drafts, db.outbox, db.conflicts, db.rejections],
    async () => {
      const old = await db.attachments
        .where('uploaded')
        .equals(0)
        .filter((a) => a.createdAt < before)
        .toArray();
      if (old.length === 0) return 0;
      const referenced = await referencedPhotos(db, new Set(old.map((a) => a.ownerKey)));
      const orphans = old.filter((a) => !referenced.has(a.id)).map((a) => a.id);
      await db.attachments.bulkDelete(orphans);
      return orphans.length;
    },
  );
}
