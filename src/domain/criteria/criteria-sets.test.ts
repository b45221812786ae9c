import { describe, expect, it } from 'vitest';
import { TITLES } from '../../shared/schemas/assessment.schema';
import { criteriaSetSchema, listCriteria, sumMaxPoints, type CriteriaSet } from './criteria-set';
import { LEARNING_CITIZEN_QD324 } from './learning-citizen.qd324';
import { LEARNING_FAMILY_QD448 } from './learning-family.qd448';
import { CRITERIA_SETS } from './registry';

const each = CRITERIA_SETS.map((set) => ({ name: `${set.id} v${set.version}`, set }));

describe('every shipped criteria set', () => {
  it.each(each)('$name parses with criteriaSetSchema', ({ set }) => {
    const result = criteriaSetSchema.safeParse(set);
    expect(result.success ? [] : result.error.issues.map((i) => i.message)).toEqual([]);
  });

  it.each(each)('$name has ids unique within the set', ({ set }) => {
    const ids = [...set.groups.map((g) => g.id), ...listCriteria(set).map((c) => c.id)];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(each)('$name has a title from TITLES', ({ set }) => {
    expect(TITLES).toContain(set.title);
  });

  it.each(each)('$name explains why it is not verified', ({ set }) => {
    if (set.verification !== 'verified') expect(set.verificationNote.trim()).not.toBe('');
  });

  it.each(each)('$name has points maxima adding up to what the set and its groups claim', ({ set }) => {
    expect(sumMaxPoints(listCriteria(set))).toBe(set.rules.maxPoints ?? 0);
    for (const group of set.groups)
      if (group.maxPoints !== undefined) expect(sumMaxPoints(group.criteria)).toBe(group.maxPoints);
  });

  it('are identified by id and version only once', () => {
    const keys = CRITERIA_SETS.map((s) => `${s.id}@${s.version}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('the scored sets', () => {
  it.each([
    { set: LEARNING_CITIZEN_QD324, total: 100, groups: [40, 40, 20] },
    { set: LEARNING_FAMILY_QD448, total: 100, groups: [30, 30, 20, 20] },
  ])('$set.id is a $total-point table', ({ set, total, groups }) => {
    expect(sumMaxPoints(listCriteria(set))).toBe(total);
    expect(set.groups.map((g) => sumMaxPoints(g.criteria))).toEqual(groups);
  });

  it('marks the Gia đình học tập pass mark as provisional', () => {
    expect(LEARNING_FAMILY_QD448.rules.passMarkConfirmed).toBe(false);
  });
});

describe('criteriaSetSchema refuses inconsistent sets', () => {
  const base = LEARNING_CITIZEN_QD324;
  it.each<{ case: string; problem: string; set: CriteriaSet }>([
    {
      case: 'a claimed total the items do not reach',
      problem: 'claims 90 points',
      set: { ...base, rules: { ...base.rules, maxPoints: 90 } },
    },
    {
      case: 'a pass mark above the points available',
      problem: 'above the 100 points',
      set: { ...base, rules: { ...base.rules, passMark: 101 } },
    },
    {
      case: 'an area pass mark above the pass mark',
      problem: 'area pass mark',
      set: { ...base, rules: { ...base.rules, passMarkByArea: { disadvantaged: 85 } } },
    },
    {
      case: 'points items without a pass mark',
      problem: 'needs a passMark',
      set: { ...base, rules: { passMarkConfirmed: false } },
    },
    {
      case: 'a draft without a verification note',
      problem: 'needs a verificationNote',
      set: { ...base, verification: 'draft', verificationNote: ' ' },
    },
    { case: 'an end year before the start year', problem: 'effectiveToYear', set: { ...base, effectiveToYear: 2020 } },
    {
      case: 'a duplicate criterion id',
      problem: 'duplicate id cs01',
      set: {
        ...base,
        groups: [
          ...base.groups,
          { id: 'extra', label: 'Thêm', criteria: [{ id: 'cs01', kind: 'check', label: 'Trùng', confidence: 'U' }] },
        ],
      },
    },
    {
      case: 'a boolean input compared with gte',
      problem: 'needs eq',
      set: {
        ...base,
        rules: { passMarkConfirmed: false },
        groups: [
          {
            id: 'g',
            label: 'Nhóm',
            criteria: [
              {
                id: 'd',
                kind: 'derived',
                input: 'memberHouseholdsNoDropout',
                comparator: 'gte',
                target: 1,
                label: 'Sai',
                confidence: 'U',
              },
            ],
          },
        ],
      },
    },
    {
      case: 'a share target above 1',
      problem: 'between 0 and 1',
      set: {
        ...base,
        rules: { passMarkConfirmed: false },
        groups: [
          {
            id: 'g',
            label: 'Nhóm',
            criteria: [
              {
                id: 'd',
                kind: 'derived',
                input: 'membersLearningCitizenShare',
                comparator: 'gte',
                target: 60,
                label: 'Sai',
                confidence: 'U',
              },
            ],
          },
        ],
      },
    },
  ])('$case', ({ set, problem }) => {
    const result = criteriaSetSchema.safeParse(set);
    expect(result.success ? [] : result.error.issues.map((i) => i.message)).toEqual([expect.stringContaining(problem)]);
  });
});
