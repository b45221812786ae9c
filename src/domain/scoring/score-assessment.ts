import type { Answer, Failure, ScoreResult } from '../../shared/schemas/assessment.schema';
import { messageKey } from '../../shared/schemas/messages';
import {
  listCriteria,
  sumMaxPoints,
  type CriteriaSet,
  type Criterion,
  type DerivedCriterion,
  type DerivedValue,
} from '../criteria/criteria-set';

/** Only these fields decide a result; notes and evidence do not. Accepts parsed and raw answers. */
export type AnswerLike = Pick<Answer, 'value' | 'points'>;
export type Answers = Readonly<Record<string, AnswerLike | undefined>>;

export interface ScoringContext {
  /** The subject lives in vùng sâu, vùng xa, vùng ĐBKK or vùng đồng bào DTTS (village flag). */
  isDisadvantagedArea: boolean;
  /** Values from derived/derived-inputs.ts: null = not applicable, missing = not known yet. */
  derived: Readonly<Record<string, DerivedValue | undefined>>;
}

export interface AnswerIssue {
  criterionId: string;
  /** A locale key with parameters (messageKey). */
  message: string;
}

/**
 * Why an answer cannot be stored for this criterion, or null when it can. An answer carrying
 * neither a value nor points (only a note or evidence) is fine: it is simply not answered yet.
 */
export function findAnswerIssue(criterion: Criterion, answer: AnswerLike): string | null {
  const { value, points } = answer;
  const isNotApplicableAllowed = criterion.allowNotApplicable === true;
  switch (criterion.kind) {
    case 'derived':
      return value !== undefined || points !== undefined ? 'errors.answer.kind' : null;
    case 'check':
    case 'disqualifier':
      if (points !== undefined) return 'errors.answer.kind';
      return value === 'na' && !isNotApplicableAllowed ? 'errors.answer.notApplicable' : null;
    case 'points':
      if (value === 'na') {
        if (points !== undefined) return 'errors.answer.kind';
        return isNotApplicableAllowed ? null : 'errors.answer.notApplicable';
      }
      if (value !== undefined) return 'errors.answer.kind';
      if (points === undefined) return null;
      if (!Number.isInteger(points)) return 'errors.points.invalid';
      return points < 0 || points > criterion.maxPoints
        ? messageKey('errors.points.range', { min: 0, max: criterion.maxPoints })
        : null;
  }
}

/**
 * Refuses answers the set cannot take. The UI and the server both call it before storing, so
 * the issues come in criteria order, then unknown ids in sorted order (a stable list to show).
 */
export function validateAnswers(set: CriteriaSet, answers: Answers): AnswerIssue[] {
  const criteria = listCriteria(set);
  const issues: AnswerIssue[] = [];
  for (const criterion of criteria) {
    const answer = answers[criterion.id];
    const message = answer ? findAnswerIssue(criterion, answer) : null;
    if (message) issues.push({ criterionId: criterion.id, message });
  }
  const knownIds = new Set(criteria.map((c) => c.id));
  const unknownIds = Object.keys(answers).filter((id) => !knownIds.has(id) && answers[id] !== undefined);
  for (const id of unknownIds.sort()) issues.push({ criterionId: id, message: 'errors.answer.unknownCriterion' });
  return issues;
}

/**
 * Scores one assessment. Pure and deterministic: the phone shows it, the server re-computes it.
 *
 * - An answer validateAnswers would refuse counts as not answered (a stored 11/10 never passes).
 * - Failures follow the criteria order; the total comes last and only once every points item is
 *   answered (a partial total says nothing yet).
 * - Points items answered "na" leave the table; the pass mark then shrinks in proportion,
 *   rounded up (80/100 with 30 points not applicable needs 56/70).
 * - passed = complete and no failure.
 */
