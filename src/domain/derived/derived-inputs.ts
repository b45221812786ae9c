import type { CitizenData } from '../../shared/schemas/citizen.schema';
import type { DerivedInputKey } from '../criteria/criteria-set';

/**
 * Values the criteria sets read from the register instead of asking a person (criteria-set.ts,
 * DERIVED_INPUT_KEYS). Conventions shared by every function here:
 * - a share is a fraction 0..1 of distinct subjects;
 * - null means "not applicable" (nobody to count), never zero;
 * - a key left out means "the register cannot tell yet", which scoring treats as not answered.
 */
/** Keys named `…Share` are fractions, the others booleans (DERIVED_INPUT_KIND says the same). */
type Inputs<K extends DerivedInputKey> = { [P in K]?: P extends `${string}Share` ? number | null : boolean | null };

/**
 * School age in whole years reached during the assessed year (year − birth year), inclusive.
 * ASSUMPTION, configurable: criteria.md found no official figure ("độ tuổi đi học", "phổ cập");
 * 6 is the age of grade 1 and 17 that of grade 12.
 */
export const SCHOOL_AGE = { min: 6, max: 17 } as const;
export interface AgeRange {
  min: number;
  max: number;
}

export type SchoolingMember = Pick<CitizenData, 'birthYear' | 'schooling'>;

/**
 * A member is of school age when their age falls in the range, unless the register says they
 * have not started yet (chưa đến tuổi) or have already graduated (đã tốt nghiệp): a birth year
 * gives the age only to within a year, the recorded state is more precise.
 */
export function isSchoolAge(member: SchoolingMember, year: number, schoolAge: AgeRange = SCHOOL_AGE): boolean {
  if (member.schooling === 'chua_den_tuoi' || member.schooling === 'da_tot_nghiep') return false;
  const age = year - member.birthYear;
  return age >= schoolAge.min && age <= schoolAge.max;
}

/**
 * Gia đình học tập: are all the household's school-age children in school?
 * false as soon as one dropped out (bỏ học); unknown (key left out) while a school-age child has
 * no schooling recorded; null when the household has no school-age child.
 */
export function deriveHouseholdInputs(
  members: readonly SchoolingMember[],
  year: number,
  schoolAge: AgeRange = SCHOOL_AGE,
): Inputs<'schoolAgeChildrenAllInSchool'> {
  const children = members.filter((m) => isSchoolAge(m, year, schoolAge));
  if (children.some((c) => c.schooling === 'bo_hoc')) return { schoolAgeChildrenAllInSchool: false };
  if (children.some((c) => c.schooling === undefined)) return {};
  return { schoolAgeChildrenAllInSchool: children.length === 0 ? null : true };
}

/**
 * Dòng họ học tập, from the clan's member households and two sets the caller builds for the
 * assessed year: households holding Gia đình học tập, and households with a dropout
 * (deriveHouseholdInputs(...).schoolAgeChildrenAllInSchool === false).
 */
export function deriveClanInputs(
  memberHouseholdIds: readonly string[],
  learningFamilyHolders: ReadonlySet<string>,
  householdsWithDropout: ReadonlySet<string>,
): Inputs<'memberHouseholdsLearningFamilyShare' | 'memberHouseholdsNoDropout'> {
  const members = new Set(memberHouseholdIds);
  return {
    memberHouseholdsLearningFamilyShare: shareOf(members, learningFamilyHolders),
    memberHouseholdsNoDropout: members.size === 0 ? null : countIn(members, householdsWithDropout) === 0,
  };
}

/** Cộng đồng học tập cấp thôn: the village's rates of Gia đình học tập and Dòng họ học tập. */
export function deriveVillageInputs(
  householdIds: readonly string[],
  learningFamilyHolders: ReadonlySet<string>,
  clanIds: readonly string[],
  learningClanHolders: ReadonlySet<string>,
): Inputs<'villageHouseholdsLearningFamilyShare' | 'villageClansLearningClanShare'> {
  return {
    villageHouseholdsLearningFamilyShare: shareOf(new Set(householdIds), learningFamilyHolders),
    villageClansLearningClanShare: shareOf(new Set(clanIds), learningClanHolders),
  };
}

/**
 * Đơn vị học tập: share of the unit's members holding Công dân học tập. The member count is
 * typed on the unit record, so it can disagree with the holders counted: more holders than
 * members (or a count that is not a whole number ≥ 0) leaves the share unknown until fixed.
 */
export function deriveUnitInputs(
  memberCount: number,
  membersHoldingCdht: number,
): Inputs<'membersLearningCitizenShare'> {
  const isCount = (n: number) => Number.isInteger(n) && n >= 0;
  if (!isCount(memberCount) || !isCount(membersHoldingCdht) || membersHoldingCdht > memberCount) return {};
  return { membersLearningCitizenShare: memberCount === 0 ? null : membersHoldingCdht / memberCount };
}

function countIn(ids: ReadonlySet<string>, holders: ReadonlySet<string>): number {
  let count = 0;
  for (const id of ids) if (holders.has(id)) count += 1;
  return count;
}

function shareOf(ids: ReadonlySet<string>, holders: ReadonlySet<string>): number | null {
  return ids.size === 0 ? null : countIn(ids, holders) / ids.size;
}
