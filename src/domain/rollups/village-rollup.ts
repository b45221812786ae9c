import type { Title } from '../../shared/schemas/assessment.schema';

export interface RollupHousehold {
  readonly id: string;
  readonly villageId: string;
}

export interface RollupAssessment {
  readonly subjectId: string;
  readonly title: Title;
  readonly year: number;
  readonly passed: boolean;
}

export interface VillageCounts {
  readonly households: number;
  /** Households with a Gia đình học tập assessment for the year. */
  readonly familyAssessed: number;
  /** Of those, the ones whose result passes. */
  readonly familyPassed: number;
}

const EMPTY: VillageCounts = { households: 0, familyAssessed: 0, familyPassed: 0 };

/**
 * Per-village counts for one year, as the home screen shows them. Pure: callers pass live
 * (not deleted) records only.
 */
export function countByVillage(
  households: readonly RollupHousehold[],
  assessments: readonly RollupAssessment[],
  year: number,
): Map<string, VillageCounts> {
  const family = new Map<string, boolean>();
  for (const a of assessments) {
    if (a.title === 'learning_family' && a.year === year) family.set(a.subjectId, a.passed);
  }
  const counts = new Map<string, VillageCounts>();
  for (const h of households) {
    const current = counts.get(h.villageId) ?? EMPTY;
    const result = family.get(h.id);
    counts.set(h.villageId, {
      households: current.households + 1,
      familyAssessed: current.familyAssessed + (result === undefined ? 0 : 1),
      familyPassed: current.familyPassed + (result === true ? 1 : 0),
    });
  }
  return counts;
}

/**
 * The same counts when the live households per village are known as totals (counted in an
 * index, without reading them): `assessedHouseholds` need only be the live households that have
 * an assessment. A village without live households is left out, as in countByVillage.
 */
export function countByVillageWithTotals(
  householdTotals: ReadonlyMap<string, number>,
  assessedHouseholds: readonly RollupHousehold[],
  assessments: readonly RollupAssessment[],
  year: number,
): Map<string, VillageCounts> {
  const assessed = countByVillage(assessedHouseholds, assessments, year);
  const counts = new Map<string, VillageCounts>();
  for (const [villageId, households] of householdTotals) {
    if (households === 0) continue;
    const family = assessed.get(villageId);
    counts.set(villageId, {
      households,
      familyAssessed: family?.familyAssessed ?? 0,
      familyPassed: family?.familyPassed ?? 0,
    });
  }
  return counts;
}
