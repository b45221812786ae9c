import { deriveScoringContext, type RegisterReader } from '../../domain/scoring/scoring-context';
import type { ScoringContext } from '../../domain/scoring/score-assessment';
import type { Title } from '../../shared/schemas/assessment.schema';
import { readResults } from './assessment.queries';
import type { AppDatabase } from './db';

/** The device's register as scoring reads it (the rules are in domain/scoring/scoring-context). */
function deviceRegister(db: AppDatabase): RegisterReader {
  return {
    async household(id) {
      const row = await db.households.get(id);
      return row && { villageId: row.data.villageId, deleted: row.deleted === 1 };
    },
    async citizen(id) {
      const row = await db.citizens.get(id);
      return row && { householdId: row.data.householdId };
    },
    async clan(id) {
      const row = await db.clans.get(id);
      return row && { memberHouseholdIds: row.data.memberHouseholdIds, villageIds: row.data.villageIds };
    },
    async unit(id) {
      const row = await db.units.get(id);
      return (
        row && {
          villageId: row.data.villageId,
          memberCount: row.data.memberCount,
          membersWithLearningCitizen: row.data.membersWithLearningCitizen,
        }
      );
    },
    async isVillageDisadvantaged(villageId) {
      return (await db.villages.get(villageId))?.data.isDisadvantagedArea ?? false;
    },
    async liveMembersOf(householdId) {
      return (
        await db.citizens
          .where('data.householdId')
          .equals(householdId)
          .filter((c) => c.deleted === 0)
          .toArray()
      ).map((c) => c.data);
    },
    liveHouseholdIdsIn: (villageId) =>
      db.households.where('[deleted+data.villageId]').equals([0, villageId]).primaryKeys(),
    liveClanIdsIn: (villageId) =>
      db.clans.filter((c) => c.deleted === 0 && c.data.villageIds.includes(villageId)).primaryKeys(),
    async passedSubjects(title, year) {
      const results = await readResults(db, title, year);
      return new Set([...results].filter(([, passed]) => passed).map(([id]) => id));
    },
  };
}

/** What a score depends on besides the answers, read from this device's register. */
export function readScoringContext(
  db: AppDatabase,
  title: Title,
  subjectId: string,
  year: number,
): Promise<ScoringContext> {
  return deriveScoringContext(deviceRegister(db), title, subjectId, year);
}
