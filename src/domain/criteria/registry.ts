import type { Title } from '../../shared/schemas/assessment.schema';
import type { CriteriaSet } from './criteria-set';
import { LEARNING_CITIZEN_QD324 } from './learning-citizen.qd324';
import { LEARNING_CLAN_DRAFT } from './learning-clan.draft';
import { LEARNING_COMMUNITY_DRAFT } from './learning-community.draft';
import { LEARNING_FAMILY_QD448 } from './learning-family.qd448';
import { LEARNING_UNIT_DRAFT } from './learning-unit.draft';

/**
 * Every shipped criteria set. A set is never edited once assessments use it: a correction is a
 * new version (or a new id), so a stored assessment can always be re-scored with its own set.
 */
export const CRITERIA_SETS: readonly CriteriaSet[] = [
  LEARNING_FAMILY_QD448,
  LEARNING_CLAN_DRAFT,
  LEARNING_CITIZEN_QD324,
  LEARNING_COMMUNITY_DRAFT,
  LEARNING_UNIT_DRAFT,
];

/** The set an assessment was scored with (assessment.criteriaSetId / criteriaSetVersion). */
export function findCriteriaSet(id: string, version: number): CriteriaSet | undefined {
  return CRITERIA_SETS.find((set) => set.id === id && set.version === version);
}

export function isEffectiveIn(set: CriteriaSet, year: number): boolean {
  return set.effectiveFromYear <= year && (set.effectiveToYear === null || year <= set.effectiveToYear);
}

/**
 * The set to use for a new assessment of `title` in `year`: among the sets effective that year,
 * the one that took effect last, then the highest version. Undefined when none covers the year.
 */
export function currentCriteriaSet(title: Title, year: number): CriteriaSet | undefined {
  return selectCriteriaSet(CRITERIA_SETS, title, year);
}

/** currentCriteriaSet over any list of sets (tests, or sets loaded as data later). */
export function selectCriteriaSet(sets: readonly CriteriaSet[], title: Title, year: number): CriteriaSet | undefined {
  let best: CriteriaSet | undefined;
  for (const set of sets) {
    if (set.title !== title || !isEffectiveIn(set, year)) continue;
    if (!best || compareRecency(set, best) > 0) best = set;
  }
  return best;
}

function compareRecency(a: CriteriaSet, b: CriteriaSet): number {
  return a.effectiveFromYear - b.effectiveFromYear || a.version - b.version;
}
