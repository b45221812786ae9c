import type { z } from 'zod';
import type { CriteriaSet } from '../../domain/criteria/criteria-set';
import { findCriteriaSet } from '../../domain/criteria/registry';
import { validateAnswers } from '../../domain/scoring/score-assessment';
import type { ErrorDetail } from '../../shared/protocol/errors.schema';
import { findInputProblems, MAX_INPUT_PROBLEMS } from '../../shared/protocol/input-limits';
import { pushOpSchema, type PushOp, type PushOpEntry, type PushResult } from '../../shared/protocol/sync.schema';
import type { AssessmentData } from '../../shared/schemas/assessment.schema';
import type { Entity } from '../../shared/schemas/entities';
import { recordSchemaFor } from '../../shared/schemas/record-schemas';

/** Vietnam is UTC+7 all year: "this year" is the year the officers are living in. */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

export function currentYearIn(now: Date): number {
  return new Date(now.getTime() + VIETNAM_OFFSET_MS).getUTCFullYear();
}

export type RecordCheck =
  | { readonly ok: true; readonly parsed: unknown; readonly criteriaSet?: CriteriaSet }
  | { readonly ok: false; readonly details: ErrorDetail[] };

function issuesToDetails(issues: readonly z.core.$ZodIssue[]): ErrorDetail[] {
  return issues
    .slice(0, MAX_INPUT_PROBLEMS)
    .map((issue) => ({ path: ['data', ...issue.path.map(String)].join('.'), message: issue.message }));
}

type OpError = Extract<PushResult, { status: 'rejected' }>['error'];

/**
 * Checks an op whose opId and seq the request's shape already vouched for: first the input
 * limits over everything it holds (any string or key, known field or not: U+0000, half a
 * surrogate pair, nesting, sizes), then the op's own fields. A refusal is answered for this op
 * alone (validation_failed, details as locale keys), and holds nothing the database cannot store.
 */
export function checkPushOp(entry: PushOpEntry): { ok: true; op: PushOp } | { ok: false; error: OpError } {
  const problems = findInputProblems(entry);
  if (problems.length > 0) {
    return {
      ok: false,
      error: {
        code: 'validation_failed',
        message: 'The operation holds text, nesting or sizes the server cannot store',
        details: problems,
      },
    };
  }
  const parsed = pushOpSchema.safeParse(entry);
  if (parsed.success) return { ok: true, op: parsed.data };
  const details = parsed.error.issues
    .slice(0, MAX_INPUT_PROBLEMS)
    .map((issue) => ({ path: issue.path.map(String).join('.'), message: 'errors.input.invalidOperation' }));
  return {
    ok: false,
    error: { code: 'validation_failed', message: 'The operation does not match the protocol', details },
  };
}

/**
 * Checks an upsert's `data` with the same schema the device used (shared/schemas), and for an
 * assessment also its criteria set and answers (domain/scoring). Messages are locale keys.
 */
export function checkRecordData(entity: Entity, data: unknown, now: Date): RecordCheck {
  const result = recordSchemaFor(entity, currentYearIn(now)).safeParse(data);
  if (!result.success) return { ok: false, details: issuesToDetails(result.error.issues) };
  if (entity !== 'assessment') return { ok: true, parsed: result.data };

  const assessment = result.data as AssessmentData;
  const set = findCriteriaSet(assessment.criteriaSetId, assessment.criteriaSetVersion);
  if (!set || set.title !== assessment.title) {
    // No locale key names an unknown criteria set yet: errors.generic until shared/ adds one.
    return { ok: false, details: [{ path: 'data.criteriaSetId', message: 'errors.generic' }] };
  }
  const answerIssues = validateAnswers(set, assessment.answers);
  if (answerIssues.length > 0) {
    return {
      ok: false,
      details: answerIssues.map((i) => ({ path: `data.answers.${i.criterionId}`, message: i.message })),
    };
  }
  return { ok: true, parsed: assessment, criteriaSet: set };
}
