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
 * The register as scoring needs it, answered at once: a register held in memory (the demo
 * register's generator). "Live" means not deleted. A record that is missing answers `undefined`.
 */
export interface InMemoryRegister {
  household(id: string): { readonly villageId: string | undefined; readonly deleted: boolean } | undefined;
  citizen(id: string): { readonly householdId: string | undefined } | undefined;
  clan(
    id: string,
  ): { readonly memberHouseholdIds: readonly string[]; readonly villageIds: readonly string[] } | undefined;
  unit(id: string):
    | {
        readonly villageId: string | undefined;
        readonly memberCount: number;
        readonly membersWithLearningCitizen: number;
      }
    | undefined;
  /** false when the village is unknown. */
  isVillageDisadvantaged(villageId: string): boolean;
  liveMembersOf(householdId: string): readonly SchoolingMember[];
  liveHouseholdIdsIn(villageId: string): readonly string[];
  liveClanIdsIn(villageId: string): readonly string[];
  /** Subjects whose live assessment of this title and year passed. */
  passedSubjects(title: Title, year: number): ReadonlySet<string>;
}

type Question = keyof InMemoryRegister;
type Answer<Q extends Question> = ReturnType<InMemoryRegister[Q]>;

/**
 * The same register read from storage: the phone answers from IndexedDB, the server from its
 * records table. The rules that turn the answers into a context live once, below, so a score is
 * the same on both sides (invariant 7) whenever both hold the same records.
 */
export type RegisterReader = {
  [Q in Question]: (...args: Parameters<InMemoryRegister[Q]>) => Promise<Answer<Q>>;
};

/** One question to the register, as the rules below ask it (`yield* ask(...)`). */
type Asked = { [Q in Question]: { readonly question: Q; readonly args: Parameters<InMemoryRegister[Q]> } }[Question];

function* ask<Q extends Question>(question: Q, ...args: Parameters<InMemoryRegister[Q]>): Generator<Asked, Answer<Q>> {
  return (yield { question, args } as Asked) as Answer<Q>;
}

function* disadvantaged(villageId: string | undefined): Generator<Asked, boolean> {
  return villageId ? yield* ask('isVillageDisadvantaged', villageId) : false;
}

/**
 * What a score depends on besides the answers: whether the subject lives in a disadvantaged area,
 * and the derived inputs (shares and facts a person never types). Written once as a sequence of
 * questions to the register, so the same rules run over a reader that answers later
 * (deriveScoringContext) and over a register in memory (deriveScoringContextInMemory).
 */
function* scoringContext(title: Title, subjectId: string, year: number): Generator<Asked, ScoringContext> {
  switch (title) {
    case 'learning_family': {
      const household = yield* ask('household', subjectId);
      return {
        isDisadvantagedArea: yield* disadvantaged(household?.villageId),
        derived: { ...deriveHouseholdInputs(yield* ask('liveMembersOf', subjectId), year) },
      };
    }
    case 'learning_citizen': {
      const citizen = yield* ask('citizen', subjectId);
      const household = citizen?.householdId ? yield* ask('household', citizen.householdId) : undefined;
      return { isDisadvantagedArea: yield* disadvantaged(household?.villageId), derived: {} };
    }
    case 'learning_clan': {
      const clan = yield* ask('clan', subjectId);
      const householdIds: string[] = [];
      const dropouts = new Set<string>();
      for (const id of clan?.memberHouseholdIds ?? []) {
        const household = yield* ask('household', id);
        if (!household || household.deleted) continue;
        householdIds.push(id);
        if (deriveHouseholdInputs(yield* ask('liveMembersOf', id), year).schoolAgeChildrenAllInSchool === false)
          dropouts.add(id);
      }
      const families = yield* ask('passedSubjects', 'learning_family', year);
      return {
        isDisadvantagedArea: yield* disadvantaged(clan?.villageIds[0]),
        derived: { ...deriveClanInputs(householdIds, families, dropouts) },
      };
    }
    case 'learning_community': {
      const householdIds = yield* ask('liveHouseholdIdsIn', subjectId);
      const clanIds = yield* ask('liveClanIdsIn', subjectId);
      const families = yield* ask('passedSubjects', 'learning_family', year);
      const clans = yield* ask('passedSubjects', 'learning_clan', year);
      return {
        isDisadvantagedArea: yield* disadvantaged(subjectId),
        derived: { ...deriveVillageInputs(householdIds, families, clanIds, clans) },
      };
    }
    case 'learning_unit': {
      const unit = yield* ask('unit', subjectId);
      return {
        isDisadvantagedArea: yield* disadvantaged(unit?.villageId),
        derived: unit ? { ...deriveUnitInputs(unit.memberCount, unit.membersWithLearningCitizen) } : {},
      };
    }
  }
}

/** The register's answer to one question (a promise from a reader). */
function answer(register: InMemoryRegister | RegisterReader, { question, args }: Asked): unknown {
  return (register[question] as (...a: typeof args) => unknown).apply(register, args);
}

/** The scoring context of a subject, read through a reader (the phone's, the server's). */
export async function deriveScoringContext(
  reader: RegisterReader,
  title: Title,
  subjectId: string,
  year: number,
): Promise<ScoringContext> {
  const steps = scoringContext(title, subjectId, year);
  for (let step = steps.next(); ; step = steps.next(await answer(reader, step.value))) {
    if (step.done) return step.value;
  }
}

/** The scoring context of a subject in a register held in memory, by the same rules. */
export function deriveScoringContextInMemory(
  register: InMemoryRegister,
  title: Title,
  subjectId: string,
  year: number,
): ScoringContext {
  const steps = scoringContext(title, subjectId, year);
  for (let step = steps.next(); ; step = steps.next(answer(register, step.value))) {
    if (step.done) return step.value;
  }
}
