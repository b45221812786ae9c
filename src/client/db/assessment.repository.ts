import type { CriteriaSet } from '../../domain/criteria/criteria-set';
import { scoreAssessment, validateAnswers } from '../../domain/scoring/score-assessment';
import {
  answerSchema,
  buildAssessmentSchema,
  TITLE_SUBJECT,
  type AnswerInput,
  type Answer,
  type Title,
} from '../../shared/schemas/assessment.schema';
import type { AppDatabase, AssessmentRow } from './db';
import { findAssessment } from './assessment.queries';
import { recordTable, recordTables } from './entity-registry';
import { readScoringContext } from './scoring-context';
import { outboxTables } from './outbox.repository';
import { writeRecord } from './record-writes';
import { parseOrThrow, RecordValidationError, type WriteContext } from './write-context';

/** Answers as the form holds them → answers as stored (validated one by one, keyed by criterion). */
export function parseAnswers(answers: Record<string, AnswerInput>): Record<string, Answer> {
  const parsed: Record<string, Answer> = {};
  const issues: RecordValidationError['issues'][number][] = [];
  for (const [id, answer] of Object.entries(answers)) {
    const result = answerSchema.safeParse(answer);
    if (result.success) parsed[id] = result.data;
    else
      issues.push(
        ...result.error.issues.map((i) => ({ path: ['answers', id, ...i.path.map(String)], message: i.message })),
      );
  }
  if (issues.length > 0) throw new RecordValidationError(issues);
  return parsed;
}

/**
 * Scores and stores the assessment of one subject for one title and year (one live assessment
 * per subject, title and year: saving again updates it). The result is always computed here,
 * never taken from the caller, so it is the same function the server re-runs. Offline it is a
 * local write with its outbox op. Bad answers (points over the maximum, a negative score…) →
 * RecordValidationError, nothing stored.
 */
export async function saveAssessment(
  db: AppDatabase,
  ctx: WriteContext,
  input: {
    title: Title;
    subjectId: string;
    year: number;
    answers: Record<string, AnswerInput>;
    registeredOn?: string;
    notes?: string;
  },
  set: CriteriaSet,
): Promise<AssessmentRow> {
  const answers = parseAnswers(input.answers);
  const answerIssues = validateAnswers(set, answers);
  if (answerIssues.length > 0) {
    throw new RecordValidationError(
      answerIssues.map((i) => ({ path: ['answers', i.criterionId], message: i.message })),
    );
  }
  const subjectType = TITLE_SUBJECT[input.title];
  return db.transaction('rw', [...recordTables(db), ...outboxTables(db)], async () => {
    const subject = await recordTable(db, subjectType).get(input.subjectId);
    if (!subject || subject.deleted === 1)
      throw new RecordValidationError([{ path: ['subjectId'], message: 'errors.assessment.subjectMissing' }]);
    const context = await readScoringContext(db, input.title, input.subjectId, input.year);
    const existing = await findAssessment(db, input.subjectId, input.title, input.year);
    const data = parseOrThrow(
      buildAssessmentSchema(ctx.now.getFullYear()).safeParse({
        subjectType,
        subjectId: input.subjectId,
        title: input.title,
        year: input.year,
        criteriaSetId: set.id,
        criteriaSetVersion: set.version,
        answers,
        registeredOn: input.registeredOn,
        result: scoreAssessment(set, answers, context),
        status: existing?.data.status ?? 'draft',
        notes: input.notes,
      }),
    );
    return writeRecord(db, ctx, {
      entity: 'assessment',
      id: existing?.id ?? ctx.newId(),
      data,
    });
  });
}
