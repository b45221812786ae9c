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
