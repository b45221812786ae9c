import { describe, expect, it } from 'vitest';
import type { SchoolingMember } from '../derived/derived-inputs';
import { deriveScoringContext, type RegisterReader } from './scoring-context';

/** A register in memory: what both the device and the server reader answer, reduced to maps. */
function register(parts: {
  households?: Record<string, { villageId?: string; deleted?: boolean }>;
  citizens?: Record<string, string>;
  members?: Record<string, SchoolingMember[]>;
  clans?: Record<string, { memberHouseholdIds: string[]; villageIds: string[] }>;
  disadvantaged?: string[];
  passed?: Record<string, string[]>;
}): RegisterReader {
  return {
    household: (id) =>
      Promise.resolve(
        parts.households?.[id] && {
          villageId: parts.households[id].villageId,
          deleted: parts.households[id].deleted ?? false,
        },
      ),
    citizen: (id) =>
      Promise.resolve(parts.citizens?.[id] === undefined ? undefined : { householdId: parts.citizens[id] }),
    clan: (id) => Promise.resolve(parts.clans?.[id]),
    unit: () => Promise.resolve(undefined),
    isVillageDisadvantaged: (id) => Promise.resolve(parts.disadvantaged?.includes(id) ?? false),
    liveMembersOf: (id) => Promise.resolve(parts.members?.[id] ?? []),
    liveHouseholdIdsIn: (villageId) =>
      Promise.resolve(
        Object.entries(parts.households ?? {})
          .filter(([, h]) => h.villageId === villageId && !h.deleted)
          .map(([id]) => id),
      ),
    liveClanIdsIn: (villageId) =>
      Promise.resolve(
        Object.entries(parts.clans ?? {})
          .filter(([, c]) => c.villageIds.includes(villageId))
          .map(([id]) => id),
      ),
    passedSubjects: (title, year) => Promise.resolve(new Set(parts.passed?.[`${title}/${year}`] ?? [])),
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
});
