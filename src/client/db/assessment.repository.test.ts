import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildHouseholdForm, buildWriteContext } from '../../../tests/factories/records';
import { currentCriteriaSet } from '../../domain/criteria/registry';
import type { CriteriaSet } from '../../domain/criteria/criteria-set';
import type { AnswerInput } from '../../shared/schemas/assessment.schema';
import { findAssessment, readResultsFor } from './assessment.queries';
import { saveAssessment } from './assessment.repository';
import { openDatabase, type AppDatabase } from './db';
import { deleteHousehold, saveHouseholdWithMembers } from './household.repository';
import { listMembers } from './citizen.repository';
import { saveVillage } from './village.repository';
import { RecordValidationError } from './write-context';

const ctx = buildWriteContext();
const INDICATORS = ['cs01', 'cs02', 'cs03', 'cs04', 'cs05', 'cs06', 'cs07', 'cs08', 'cs09', 'cs10'];
let db: AppDatabase;
let citizenSet: CriteriaSet;
let familySet: CriteriaSet;

function cdhtAnswers(points: number[]): Record<string, AnswerInput> {
  return Object.fromEntries(INDICATORS.map((id, i) => [id, { points: points[i] }]));
}

async function makeHousehold(isDisadvantagedArea = false, form = buildHouseholdForm) {
  const village = await saveVillage(db, ctx, { name: 'Bản Mường', kind: 'ban', isDisadvantagedArea });
  const household = await saveHouseholdWithMembers(db, ctx, form(village.id));
  const members = await listMembers(db, household.id);
  return { household, head: members[0]! };
}

beforeEach(async () => {
  db = await openDatabase(`assessments-${Math.random()}`);
  citizenSet = currentCriteriaSet('learning_citizen', 2026)!;
  familySet = currentCriteriaSet('learning_family', 2026)!;
});
afterEach(async () => {
  db.close();
  await db.delete();
});

async function expectRefused(promise: Promise<unknown>, message: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RecordValidationError);
  expect((error as RecordValidationError).issues.map((i) => i.message)).toContain(message);
}

