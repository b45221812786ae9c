import { describe, expect, it } from 'vitest';
import { criteriaSetSchema, type CriteriaSet } from '../criteria/criteria-set';
import { LEARNING_CITIZEN_QD324 } from '../criteria/learning-citizen.qd324';
import { LEARNING_CLAN_DRAFT } from '../criteria/learning-clan.draft';
import { LEARNING_COMMUNITY_DRAFT } from '../criteria/learning-community.draft';
import { LEARNING_FAMILY_QD448 } from '../criteria/learning-family.qd448';
import { scoreAssessment, validateAnswers, type AnswerLike, type ScoringContext } from './score-assessment';

const ELSEWHERE: ScoringContext = { isDisadvantagedArea: false, derived: {} };
const DISADVANTAGED: ScoringContext = { isDisadvantagedArea: true, derived: {} };
const CDHT_IDS = ['cs01', 'cs02', 'cs03', 'cs04', 'cs05', 'cs06', 'cs07', 'cs08', 'cs09', 'cs10'];

/** CDHT answers: ten indicator scores in order. */
function cdht(points: readonly number[]): Record<string, AnswerLike> {
  return Object.fromEntries(CDHT_IDS.map((id, i) => [id, { points: points[i] ?? 0 }]));
}
/** Ten indicators adding up to `total`, none under 5 when total ≥ 50. */
function cdhtTotal(total: number): Record<string, AnswerLike> {
  const base = Math.floor(total / 10);
  return cdht(CDHT_IDS.map((_, i) => base + (i < total % 10 ? 1 : 0)));
}

const GDHT_POINTS_IDS = ['tc1.1', 'tc1.2', 'tc1.3', 'tc2.1', 'tc2.2', 'tc2.3', 'tc3.1', 'tc3.2', 'tc4.1', 'tc4.2'];
const GDHT_CHILDREN_IDS = ['tc1.1', 'tc1.2', 'tc1.3'];
function gdht(pointsEach: number, overrides: Record<string, AnswerLike> = {}): Record<string, AnswerLike> {
  return {
    ...Object.fromEntries(GDHT_POINTS_IDS.map((id) => [id, { points: pointsEach }])),
    'tc4.law': { value: 'pass' },
    ...overrides,
  };
}
const householdWith = (schoolAgeChildrenAllInSchool: boolean | null): ScoringContext => ({
  isDisadvantagedArea: false,
  derived: { schoolAgeChildrenAllInSchool },
});

