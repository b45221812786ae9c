import { describe, expect, it } from 'vitest';
import { TITLES } from '../../shared/schemas/assessment.schema';
import { LEARNING_FAMILY_QD448 } from './learning-family.qd448';
import { currentCriteriaSet, findCriteriaSet, selectCriteriaSet } from './registry';

describe('findCriteriaSet', () => {
  it('finds a set by id and version', () => {
    expect(findCriteriaSet('learning-citizen.qd324', 1)?.title).toBe('learning_citizen');
  });

  it.each([
    { case: 'an unknown version', id: 'learning-citizen.qd324', version: 2 },
    { case: 'an unknown id', id: 'nope', version: 1 },
  ])('finds nothing for $case', ({ id, version }) => {
    expect(findCriteriaSet(id, version)).toBeUndefined();
  });
});

describe('currentCriteriaSet', () => {
  it.each([
    { title: 'learning_family', year: 2016, id: 'learning-family.qd448' },
    { title: 'learning_family', year: 2026, id: 'learning-family.qd448' },
    { title: 'learning_citizen', year: 2023, id: 'learning-citizen.qd324' },
    { title: 'learning_citizen', year: 2022, id: undefined },
    { title: 'learning_clan', year: 2025, id: 'learning-clan.draft' },
    { title: 'learning_community', year: 2025, id: 'learning-community.draft' },
    { title: 'learning_unit', year: 2025, id: 'learning-unit.draft' },
    { title: 'learning_family', year: 2015, id: undefined },
  ] as const)('gives $id for $title in $year', ({ title, year, id }) => {
    expect(currentCriteriaSet(title, year)?.id).toBe(id);
  });

  it('has a set for every title in the current programme years', () => {
    for (const title of TITLES) expect(currentCriteriaSet(title, 2025), title).toBeDefined();
  });
});

describe('selectCriteriaSet', () => {
  const old = { ...LEARNING_FAMILY_QD448, effectiveToYear: 2020 };
  const successor = { ...LEARNING_FAMILY_QD448, id: 'learning-family.next', effectiveFromYear: 2022 };
  const successorV2 = { ...successor, version: 2 };
  const sets = [old, successorV2, successor];

  it.each([
    { case: 'the old set for a year only it covers', year: 2019, expected: old },
    { case: 'nothing for a year between sets', year: 2021, expected: undefined },
    { case: 'the newest version of the set that took effect last', year: 2024, expected: successorV2 },
  ])('gives $case', ({ year, expected }) => {
    expect(selectCriteriaSet(sets, 'learning_family', year)).toBe(expected);
  });

  it('never gives a set of another title', () => {
    expect(selectCriteriaSet(sets, 'learning_clan', 2024)).toBeUndefined();
  });
});
