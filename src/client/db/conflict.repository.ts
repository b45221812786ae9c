import { findCriteriaSet } from '../../domain/criteria/registry';
import { scoreAssessment } from '../../domain/scoring/score-assessment';
import { mergeRecord, sameValue, type FieldChoice } from '../../domain/sync/merge-record';
import type { AssessmentData } from '../../shared/schemas/assessment.schema';
import { recordSchemaFor } from '../../shared/schemas/record-schemas';
import type { AppDatabase, ConflictRow } from './db';
import { anyRecordTable, recordTable, recordTables, type DataOf } from './entity-registry';
import { enqueueOp, newestUnsentOps, outboxTables, rebaseUnsent } from './outbox.repository';
import { tombstoneRecord, writeRecord } from './record-writes';
import { learnServerVersions } from './server-versions';
import { readScoringContext } from './scoring-context';
import { parseOrThrow, RecordValidationError, type WriteContext } from './write-context';

type Fields = Record<string, unknown>;

function asFields(value: unknown): Fields {
  return typeof value === 'object' && value !== null ? (value as Fields) : {};
}

/**
 * The open conflicts as the person should see them: "mine" is the newest change on this device,
 * so an edit made after the conflict came (waiting, unsent, in the outbox) is what is shown and
 * what a resolution keeps; nothing typed since is lost to an older "mine".
 */
export async function listConflicts(db: AppDatabase): Promise<ConflictRow[]> {
  const conflicts = await db.conflicts.orderBy('opId').toArray();
  if (conflicts.length === 0) return conflicts;
  const newest = await newestUnsentOps(
    db,
    conflicts.map((c) => c.recordId),
  );
  return conflicts.map((c) => {
    const op = newest.get(c.recordId);
    return op ? { ...c, mine: op.data, mineKind: op.kind } : c;
  });
}

/**
 * Resolves a conflict: the record becomes the merge of my version and the server's (field by
 * field, `mergeRecord`), stored at the server's version, and goes out as a new op based on that
 * version, so the server applies it without another conflict. Assessments are re-scored. Invalid
 * merges are refused (RecordValidationError) and the conflict stays for another choice.
 */
export async function resolveConflict(
  db: AppDatabase,
  ctx: WriteContext,
  opId: string,
  choices: Readonly<Record<string, FieldChoice>>,
  fallback: FieldChoice,
): Promise<void> {
  await db.transaction('rw', [db.conflicts, ...recordTables(db), ...outboxTables(db)], async () => {
    const conflict = (await listConflicts(db)).find((c) => c.opId === opId);
    if (!conflict) return;
    const table = recordTable(db, conflict.entity);
    // The server's version becomes the base: what I push next is judged against it.
    const current = await table.get(conflict.recordId);
    if (current) await learnServerVersions(db, [{ recordId: conflict.recordId, version: conflict.theirsVersion }]);
    // Edits made since the conflict came coalesced into one unsent op; resolved, it stands on theirs.
    const rebase = () => rebaseUnsent(db, conflict.recordId, conflict.theirsVersion);

    if (conflict.mineKind === 'delete') {
      if (fallback === 'mine') {
        const isTombstoned = await tombstoneRecord(db, ctx, { entity: conflict.entity, id: conflict.recordId });
        // Already a tombstone here (the delete was folded into this conflict): send it anyway.
        if (!isTombstoned)
          await enqueueOp(db, ctx, {
            entity: conflict.entity,
            recordId: conflict.recordId,
            kind: 'delete',
            baseVersion: conflict.theirsVersion,
            data: undefined,
          });
      } else if (current)
        await anyRecordTable(db, conflict.entity).update(conflict.recordId, { data: conflict.theirs, deleted: 0 });
      await rebase();
      await db.conflicts.delete(opId);
      return;
    }

    let merged = mergeRecord(asFields(conflict.mine), asFields(conflict.theirs), choices, fallback);
    if (conflict.entity === 'assessment') {
      const a = merged as unknown as AssessmentData;
      const set = findCriteriaSet(a.criteriaSetId, a.criteriaSetVersion);
      if (set)
        merged = {
          ...merged,
          result: scoreAssessment(set, a.answers, await readScoringContext(db, a.title, a.subjectId, a.year)),
        };
    }
    const data = parseOrThrow(recordSchemaFor(conflict.entity, ctx.now.getFullYear()).safeParse(merged));
    if (typeof data !== 'object' || data === null)
      throw new RecordValidationError([{ path: [], message: 'errors.generic' }]);
    await writeRecord(db, ctx, {
      entity: conflict.entity,
      id: conflict.recordId,
      data: data as DataOf<typeof conflict.entity>, // validated by the entity's schema just above
      // What the server holds is theirs: anything else must go out, even if this device shows it.
      isSentEvenIfUnchanged: !sameValue(data, conflict.theirs),
    });
    await rebase();
    await db.conflicts.delete(opId);
  });
}