export function scoreAssessment(set: CriteriaSet, answers: Answers, context: ScoringContext): ScoreResult {
  const failures: Failure[] = [];
  let isComplete = true;
  let totalPoints = 0;
  let applicableMaxPoints = 0;
  const notAnswered = (criterionId: string) => {
    isComplete = false;
    failures.push({ criterionId, reason: 'not_answered', params: {} });
  };

  for (const criterion of listCriteria(set)) {
    const raw = answers[criterion.id];
    const answer = raw && findAnswerIssue(criterion, raw) === null ? raw : undefined;
    const id = criterion.id;
    switch (criterion.kind) {
      case 'check':
      case 'disqualifier': {
        const isRequired = criterion.kind === 'disqualifier' || criterion.optional !== true;
        if (!isRequired || answer?.value === 'na') break;
        if (answer?.value === undefined) notAnswered(id);
        else if (answer.value === 'fail') {
          failures.push({
            criterionId: id,
            reason: criterion.kind === 'check' ? 'required_failed' : 'disqualified',
            params: {},
          });
        }
        break;
      }
      case 'points': {
        if (answer?.value === 'na') break;
        applicableMaxPoints += criterion.maxPoints;
        if (answer?.points === undefined) {
          notAnswered(id);
          break;
        }
        totalPoints += answer.points;
        const min = criterion.minPoints ?? set.rules.minPointsPerItem;
        if (min !== undefined && answer.points < min) {
          failures.push({ criterionId: id, reason: 'below_minimum', params: { points: answer.points, min } });
        }
        break;
      }
      case 'derived': {
        const outcome = evaluateDerived(criterion, context.derived[criterion.input]);
        if (outcome === 'missing') notAnswered(id);
        else if (outcome !== 'met') failures.push(outcome);
        break;
      }
    }
  }

  const fullMaxPoints = sumMaxPoints(listCriteria(set));
  if (fullMaxPoints === 0) {
    return {
      passed: isComplete && failures.length === 0,
      complete: isComplete,
      totalPoints: null,
      maxPoints: null,
      threshold: null,
      failures,
    };
  }
  const threshold = scalePassMark(findPassMark(set, context.isDisadvantagedArea), applicableMaxPoints, fullMaxPoints);
  if (isComplete && threshold !== null && totalPoints < threshold) {
    failures.push({ criterionId: null, reason: 'total_below_threshold', params: { total: totalPoints, threshold } });
  }
  return {
    passed: isComplete && failures.length === 0,
    complete: isComplete,
    totalPoints,
    maxPoints: applicableMaxPoints,
    threshold,
    failures,
  };
}

function findPassMark(set: CriteriaSet, isDisadvantagedArea: boolean): number | null {
  const { passMark, passMarkByArea } = set.rules;
  if (isDisadvantagedArea && passMarkByArea) return passMarkByArea.disadvantaged;
  return passMark ?? null;
}

function scalePassMark(passMark: number | null, applicableMax: number, fullMax: number): number | null {
  if (passMark === null || applicableMax === fullMax) return passMark;
  return Math.ceil((passMark * applicableMax) / fullMax);
}

/** 'missing' = not answered: no value yet, n/a where not allowed, or a value of the wrong type. */
function evaluateDerived(criterion: DerivedCriterion, value: DerivedValue | undefined): 'met' | 'missing' | Failure {
  if (value === undefined) return 'missing';
  if (value === null) return criterion.allowNotApplicable === true ? 'met' : 'missing';
  const { comparator, target } = criterion;
  let isMet: boolean;
  if (typeof value === 'number' && typeof target === 'number')
    isMet = comparator === 'gte' ? value >= target : value === target;
  else if (typeof value === 'boolean' && typeof target === 'boolean' && comparator === 'eq') isMet = value === target;
  else return 'missing';
  if (isMet) return 'met';
  // Failure params take numbers or strings: booleans travel as "true" / "false".
  const asParam = (v: number | boolean) => (typeof v === 'boolean' ? String(v) : v);
  return {
    criterionId: criterion.id,
    reason: 'derived_failed',
    params: { value: asParam(value), target: asParam(target) },
  };
}