describe('scoreAssessment: Công dân học tập (80 points, no indicator under 5, 70 in disadvantaged areas)', () => {
  it.each([
    {
      case: 'a total of 80 passes',
      answers: cdhtTotal(80),
      context: ELSEWHERE,
      passed: true,
      total: 80,
      threshold: 80,
    },
    {
      case: 'a total of 79 fails',
      answers: cdhtTotal(79),
      context: ELSEWHERE,
      passed: false,
      total: 79,
      threshold: 80,
    },
    {
      case: 'a total of 70 passes in a disadvantaged area',
      answers: cdhtTotal(70),
      context: DISADVANTAGED,
      passed: true,
      total: 70,
      threshold: 70,
    },
    {
      case: 'a total of 70 fails elsewhere',
      answers: cdhtTotal(70),
      context: ELSEWHERE,
      passed: false,
      total: 70,
      threshold: 80,
    },
    {
      case: 'a total of 69 fails in a disadvantaged area',
      answers: cdhtTotal(69),
      context: DISADVANTAGED,
      passed: false,
      total: 69,
      threshold: 70,
    },
    {
      case: 'an indicator at 5 still passes',
      answers: cdht([5, 10, 10, 10, 10, 10, 10, 10, 10, 10]),
      context: ELSEWHERE,
      passed: true,
      total: 95,
      threshold: 80,
    },
  ])('$case', ({ answers, context, passed, total, threshold }) => {
    const result = scoreAssessment(LEARNING_CITIZEN_QD324, answers, context);
    expect(result).toMatchObject({ passed, complete: true, totalPoints: total, maxPoints: 100, threshold });
    if (!passed)
      expect(result.failures).toEqual([
        { criterionId: null, reason: 'total_below_threshold', params: { total, threshold } },
      ]);
  });

  it('an indicator at 4 fails the title even when the total is 94', () => {
    const result = scoreAssessment(LEARNING_CITIZEN_QD324, cdht([10, 10, 4, 10, 10, 10, 10, 10, 10, 10]), ELSEWHERE);
    expect(result.passed).toBe(false);
    expect(result.totalPoints).toBe(94);
    expect(result.failures).toEqual([{ criterionId: 'cs03', reason: 'below_minimum', params: { points: 4, min: 5 } }]);
  });

  it('lists indicator failures in criteria order and the total last', () => {
    const result = scoreAssessment(LEARNING_CITIZEN_QD324, cdht([4, 9, 9, 9, 9, 9, 9, 9, 9, 3]), ELSEWHERE);
    expect(result.failures.map((f) => [f.criterionId, f.reason])).toEqual([
      ['cs01', 'below_minimum'],
      ['cs10', 'below_minimum'],
      [null, 'total_below_threshold'],
    ]);
  });

  it('an unanswered indicator makes the result incomplete and not passed, with no verdict on a partial total', () => {
    const { cs07: _left, ...answers } = cdht(CDHT_IDS.map(() => 10));
    const result = scoreAssessment(LEARNING_CITIZEN_QD324, answers, ELSEWHERE);
    expect(result).toMatchObject({ passed: false, complete: false, totalPoints: 90 });
    expect(result.failures).toEqual([{ criterionId: 'cs07', reason: 'not_answered', params: {} }]);
  });

  it('counts a stored answer over the maximum as not answered, so 11 points never pass', () => {
    const result = scoreAssessment(LEARNING_CITIZEN_QD324, { ...cdhtTotal(80), cs01: { points: 11 } }, ELSEWHERE);
    expect(result.complete).toBe(false);
    expect(result.failures[0]).toEqual({ criterionId: 'cs01', reason: 'not_answered', params: {} });
  });

  it('treats "na" on an indicator that does not allow it as not answered', () => {
    const result = scoreAssessment(LEARNING_CITIZEN_QD324, { ...cdhtTotal(90), cs02: { value: 'na' } }, ELSEWHERE);
    expect(result.failures).toEqual([{ criterionId: 'cs02', reason: 'not_answered', params: {} }]);
  });

  it('gives the same result for the same input (deterministic)', () => {
    const answers = cdht([7, 8, 9, 4, 10, 6, 5, 8, 9, 7]);
    expect(scoreAssessment(LEARNING_CITIZEN_QD324, answers, ELSEWHERE)).toEqual(
      scoreAssessment(LEARNING_CITIZEN_QD324, answers, ELSEWHERE),
    );
  });
});