describe('saving a Công dân học tập assessment', () => {
  it('stores 80 points with no indicator below 5 as passed, with its outbox op', async () => {
    const { head } = await makeHousehold();
    const row = await saveAssessment(
      db,
      ctx,
      {
        title: 'learning_citizen',
        subjectId: head.id,
        year: 2026,
        answers: cdhtAnswers([8, 8, 8, 8, 8, 8, 8, 8, 8, 8]),
      },
      citizenSet,
    );
    expect(row.data.result).toMatchObject({ passed: true, complete: true, totalPoints: 80, threshold: 80 });
    expect(row.data).toMatchObject({ subjectType: 'citizen', criteriaSetId: citizenSet.id, status: 'draft' });
    expect(await db.outbox.where('recordId').equals(row.id).count()).toBe(1);
  });

  it('stores 79 points as not passed, with the total as the reason', async () => {
    const { head } = await makeHousehold();
    const row = await saveAssessment(
      db,
      ctx,
      {
        title: 'learning_citizen',
        subjectId: head.id,
        year: 2026,
        answers: cdhtAnswers([8, 8, 8, 8, 8, 8, 8, 8, 8, 7]),
      },
      citizenSet,
    );
    expect(row.data.result.passed).toBe(false);
    expect(row.data.result.failures).toEqual([
      { criterionId: null, reason: 'total_below_threshold', params: { total: 79, threshold: 80 } },
    ]);
  });

  it('passes 70 points for a citizen whose village is in a disadvantaged area', async () => {
    const { head } = await makeHousehold(true);
    const row = await saveAssessment(
      db,
      ctx,
      {
        title: 'learning_citizen',
        subjectId: head.id,
        year: 2026,
        answers: cdhtAnswers([7, 7, 7, 7, 7, 7, 7, 7, 7, 7]),
      },
      citizenSet,
    );
    expect(row.data.result).toMatchObject({ passed: true, threshold: 70 });
  });

  it.each([
    [11, 'errors.points.range?min=0&max=10'],
    [-1, 'errors.points.negative'],
    [7.5, 'errors.points.invalid'],
  ])('refuses %d points for an indicator and stores nothing', async (points, message) => {
    const { head } = await makeHousehold();
    await db.outbox.clear();
    const answers = cdhtAnswers([8, 8, 8, 8, 8, 8, 8, 8, 8, points]);
    await expectRefused(
      saveAssessment(db, ctx, { title: 'learning_citizen', subjectId: head.id, year: 2026, answers }, citizenSet),
      message,
    );
    expect(await db.assessments.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('keeps one assessment per citizen and year: saving again updates it', async () => {
    const { head } = await makeHousehold();
    const input = { title: 'learning_citizen' as const, subjectId: head.id, year: 2026 };
    const first = await saveAssessment(
      db,
      ctx,
      { ...input, answers: cdhtAnswers([5, 5, 5, 5, 5, 5, 5, 5, 5, 5]) },
      citizenSet,
    );
    const second = await saveAssessment(
      db,
      ctx,
      { ...input, answers: cdhtAnswers([9, 9, 9, 9, 9, 9, 9, 9, 9, 9]) },
      citizenSet,
    );
    expect(second.id).toBe(first.id);
    expect(await db.assessments.count()).toBe(1);
    expect((await findAssessment(db, head.id, 'learning_citizen', 2026))?.data.result.totalPoints).toBe(90);
  });
});

describe('saving a Gia đình học tập assessment', () => {
  it('computes "every school-age child is in school" from the register, not from what was typed', async () => {
    const dropout = (villageId: string) => {
      const form = buildHouseholdForm(villageId);
      const child = form.members[2]!;
      return { ...form, members: [form.members[0]!, form.members[1]!, { ...child, schooling: 'bo_hoc' }] };
    };
    const { household } = await makeHousehold(false, dropout);
    const answers: Record<string, AnswerInput> = { 'tc1.school': { value: 'pass' } };
    await expectRefused(
      saveAssessment(db, ctx, { title: 'learning_family', subjectId: household.id, year: 2026, answers }, familySet),
      'errors.answer.kind',
    );

    const row = await saveAssessment(
      db,
      ctx,
      { title: 'learning_family', subjectId: household.id, year: 2026, answers: {} },
      familySet,
    );
    expect(row.data.result.failures).toContainEqual(
      expect.objectContaining({ criterionId: 'tc1.school', reason: 'derived_failed' }),
    );
  });

  it('refuses to assess a deleted household', async () => {
    const { household } = await makeHousehold();
    await deleteHousehold(db, ctx, household.id);
    await expectRefused(
      saveAssessment(
        db,
        ctx,
        { title: 'learning_family', subjectId: household.id, year: 2026, answers: {} },
        familySet,
      ),
      'errors.assessment.subjectMissing',
    );
  });
});

describe("reading a list's results", () => {
  it('gives the result of each named subject for that title and year only, and nothing for the unassessed', async () => {
    const first = await makeHousehold();
    const second = await makeHousehold();
    await saveAssessment(
      db,
      ctx,
      {
        title: 'learning_citizen',
        subjectId: first.head.id,
        year: 2026,
        answers: cdhtAnswers([8, 8, 8, 8, 8, 8, 8, 8, 8, 8]),
      },
      citizenSet,
    );
    await saveAssessment(
      db,
      ctx,
      {
        title: 'learning_citizen',
        subjectId: second.head.id,
        year: 2026,
        answers: cdhtAnswers([7, 7, 7, 7, 7, 7, 7, 7, 7, 7]),
      },
      citizenSet,
    );
    await saveAssessment(
      db,
      ctx,
      {
        title: 'learning_citizen',
        subjectId: second.head.id,
        year: 2025,
        answers: cdhtAnswers([8, 8, 8, 8, 8, 8, 8, 8, 8, 8]),
      },
      citizenSet,
    );
    const third = await makeHousehold();

    const results = await readResultsFor(db, 'learning_citizen', 2026, [first.head.id, second.head.id, third.head.id]);
    expect(results).toEqual(
      new Map([
        [first.head.id, true],
        [second.head.id, false],
      ]),
    );
    expect(await readResultsFor(db, 'learning_family', 2026, [first.household.id])).toEqual(new Map());
    expect(await readResultsFor(db, 'learning_citizen', 2026, [])).toEqual(new Map());
  });
});
