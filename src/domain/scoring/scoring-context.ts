import type { Title } from '../../shared/schemas/assessment.schema';
import {
  deriveClanInputs,
  deriveHouseholdInputs,
  deriveUnitInputs,
  deriveVillageInputs,
  type SchoolingMember,
} from '../derived/derived-inputs';
import type { ScoringContext } from './score-assessment';

/**
 * The register as scoring needs it. The phone answers from IndexedDB, the server from its
 * records table; the rules that turn the answers into a context live once, below, so a score is
 * the same on both sides (invariant 7) whenever both hold the same records.
 * "Live" means not deleted. A record that is missing answers `undefined`.
 */
export interface RegisterReader {
  household(id: string): Promise<{ readonly villageId: string | undefined; readonly deleted: boolean } | undefined>;
  citizen(id: string): Promise<{ readonly householdId: string | undefined } | undefined>;
  clan(
    id: string,
  ): Promise<{ readonly memberHouseholdIds: readonly string[]; readonly villageIds: readonly string[] } | undefined>;
  unit(id: string): Promise<
    | {
        readonly villageId: string | undefined;
        readonly memberCount: number;
        readonly membersWithLearningCitizen: number;
      }
    | undefined
  >;
  /** false when the village is unknown. */
  isVillageDisadvantaged(villageId: string): Promise<boolean>;
  liveMembersOf(householdId: string): Promise<SchoolingMember[]>;
  liveHouseholdIdsIn(villageId: string): Promise<string[]>;
  liveClanIdsIn(villageId: string): Promise<string[]>;
  /** Subjects whose live assessment of this title and year passed. */
  passedSubjects(title: Title, year: number): Promise<Set<string>>;
}

const disadvantaged = (reader: RegisterReader, villageId: string | undefined) =>
  villageId ? reader.isVillageDisadvantaged(villageId) : Promise.resolve(false);

/**
 * What a score depends on besides the answers: whether the subject lives in a disadvantaged area,
 * and the derived inputs (shares and facts a person never types).
 */
export async function deriveScoringContext(
  reader: RegisterReader,
  title: Title,
  subjectId: string,
  year: number,
): Promise<ScoringContext> {
  switch (title) {
    case 'learning_family': {
      const household = await reader.household(subjectId);
      return {
        isDisadvantagedArea: await disadvantaged(reader, household?.villageId),
        derived: { ...deriveHouseholdInputs(await reader.liveMembersOf(subjectId), year) },
      };
    }
    case 'learning_citizen': {
      const citizen = await reader.citizen(subjectId);
      const household = citizen?.householdId ? await reader.household(citizen.householdId) : undefined;
      return { isDisadvantagedArea: await disadvantaged(reader, household?.villageId), derived: {} };
    }
    case 'learning_clan': {
      const clan = await reader.clan(subjectId);
      const householdIds: string[] = [];
      const dropouts = new Set<string>();
      for (const id of clan?.memberHouseholdIds ?? []) {
        const household = await reader.household(id);
        if (!household || household.deleted) continue;
        householdIds.push(id);
        if (deriveHouseholdInputs(await reader.liveMembersOf(id), year).schoolAgeChildrenAllInSchool === false)
          dropouts.add(id);
      }
      return {
        isDisadvantagedArea: await disadvantaged(reader, clan?.villageIds[0]),
        derived: { ...deriveClanInputs(householdIds, await reader.passedSubjects('learning_family', year), dropouts) },
      };
    }
    case 'learning_community': {
      const [householdIds, clanIds, families, clans] = await Promise.all([
        reader.liveHouseholdIdsIn(subjectId),
        reader.liveClanIdsIn(subjectId),
        reader.passedSubjects('learning_family', year),
        reader.passedSubjects('learning_clan', year),
      ]);
      return {
        isDisadvantagedArea: await disadvantaged(reader, subjectId),
        derived: { ...deriveVillageInputs(householdIds, families, clanIds, clans) },
      };
    }
    case 'learning_unit': {
      const unit = await reader.unit(subjectId);
      return {
        isDisadvantagedArea: await disadvantaged(reader, unit?.villageId),
        derived: unit ? { ...deriveUnitInputs(unit.memberCount, unit.membersWithLearningCitizen) } : {},
      };
    }
  }
}
