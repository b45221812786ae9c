// @vitest-environment node
// (Node, not jsdom: a Blob read back from fake-indexeddb keeps its methods there, as in a browser.)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORPHAN_PHOTO_GRACE_MS, pruneOrphanPhotos } from '../db/attachment.repository';
import type { AppDatabase, AssessmentRow, AttachmentRow, ConflictRow } from '../db/db';
import { openDatabase } from '../db/db';
import { learnServerVersions } from '../db/server-versions';
import type { SyncTransport } from './transport';
import { uploadAttachments } from './upload-attachments';

const NOW = new Date('2026-11-25T03:00:00Z');
const LONG_AGO = new Date(NOW.getTime() - ORPHAN_PHOTO_GRACE_MS - 60_000).toISOString();
let db: AppDatabase;

beforeEach(async () => {
  db = await openDatabase(`photos-${Math.random()}`);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

/** Ids in key order: photo(1) < photo(2) < … (the upload queue walks them in that order). */
const photoId = (n: number) => `0199${String(n).padStart(4, '0')}-0000-7000-8000-000000000000`;

function photo(n: number, ownerKey: string, createdAt = LONG_AGO): AttachmentRow {
  return {
    id: photoId(n),
    ownerKey,
    criterionId: 'cs01',
    blob: new Blob([new Uint8Array(16)], { type: 'image/jpeg' }),
    mimeType: 'image/jpeg',
    bytes: 16,
    width: 4,
    height: 4,
    createdAt,
    uploaded: 0,
  };
}

function assessment(id: string, subjectId: string, evidenceIds: string[]): AssessmentRow {
  return {
    id,
    communeCode: '25942',
    deleted: 0,
    updatedAt: NOW.toISOString(),
    subjectKey: `${subjectId}|learning_citizen|2026`,
    data: {
      subjectId,
      title: 'learning_citizen',
      year: 2026,
      answers: { cs01: { points: 8, evidenceIds } },
    } as unknown as AssessmentRow['data'],
  };
}

function recordingTransport() {
  const sent: string[] = [];
  const transport: SyncTransport = {
    push: () => Promise.reject(new Error('not used')),
    pull: () => Promise.reject(new Error('not used')),
    receipt: () => Promise.reject(new Error('not used')),
    async putAttachment(upload) {
      sent.push(upload.id);
      return { ok: true, value: { stored: true } };
    },
  };
  return { transport, sent };
}

describe('uploading evidence photos', () => {
  it('sends a photo its saved assessment names even when hundreds of older photos that cannot go wait before it', async () => {
    const orphans = Array.from({ length: 250 }, (_, i) => photo(i + 1, 'c-old|learning_citizen|2026'));
    await db.attachments.bulkAdd([...orphans, photo(900, 'c1|learning_citizen|2026')]);
    await db.assessments.add(assessment('a1', 'c1', [photoId(900)]));
    await learnServerVersions(db, [{ recordId: 'a1', version: 1 }]); // the server has it

    const { transport, sent } = recordingTransport();
    expect(await uploadAttachments(db, transport)).toEqual({ ok: true, uploaded: 1 });
    expect(sent).toEqual([photoId(900)]);
    expect((await db.attachments.get(photoId(900)))?.uploaded).toBe(1);
  });

  it("holds a photo back until the server has its assessment, and sends it once a push's answer says so", async () => {
    await db.attachments.add(photo(1, 'c1|learning_citizen|2026'));
    await db.assessments.add(assessment('a1', 'c1', [photoId(1)]));
    const { transport, sent } = recordingTransport();
    expect(await uploadAttachments(db, transport)).toEqual({ ok: true, uploaded: 0 });

    await learnServerVersions(db, [{ recordId: 'a1', version: 1 }]);
    expect(await uploadAttachments(db, transport)).toEqual({ ok: true, uploaded: 1 });
    expect(sent).toEqual([photoId(1)]);
  });
});

describe('photos nothing names any more', () => {
  it('are deleted after a week unless an assessment, its changes, a conflict or a draft still names them', async () => {
    const owner = 'c1|learning_citizen|2026';
    await db.attachments.bulkAdd([
      photo(1, owner), // removed from the answer before saving: an orphan
      photo(2, owner), // the saved assessment names it
      photo(3, owner), // only the unsent change names it
      photo(4, owner), // only the form's draft names it
      photo(5, owner), // only a conflict's "mine" names it
      photo(6, owner, new Date(NOW.getTime() - 60_000).toISOString()), // taken a minute ago, not in any draft yet
      { ...photo(7, owner), uploaded: 1 }, // on the server already: not this clean-up's business
    ]);
    await db.assessments.add(assessment('a1', 'c1', [photoId(2)]));
    await db.outbox.add({
      opId: 'op-1',
      entity: 'assessment',
      recordId: 'a1',
      communeCode: '25942',
      kind: 'upsert',
      baseVersion: 1,
      data: { answers: { cs01: { evidenceIds: [photoId(3)] } } },
      clientTime: NOW.toISOString(),
      attempts: 0,
    });
    await db.drafts.put({
      key: 'assessment:learning_citizen:c1:2026',
      values: { cs01: { points: 5, evidenceIds: [photoId(4)] } },
      updatedAt: NOW.toISOString(),
    });
    const conflict: ConflictRow = {
      opId: 'op-0',
      entity: 'assessment',
      recordId: 'a1',
      mine: { answers: { cs01: { evidenceIds: [photoId(5)] } } },
      mineKind: 'upsert',
      theirs: {},
      theirsVersion: 2,
      detectedAt: NOW.toISOString(),
    };
    await db.conflicts.add(conflict);

    expect(await pruneOrphanPhotos(db, NOW)).toBe(1);
    expect((await db.attachments.toCollection().primaryKeys()).sort()).toEqual([2, 3, 4, 5, 6, 7].map(photoId));
    expect(await pruneOrphanPhotos(db, NOW)).toBe(0);
  });

  it('are kept while the deleted assessment that named them could still be restored', async () => {
    await db.attachments.add(photo(1, 'c1|learning_citizen|2026'));
    await db.assessments.add({ ...assessment('a1', 'c1', [photoId(1)]), deleted: 1 });
    expect(await pruneOrphanPhotos(db, NOW)).toBe(0);
  });
});
