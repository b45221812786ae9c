import { describe, expect, it } from 'vitest';
import {
  deriveClanInputs,
  deriveHouseholdInputs,
  deriveUnitInputs,
  deriveVillageInputs,
  isSchoolAge,
  SCHOOL_AGE,
  type SchoolingMember,
} from './derived-inputs';

const YEAR = 2025;
/** A member who turns `age` during YEAR. */
const aged = (age: number, schooling?: SchoolingMember['schooling']): SchoolingMember => ({
  birthYear: YEAR - age,
  schooling,
});
const adults = [aged(40), aged(38)];

describe('deriveHouseholdInputs', () => {
  it.each([
    {
      case: 'a household whose 15-year-old dropped out fails the schooling input',
      members: [...adults, aged(15, 'bo_hoc'), aged(10, 'dang_di_hoc')],
      expected: { schoolAgeChildrenAllInSchool: false },
    },
    {
      case: 'a household whose school-age children are all in school meets it',
      members: [...adults, aged(6, 'dang_di_hoc'), aged(17, 'dang_di_hoc')],
      expected: { schoolAgeChildrenAllInSchool: true },
    },
    {
      case: 'a household of adults only has nothing to assess (null, not false)',
      members: adults,
      expected: { schoolAgeChildrenAllInSchool: null },
    },
    {
      case: 'a household with no members has nothing to assess',
      members: [],
      expected: { schoolAgeChildrenAllInSchool: null },
    },
    {
      case: 'a 5-year-old and an 18-year-old are outside school age',
      members: [aged(5), aged(18, 'bo_hoc')],
      expected: { schoolAgeChildrenAllInSchool: null },
    },
    {
      case: 'a 6-year-old recorded as not yet of school age does not count',
      members: [aged(6, 'chua_den_tuoi')],
      expected: { schoolAgeChildrenAllInSchool: null },
    },
    {
      case: 'a 17-year-old who already graduated does not count',
      members: [aged(17, 'da_tot_nghiep')],
      expected: { schoolAgeChildrenAllInSchool: null },
    },
    {
      case: 'a school-age child with no schooling recorded leaves the input unknown',
      members: [aged(12, 'dang_di_hoc'), aged(9)],
      expected: {},
    },
    {
      case: 'a dropout decides the input even when another child is unrecorded',
      members: [aged(9), aged(14, 'bo_hoc')],
      expected: { schoolAgeChildrenAllInSchool: false },
    },
  ])('$case', ({ members, expected }) => {
    expect(deriveHouseholdInputs(members, YEAR)).toEqual(expected);
  });

  it('takes the school age range as a parameter', () => {
    const members = [aged(16, 'bo_hoc')];
    expect(deriveHouseholdInputs(members, YEAR, { min: 6, max: 14 })).toEqual({ schoolAgeChildrenAllInSchool: null });
  });

  it('counts ages in the assessed year, not today', () => {
    const child = aged(10, 'dang_di_hoc');
    expect(isSchoolAge(child, YEAR)).toBe(true);
    expect(isSchoolAge(child, YEAR + 8)).toBe(false);
  });

  it('documents school age as 6 to 17 by default', () => {
    expect(SCHOOL_AGE).toEqual({ min: 6, max: 17 });
  });
});

describe('deriveClanInputs', () => {
  it.each([
    {
      case: 'a clan with two of four households holding the title has a share of one half',
      members: ['a', 'b', 'c', 'd'],
      holders: ['a', 'c', 'x'],
      dropouts: [],
      share: 0.5,
      noDropout: true,
    },
    {
      case: 'a clan with a dropout in one household fails the no-dropout input',
      members: ['a', 'b'],
      holders: ['a', 'b'],
      dropouts: ['b'],
      share: 1,
      noDropout: false,
    },
    {
      case: 'a dropout outside the clan does not count against it',
      members: ['a'],
      holders: [],
      dropouts: ['z'],
      share: 0,
      noDropout: true,
    },
    {
      case: 'a household listed twice counts once',
      members: ['a', 'a', 'b'],
      holders: ['a'],
      dropouts: [],
      share: 0.5,
      noDropout: true,
    },
    {
      case: 'a clan with no member households has no share and no dropout answer',
      members: [],
      holders: ['a'],
      dropouts: [],
      share: null,
      noDropout: null,
    },
  ])('$case', ({ members, holders, dropouts, share, noDropout }) => {
    expect(deriveClanInputs(members, new Set(holders), new Set(dropouts))).toEqual({
      memberHouseholdsLearningFamilyShare: share,
      memberHouseholdsNoDropout: noDropout,
    });
  });
});

describe('deriveVillageInputs', () => {
  it('gives the shares of households and clans holding their titles', () => {
    expect(
      deriveVillageInputs(
        ['h1', 'h2', 'h3', 'h4', 'h5'],
        new Set(['h1', 'h2', 'h3', 'h4']),
        ['c1', 'c2'],
        new Set(['c2']),
      ),
    ).toEqual({
      villageHouseholdsLearningFamilyShare: 0.8,
      villageClansLearningClanShare: 0.5,
    });
  });

  it('a village with no households has no share, not zero', () => {
    expect(deriveVillageInputs([], new Set(), ['c1'], new Set()).villageHouseholdsLearningFamilyShare).toBeNull();
  });

  it('a village with no clans has the clan share not applicable', () => {
    expect(deriveVillageInputs(['h1'], new Set(), [], new Set()).villageClansLearningClanShare).toBeNull();
  });

  it('a village where no household holds the title has a share of zero', () => {
    expect(deriveVillageInputs(['h1', 'h2'], new Set(), [], new Set()).villageHouseholdsLearningFamilyShare).toBe(0);
  });
});

describe('deriveUnitInputs', () => {
  it.each([
    {
      case: 'a unit with 9 of 10 members holding CDHT has a share of 0.9',
      count: 10,
      holders: 9,
      expected: { membersLearningCitizenShare: 0.9 },
    },
    {
      case: 'a unit with no members has no share, not zero',
      count: 0,
      holders: 0,
      expected: { membersLearningCitizenShare: null },
    },
    { case: 'a unit listing more holders than members leaves the share unknown', count: 3, holders: 4, expected: {} },
    { case: 'a negative member count leaves the share unknown', count: -1, holders: 0, expected: {} },
  ])('$case', ({ count, holders, expected }) => {
    expect(deriveUnitInputs(count, holders)).toEqual(expected);
  });
});