describe('scoreAssessment: Gia đình học tập (100 points, provisional pass mark 80, disqualifier, derived schooling)', () => {
  it('a household with 10 on every item and children all in school passes', () => {
    expect(scoreAssessment(LEARNING_FAMILY_QD448, gdht(10), householdWith(true))).toMatchObject({
      passed: true,
      complete: true,
      totalPoints: 100,
      maxPoints: 100,
      threshold: 80,
      failures: [],
    });
  });

  it('a failed disqualifier refuses a household whose points are perfect', () => {
    const result = scoreAssessment(
      LEARNING_FAMILY_QD448,
      gdht(10, { 'tc4.law': { value: 'fail' } }),
      householdWith(true),
    );
    expect(result.passed).toBe(false);
    expect(result.failures).toEqual([{ criterionId: 'tc4.law', reason: 'disqualified', params: {} }]);
  });

  it('a household below the provisional pass mark fails', () => {
    const result = scoreAssessment(LEARNING_FAMILY_QD448, gdht(7), householdWith(true));
    expect(result.passed).toBe(false);
    expect(result.failures).toEqual([
      { criterionId: null, reason: 'total_below_threshold', params: { total: 70, threshold: 80 } },
    ]);
  });

  it('a household with a child who dropped out fails on the derived input', () => {
    const result = scoreAssessment(LEARNING_FAMILY_QD448, gdht(10), householdWith(false));
    expect(result.failures).toEqual([
      { criterionId: 'tc1.school', reason: 'derived_failed', params: { value: 'false', target: 'true' } },
    ]);
  });

  it('a household without school-age children passes on the adult items, the pass mark scaled to what applies', () => {
    const na = Object.fromEntries(GDHT_CHILDREN_IDS.map((id) => [id, { value: 'na' as const }]));
    const result = scoreAssessment(LEARNING_FAMILY_QD448, gdht(8, na), householdWith(null));
    expect(result).toMatchObject({ passed: true, complete: true, totalPoints: 56, maxPoints: 70, threshold: 56 });
  });

  it('a household whose schooling input is not known yet is incomplete', () => {
    const result = scoreAssessment(LEARNING_FAMILY_QD448, gdht(10), ELSEWHERE);
    expect(result).toMatchObject({ passed: false, complete: false });
    expect(result.failures).toEqual([{ criterionId: 'tc1.school', reason: 'not_answered', params: {} }]);
  });

  it('an unanswered disqualifier makes the result incomplete', () => {
    const { 'tc4.law': _left, ...answers } = gdht(10);
    expect(scoreAssessment(LEARNING_FAMILY_QD448, answers, householdWith(true)).failures).toEqual([
      { criterionId: 'tc4.law', reason: 'not_answered', params: {} },
    ]);
  });

  it('ignores the disadvantaged-area flag for a set without an area pass mark', () => {
    expect(
      scoreAssessment(LEARNING_FAMILY_QD448, gdht(8), { ...householdWith(true), isDisadvantagedArea: true }).threshold,
    ).toBe(80);
  });
});

describe('scoreAssessment: pass/fail sets and derived shares', () => {
  const clanChecks = {
    'tc1.board': { value: 'pass' },
    'tc1.fund': { value: 'pass' },
    'tc1.covenant': { value: 'pass' },
    'tc3.law': { value: 'pass' },
  } as const;
  const clanContext = (share: number | null, noDropout: boolean): ScoringContext => ({
    isDisadvantagedArea: false,
    derived: { memberHouseholdsLearningFamilyShare: share, memberHouseholdsNoDropout: noDropout },
  });

  it('a clan meeting every check and share passes, with no points reported', () => {
    expect(scoreAssessment(LEARNING_CLAN_DRAFT, clanChecks, clanContext(0.5, true))).toEqual({
      passed: true,
      complete: true,
      totalPoints: null,
      maxPoints: null,
      threshold: null,
      failures: [],
    });
  });

  it.each([
    {
      case: 'a share under the target fails with the share as a number',
      share: 0.4,
      noDropout: true,
      failure: { criterionId: 'tc2.families', reason: 'derived_failed', params: { value: 0.4, target: 0.5 } },
    },
    {
      case: 'a dropout in a member household fails',
      share: 0.9,
      noDropout: false,
      failure: { criterionId: 'tc2.no-dropout', reason: 'derived_failed', params: { value: 'false', target: 'true' } },
    },
    {
      case: 'a null share where not applicable is not allowed counts as not answered',
      share: null,
      noDropout: true,
      failure: { criterionId: 'tc2.families', reason: 'not_answered', params: {} },
    },
  ])('$case', ({ share, noDropout, failure }) => {
    expect(scoreAssessment(LEARNING_CLAN_DRAFT, clanChecks, clanContext(share, noDropout)).failures).toEqual([failure]);
  });

  it('a failed required check fails the clan with required_failed', () => {
    const result = scoreAssessment(
      LEARNING_CLAN_DRAFT,
      { ...clanChecks, 'tc1.fund': { value: 'fail' } },
      clanContext(1, true),
    );
    expect(result.failures).toEqual([{ criterionId: 'tc1.fund', reason: 'required_failed', params: {} }]);
  });

  it('a village without clans passes the clan share as not applicable', () => {
    const answers = {
      'tc1.board': { value: 'pass' },
      'tc1.fund': { value: 'pass' },
      'tc1.activities': { value: 'pass' },
      'tc1.culture': { value: 'pass' },
    } as const;
    const context = {
      isDisadvantagedArea: false,
      derived: { villageHouseholdsLearningFamilyShare: 0.7, villageClansLearningClanShare: null },
    };
    expect(scoreAssessment(LEARNING_COMMUNITY_DRAFT, answers, context).passed).toBe(true);
  });

  it('counts a derived value of the wrong type as not answered', () => {
    const context = {
      isDisadvantagedArea: false,
      derived: { memberHouseholdsLearningFamilyShare: true, memberHouseholdsNoDropout: true },
    };
    expect(scoreAssessment(LEARNING_CLAN_DRAFT, clanChecks, context).failures).toEqual([
      { criterionId: 'tc2.families', reason: 'not_answered', params: {} },
    ]);
  });
});

