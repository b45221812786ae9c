import type { SchoolingMember } from '../../../domain/derived/derived-inputs';
import type { InMemoryRegister } from '../../../domain/scoring/scoring-context';
import type { Title } from '../../../shared/schemas/assessment.schema';
import type { DemoRegister } from './demo-register';

function groupIds<T>(records: readonly { id: string; data: T }[], keysOf: (data: T) => readonly string[]) {
  const groups = new Map<string, string[]>();
  for (const { id, data } of records) {
    for (const key of keysOf(data)) {
      const ids = groups.get(key);
      if (ids) ids.push(id);
      else groups.set(key, [id]);
    }
  }
  return groups;
}

/**
 * The demo register as scoring reads it (domain/scoring/scoring-context), while it is generated:
 * villages, households, citizens and clans as they are when the first assessment is made;
 * units and assessments as they are at each question (they are added along the way). Nothing
 * in a demo register is deleted. Passed assessments are indexed as they come: the last one of a
 * subject, title and year decides, as on the device and the server.
 */
export function demoRegisterInMemory(
  out: DemoRegister,
  membersByHousehold: ReadonlyMap<string, readonly SchoolingMember[]>,
): InMemoryRegister {
  const villages = new Map(out.villages.map((v) => [v.id, v.data]));
  const households = new Map(out.households.map((h) => [h.id, h.data]));
  const citizens = new Map(out.citizens.map((c) => [c.id, c.data]));
  const clans = new Map(out.clans.map((c) => [c.id, c.data]));
  const householdsIn = groupIds(out.households, (h) => [h.villageId]);
  const clansIn = groupIds(out.clans, (c) => c.villageIds);
  const passed = new Map<string, Set<string>>();
  let indexed = 0;
  const passedOf = (title: Title, year: number) => {
    for (; indexed < out.assessments.length; indexed += 1) {
      const { data } = out.assessments[indexed] ?? {};
      if (!data) continue;
      const key = `${data.title}|${data.year}`;
      const subjects = passed.get(key) ?? new Set<string>();
      if (data.result?.passed) subjects.add(data.subjectId);
      else subjects.delete(data.subjectId);
      passed.set(key, subjects);
    }
    return passed.get(`${title}|${year}`) ?? new Set<string>();
  };
  return {
    household(id) {
      const household = households.get(id);
      return household && { villageId: household.villageId, deleted: false };
    },
    citizen(id) {
      const citizen = citizens.get(id);
      return citizen && { householdId: citizen.householdId };
    },
    clan: (id) => clans.get(id),
    unit(id) {
      const unit = out.units.find((u) => u.id === id)?.data;
      return (
        unit && {
          villageId: unit.villageId,
          memberCount: unit.memberCount,
          membersWithLearningCitizen: unit.membersWithLearningCitizen,
        }
      );
    },
    isVillageDisadvantaged: (villageId) => villages.get(villageId)?.isDisadvantagedArea ?? false,
    liveMembersOf: (householdId) => membersByHousehold.get(householdId) ?? [],
    liveHouseholdIdsIn: (villageId) => householdsIn.get(villageId) ?? [],
    liveClanIdsIn: (villageId) => clansIn.get(villageId) ?? [],
    passedSubjects: passedOf,
  };
}
