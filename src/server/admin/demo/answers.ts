/** Answers to criteria sets for the demo register: mostly good, some weak, a few failing. */
import type { CriteriaSet } from '../../../domain/criteria/criteria-set';
import type { AnswerInput } from '../../../shared/schemas/assessment.schema';
import type { Rng } from './rng';

function points(rng: Rng, quality: number, max: number): number {
  return Math.min(max, Math.max(0, Math.round(quality + (rng.float() - 0.5) * 3)));
}

export function isoDay(year: number, rng: Rng): string {
  const month = rng.int(1, 3);
  return `${year}-${String(month).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
}

export function familyAnswers(rng: Rng, set: CriteriaSet, hasSchoolAgeChildren: boolean): Record<string, AnswerInput> {
  const quality = 5.5 + rng.float() * 4.5;
  const answers: Record<string, AnswerInput> = {};
  for (const group of set.groups) {
    for (const c of group.criteria) {
      if (c.kind === 'points') {
        answers[c.id] =
          c.allowNotApplicable && !hasSchoolAgeChildren && group.id === 'tc1'
            ? { value: 'na' }
            : { points: points(rng, quality, c.maxPoints) };
      } else if (c.kind === 'disqualifier' || c.kind === 'check') {
        answers[c.id] = { value: rng.chance(0.97) ? 'pass' : 'fail' };
      }
    }
  }
  return answers;
}

export function citizenAnswers(rng: Rng, set: CriteriaSet): Record<string, AnswerInput> {
  const quality = 6 + rng.float() * 4;
  const answers: Record<string, AnswerInput> = {};
  for (const group of set.groups) {
    for (const c of group.criteria)
      if (c.kind === 'points') answers[c.id] = { points: points(rng, quality, c.maxPoints) };
  }
  return answers;
}

/**
 * Pass/fail sets (clan, community, unit): most items pass, a few fail, items that allow it are
 * sometimes "not applicable". Derived items get no answer: the register decides them.
 */
export function checklistAnswers(rng: Rng, set: CriteriaSet, passRate: number): Record<string, AnswerInput> {
  const quality = 6 + rng.float() * 4;
  const answers: Record<string, AnswerInput> = {};
  for (const group of set.groups) {
    for (const c of group.criteria) {
      if (c.kind === 'points') answers[c.id] = { points: points(rng, quality, c.maxPoints) };
      else if (c.kind === 'check' || c.kind === 'disqualifier') {
        answers[c.id] = {
          value: c.allowNotApplicable && rng.chance(0.15) ? 'na' : rng.chance(passRate) ? 'pass' : 'fail',
        };
      }
    }
  }
  return answers;
}
