import { deriveClanInputs, deriveHouseholdInputs, deriveUnitInputs, deriveVillageInputs } from '../../domain/derived/derived-inputs';
import type { ScoringContext } from '../../domain/scoring/score-assessment';
import type { Title } from '../../shared/schemas/assessment.schema';
import { readResults } from './assessment.queries';
import type { AppDatabase } from './db';

async function liveMembersOf(db: AppDatabase, householdId: string) {
  return (await db.citizens.where('data.householdId').equals(householdId).filter((c) => c.deleted === 0).toArray()).map((c) => c.data);
}

async function isVillageDisadvantaged(db: AppDatabase, villageId: string | undefined): Promise<boolean> {
  return villageId ? ((await db.villages.get(villageId))?.data.isDisadvantagedArea ?? false) : false;
}

/** Ids of results that passed, for one title and year. */
async function holders(db: AppDatabase, title: Title, year: number): Promise<Set<string>> {
  const results = await readResults(db, title, year);
  return new Set([...results].filter(([, passed]) => passed).map(([id]) => id));
}

/**
 * What a score depends on besides the answers, read from the register: whether the subject lives
 * in a disadvantaged area, and the derived inputs (shares and facts a person never types).
 */
export async function readScoringContext(db: AppDatabase, title: Title, subjectId: string, year: number): Promise<ScoringContext> {
  switch (title) {
    case 'learning_family': {
      const household = await db.households.get(subjectId);
      return {
        isDisadvantagedArea: await isVillageDisadvantaged(db, household?.data.villageId),
        derived: { ...deriveHouseholdInputs(await liveMembersOf(db, subjectId), year) },
      };
    }
    case 'learning_citizen': {
      const citizen = await db.citizens.get(subjectId);
      const household = citizen ? await db.households.get(citizen.data.householdId) : undefined;
      return { isDisadvantagedArea: await isVillageDisadvantaged(db, household?.data.villageId), derived: {} };
    }
    case 'learning_clan': {
      const clan = await db.clans.get(subjectId);
      const householdIds = [];
      const dropouts = new Set<string>();
      for (const row of await db.households.bulkGet(clan?.data.memberHouseholdIds ?? [])) {
        if (!row || row.deleted === 1) continue;
        householdIds.push(row.id);
        if (deriveHouseholdInputs(await liveMembersOf(db, row.id), year).schoolAgeChildrenAllInSchool === false) dropouts.add(row.id);
      }
      return {
        isDisadvantagedArea: await isVillageDisadvantaged(db, clan?.data.villageIds[0]),
        derived: { ...deriveClanInputs(householdIds, await holders(db, 'learning_family', year), dropouts) },
      };
    }
    case 'learning_community': {
      const householdIds = await db.households.where('data.villageId').equals(subjectId).filter((h) => h.deleted === 0).primaryKeys();
      const clanIds = await db.clans.filter((c) => c.deleted === 0 && c.data.villageIds.includes(subjectId)).primaryKeys();
      return {
        isDisadvantagedArea: await isVillageDisadvantaged(db, subjectId),
        derived: { ...deriveVillageInputs(householdIds, await holders(db, 'learning_family', year), clanIds, await holders(db, 'learning_clan', year)) },
      };
    }
    case 'learning_unit': {
      const unit = await db.units.get(subjectId);
      return {
        isDisadvantagedArea: await isVillageDisadvantaged(db, unit?.data.villageId),
        derived: unit ? { ...deriveUnitInputs(unit.data.memberCount, unit.data.membersWithLearningCitizen) } : {},
      };
    }
  }
}