describe('scoreAssessment: optional checks', () => {
  const set: CriteriaSet = {
    ...LEARNING_CLAN_DRAFT,
    groups: [
      {
        id: 'g',
        label: 'Nhóm',
        criteria: [
          { id: 'must', kind: 'check', label: 'Bắt buộc', confidence: 'U' },
          { id: 'may', kind: 'check', label: 'Không bắt buộc', confidence: 'U', optional: true },
        ],
      },
    ],
  };

  it.each([
    { case: 'an unanswered optional check leaves the result complete', may: undefined },
    { case: 'a failed optional check does not block the title', may: { value: 'fail' } as const },
  ])('$case', ({ may }) => {
    const answers = { must: { value: 'pass' as const }, ...(may ? { may } : {}) };
    expect(scoreAssessment(set, answers, ELSEWHERE)).toMatchObject({ passed: true, complete: true, failures: [] });
  });
});

describe('scoreAssessment: a pass mark that does not divide exactly is rounded up, never down', () => {
  // 30 points in three items, the third may be "not applicable"; pass mark 20 (17 in a
  // disadvantaged area). With the third item out, 20 × 20 / 30 = 13.3 → 14 and 17 × 20 / 30 = 11.3
  // → 12: a household at 13 (or 11) has not reached two thirds of what applies and must fail.
  const set: CriteriaSet = criteriaSetSchema.parse({
    ...LEARNING_CITIZEN_QD324,
    groups: [
      {
        id: 'g',
        label: 'Nhóm',
        criteria: [
          { id: 'a', kind: 'points', maxPoints: 10, label: 'Mục A', confidence: 'U' },
          { id: 'b', kind: 'points', maxPoints: 10, label: 'Mục B', confidence: 'U' },
          { id: 'c', kind: 'points', maxPoints: 10, label: 'Mục C', confidence: 'U', allowNotApplicable: true },
        ],
      },
    ],
    rules: { passMark: 20, passMarkByArea: { disadvantaged: 17 }, passMarkConfirmed: false },
  });
  const answers = (a: number, b: number, c: number | 'na') => ({
    a: { points: a },
    b: { points: b },
    c: c === 'na' ? { value: 'na' as const } : { points: c },
  });

  it.each([
    {
      case: '14 of the 20 points that apply passes (20 × 20 / 30 = 13.3, rounded up to 14)',
      given: answers(7, 7, 'na'),
      context: ELSEWHERE,
      passed: true,
      total: 14,
      max: 20,
      threshold: 14,
    },
    {
      case: '13 of the 20 points that apply fails (13.3 rounded down would let it pass)',
      given: answers(7, 6, 'na'),
      context: ELSEWHERE,
      passed: false,
      total: 13,
      max: 20,
      threshold: 14,
    },
    {
      case: '12 of 20 passes in a disadvantaged area (17 × 20 / 30 = 11.3, rounded up to 12)',
      given: answers(6, 6, 'na'),
      context: DISADVANTAGED,
      passed: true,
      total: 12,
      max: 20,
      threshold: 12,
    },
    {
      case: '11 of 20 fails in a disadvantaged area (11.3 rounded down would let it pass)',
      given: answers(6, 5, 'na'),
      context: DISADVANTAGED,
      passed: false,
      total: 11,
      max: 20,
      threshold: 12,
    },
    {
      case: 'with every item applicable the pass mark is used as written (20 of 30 passes)',
      given: answers(7, 7, 6),
      context: ELSEWHERE,
      passed: true,
      total: 20,
      max: 30,
      threshold: 20,
    },
    {
      case: 'with every item applicable 19 of 30 fails',
      given: answers(7, 6, 6),
      context: ELSEWHERE,
      passed: false,
      total: 19,
      max: 30,
      threshold: 20,
    },
  ])('$case', ({ given, context, passed, total, max, threshold }) => {
    const result = scoreAssessment(set, given, context);
    expect(result).toMatchObject({ passed, complete: true, totalPoints: total, maxPoints: max, threshold });
    expect(result.failures).toEqual(
      passed ? [] : [{ criterionId: null, reason: 'total_below_threshold', params: { total, threshold } }],
    );
  });
});

