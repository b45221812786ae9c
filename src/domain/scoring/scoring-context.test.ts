import { describe, expect, it } from 'vitest';
import type { SchoolingMember } from '../derived/derived-inputs';
import {
  deriveScoringContext,
  deriveScoringContextInMemory,
  type InMemoryRegister,
  type RegisterReader,
} from './scoring-context';

interface Parts {
  households?: Record<string, { villageId?: string; deleted?: boolean }>;
  citizens?: Record<string, string>;
  members?: Record<string, SchoolingMember[]>;
  clans?: Record<string, { memberHouseholdIds: string[]; villageIds: string[] }>;
  units?: Record<string, { villageId?: string; memberCount: number; membersWithLearningCitizen: number }>;
  disadvantaged?: string[];
  passed?: Record<string, string[]>;
}

/** A register in memory: what both the device and the server reader answer, reduced to maps. */
function inMemory(parts: Parts): InMemoryRegister {
  return {
    household: (id) =>
      parts.households?.[id] && {
        villageId: parts.households[id].villageId,
        deleted: parts.households[id].deleted ?? false,
      },
    citizen: (id) => (parts.citizens?.[id] === undefined ? undefined : { householdId: parts.citizens[id] }),
    clan: (id) => parts.clans?.[id],
    unit: (id) => parts.units?.[id] && { villageId: undefined, ...parts.units[id] },
    isVillageDisadvantaged: (id) => parts.disadvantaged?.includes(id) ?? false,
    liveMembersOf: (id) => parts.members?.[id] ?? [],
    liveHouseholdIdsIn: (villageId) =>
      Object.entries(parts.households ?? {})
        .filter(([, h]) => h.villageId === villageId && !h.deleted)
        .map(([id]) => id),
    liveClanIdsIn: (villageId) =>
      Object.entries(parts.clans ?? {})
        .filter(([, c]) => c.villageIds.includes(villageId))
        .map(([id]) => id),
    passedSubjects: (title, year) => new Set(parts.passed?.[`${title}/${year}`] ?? []),
  };
}

/** The same register behind promises, as the device's and the server's readers answer. */
function register(parts: Parts): RegisterReader {
  const memory = inMemory(parts);
  return {
    household: (id) => Promise.resolve(memory.household(id)),
    citizen: (id) => Promise.resolve(memory.citizen(id)),
    clan: (id) => Promise.resolve(memory.clan(id)),
    unit: (id) => Promise.resolve(memory.unit(id)),
    isVillageDisadvantaged: (id) => Promise.resolve(memory.isVillageDisadvantaged(id)),
    liveMembersOf: (id) => Promise.resolve(memory.liveMembersOf(id)),
    liveHouseholdIdsIn: (id) => Promise.resolve(memory.liveHouseholdIdsIn(id)),
    liveClanIdsIn: (id) => Promise.resolve(memory.liveClanIdsIn(id)),
    passedSubjects: (title, year) => Promise.resolve(memory.passedSubjects(title, year)),
  };
}

const child = (birthYear: number, schooling: SchoolingMember['schooling']): SchoolingMember => ({
  birthYear,
  schooling,
});

describe('the scoring context read from the register', () => {
  it("takes a citizen's disadvantaged area from the village of their household", async () => {
    const reader = register({ households: { h1: { villageId: 'v1' } }, citizens: { c1: 'h1' }, disadvantaged: ['v1'] });
    expect(await deriveScoringContext(reader, 'learning_citizen', 'c1', 2026)).toEqual({
      isDisadvantagedArea: true,
      derived: {},
    });
  });

  it('treats a subject the register does not hold as outside any disadvantaged area, with no unit inputs', async () => {
    const reader = register({});
    expect(await deriveScoringContext(reader, 'learning_citizen', 'missing', 2026)).toEqual({
      isDisadvantagedArea: false,
      derived: {},
    });
    expect(await deriveScoringContext(reader, 'learning_unit', 'missing', 2026)).toEqual({
      isDisadvantagedArea: false,
      derived: {},
    });
  });

  it('leaves deleted member households out of a clan and marks one whose child left school', async () => {
    const reader = register({
      households: { h1: { villageId: 'v1' }, h2: { villageId: 'v1' }, h3: { villageId: 'v1', deleted: true } },
      members: { h2: [child(2016, 'bo_hoc')] },
      clans: { k1: { memberHouseholdIds: ['h1', 'h2', 'h3', 'gone'], villageIds: ['v1'] } },
      passed: { 'learning_family/2026': ['h1', 'h3'] },
    });
    const context = await deriveScoringContext(reader, 'learning_clan', 'k1', 2026);
    expect(context.derived).toEqual({ memberHouseholdsLearningFamilyShare: 0.5, memberHouseholdsNoDropout: false });
  });

  it('gives a village the share of its live households holding Gia đình học tập', async () => {
    const reader = register({
      households: { h1: { villageId: 'v1' }, h2: { villageId: 'v1' }, h3: { villageId: 'v2' } },
      passed: { 'learning_family/2026': ['h1', 'h3'] },
    });
    const context = await deriveScoringContext(reader, 'learning_community', 'v1', 2026);
    expect(context.derived).toEqual({ villageHouseholdsLearningFamilyShare: 0.5, villageClansLearningClanShare: null });
  });

  it('derives the same context from a register in memory as from a reader of the same records, for every title', async () => {
    const parts: Parts = {
      households: { h1: { villageId: 'v1' }, h2: { villageId: 'v1' }, h3: { villageId: 'v1', deleted: true } },
      citizens: { c1: 'h2' },
      members: { h1: [child(2015, 'dang_di_hoc')], h2: [child(2016, 'bo_hoc')] },
      clans: { k1: { memberHouseholdIds: ['h1', 'h2', 'h3'], villageIds: ['v1'] } },
      units: { u1: { villageId: 'v1', memberCount: 40, membersWithLearningCitizen: 10 } },
      disadvantaged: ['v1'],
      passed: { 'learning_family/2026': ['h1'], 'learning_clan/2026': ['k1'] },
    };
    const subjects = [
      ['learning_family', 'h2'],
      ['learning_citizen', 'c1'],
      ['learning_clan', 'k1'],
      ['learning_community', 'v1'],
      ['learning_unit', 'u1'],
    ] as const;
    for (const [title, subjectId] of subjects) {
      const fromReader = await deriveScoringContext(register(parts), title, subjectId, 2026);
      expect(fromReader.isDisadvantagedArea).toBe(true);
      expect(deriveScoringContextInMemory(inMemory(parts), title, subjectId, 2026)).toEqual(fromReader);
    }
  });
});
