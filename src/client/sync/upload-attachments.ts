import type { AppDatabase } from '../db/db';
import { recordsWaiting } from '../db/outbox.repository';
import { serverVersionOf } from '../db/server-versions';
import type { SyncTransport, TransportFailure } from './transport';

/** A bound on photos uploaded per sync run; the rest go next time. */
const MAX_UPLOADS_PER_RUN = 200;

async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Uploads evidence photos whose assessment the server already has (sync-protocol.md: "after the
 * op that references it was applied"), one request each; an upload is idempotent, so a retry after
 * a lost answer is harmless. A photo is marked uploaded only on the server's yes, and is never
 * deleted from the device before that.
 */
export async function uploadAttachments(
  db: AppDatabase,
  transport: SyncTransport,
): Promise<{ ok: true; uploaded: number } | TransportFailure> {
  if (!transport.putAttachment) return { ok: true, uploaded: 0 };
  // Every waiting photo is looked at (a photo that cannot go yet must not hold back those behind
  // it); the bound is on uploads.
  const waiting = await db.attachments.where('uploaded').equals(0).primaryKeys();
  let uploaded = 0;
  for (const id of waiting) {
    if (uploaded >= MAX_UPLOADS_PER_RUN) break;
    const photo = await db.attachments.get(id);
    if (!photo || photo.uploaded === 1) continue;
    const assessment = await db.assessments
      .where('subjectKey')
      .equals(photo.ownerKey)
      .filter((a) => a.deleted === 0)
      .first();
    const isReferenced =
      assessment && Object.values(assessment.data.answers).some((a) => a.evidenceIds.includes(photo.id));
    if (!assessment || !isReferenced || (await serverVersionOf(db, assessment)) === null) continue; // not on the server yet (or a discarded draft's photo)
    if ((await recordsWaiting(db, [assessment.id])).size > 0) continue; // its latest reference is still unsent
    const answer = await transport.putAttachment({
      id: photo.id,
      communeCode: assessment.communeCode,
      recordId: assessment.id,
      blob: photo.blob,
      sha256: await sha256Hex(photo.blob),
    });
    if (!answer.ok) {
      if (answer.kind === 'refused') continue; // e.g. 409 mismatch: keep the photo, try the others
      return answer;
    }
    await db.attachments.update(photo.id, { uploaded: 1 });
    uploaded += 1;
  }
  return { ok: true, uploaded };
}