describe('validateAnswers', () => {
  it.each([
    {
      case: 'refuses 11 points on a 10-point indicator',
      set: LEARNING_CITIZEN_QD324,
      answers: { cs01: { points: 11 } },
      issues: [{ criterionId: 'cs01', message: 'errors.points.range?min=0&max=10' }],
    },
    {
      case: 'refuses -1 points',
      set: LEARNING_CITIZEN_QD324,
      answers: { cs01: { points: -1 } },
      issues: [{ criterionId: 'cs01', message: 'errors.points.range?min=0&max=10' }],
    },
    {
      case: 'refuses fractional points',
      set: LEARNING_CITIZEN_QD324,
      answers: { cs01: { points: 7.5 } },
      issues: [{ criterionId: 'cs01', message: 'errors.points.invalid' }],
    },
    {
      case: 'accepts 0 and 10',
      set: LEARNING_CITIZEN_QD324,
      answers: { cs01: { points: 0 }, cs02: { points: 10 } },
      issues: [],
    },
    {
      case: 'refuses a pass/fail value on a points item',
      set: LEARNING_CITIZEN_QD324,
      answers: { cs01: { value: 'pass' } },
      issues: [{ criterionId: 'cs01', message: 'errors.answer.kind' }],
    },
    {
      case: 'refuses points on a check item',
      set: LEARNING_CLAN_DRAFT,
      answers: { 'tc1.board': { points: 5 } },
      issues: [{ criterionId: 'tc1.board', message: 'errors.answer.kind' }],
    },
    {
      case: 'refuses a typed value on a derived item',
      set: LEARNING_CLAN_DRAFT,
      answers: { 'tc2.families': { value: 'pass' } },
      issues: [{ criterionId: 'tc2.families', message: 'errors.answer.kind' }],
    },
    {
      case: 'refuses "na" where the item does not allow it',
      set: LEARNING_CITIZEN_QD324,
      answers: { cs01: { value: 'na' } },
      issues: [{ criterionId: 'cs01', message: 'errors.answer.notApplicable' }],
    },
    {
      case: 'accepts "na" where the item allows it',
      set: LEARNING_FAMILY_QD448,
      answers: { 'tc1.1': { value: 'na' } },
      issues: [],
    },
    {
      case: 'refuses "na" together with points',
      set: LEARNING_FAMILY_QD448,
      answers: { 'tc1.1': { value: 'na', points: 3 } },
      issues: [{ criterionId: 'tc1.1', message: 'errors.answer.kind' }],
    },
    {
      case: 'accepts an answer holding only a note (not answered yet)',
      set: LEARNING_CLAN_DRAFT,
      answers: { 'tc1.board': {} },
      issues: [],
    },
    {
      case: 'refuses unknown criterion ids, sorted, after the known ones',
      set: LEARNING_CITIZEN_QD324,
      answers: { zz: { points: 1 }, aa: { points: 1 }, cs01: { points: 12 } },
      issues: [
        { criterionId: 'cs01', message: 'errors.points.range?min=0&max=10' },
        { criterionId: 'aa', message: 'errors.answer.unknownCriterion' },
        { criterionId: 'zz', message: 'errors.answer.unknownCriterion' },
      ],
    },
  ] satisfies { case: string; set: CriteriaSet; answers: Record<string, AnswerLike>; issues: unknown[] }[])(
    '$case',
    ({ set, answers, issues }) => {
      expect(validateAnswers(set, answers)).toEqual(issues);
    },
  );
});
