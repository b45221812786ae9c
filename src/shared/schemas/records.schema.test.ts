import { describe, expect, it } from 'vitest';
import { buildAssessmentSchema } from './assessment.schema';
import { buildCitizenSchema } from './citizen.schema';
import { clanSchema } from './clan.schema';
import { householdSchema } from './household.schema';
import { unitSchema } from './unit.schema';
import { villageSchema } from './village.schema';

const ID = '0196f0c2-8a4b-7c3d-9e8f-0123456789ab';
const citizenSchema = buildCitizenSchema(2026);
const assessmentSchema = buildAssessmentSchema(2026);
const RESULT = { passed: true, complete: true, totalPoints: 80, maxPoints: 100, threshold: 80, failures: [] };

function messages(result: { success: boolean; error?: { issues: { message: string }[] } }): string[] {
  return result.error?.issues.map((i) => i.message) ?? [];
}

describe('village schema', () => {
  it('accepts a village and normalises its name', () => {
    expect(villageSchema.parse({ name: '  Thôn   Đông ', kind: 'thon' })).toEqual({
      name: 'Thôn Đông',
      kind: 'thon',
      isDisadvantagedArea: false,
    });
  });
  it.each([
    [{ name: '', kind: 'thon' }, 'errors.required'],
    [{ name: 'Ấp 3', kind: 'lang' }, 'errors.village.kind'],
    [{ name: 'x'.repeat(101), kind: 'thon' }, 'errors.text.tooLong?max=100'],
  ])('refuses %j with %s', (input, message) => {
    expect(messages(villageSchema.safeParse(input))).toContain(message);
  });
});

describe('household schema', () => {
  it('accepts a household and normalises the phone number', () => {
    expect(
      householdSchema.parse({ villageId: ID, headName: 'Nguyễn Văn An', phone: '0912.345.678', address: '' }),
    ).toEqual({
      villageId: ID,
      headName: 'Nguyễn Văn An',
      phone: '0912345678',
    });
  });
  it.each([
    [{ villageId: 'thon-dong', headName: 'An' }, 'errors.id.invalid'],
    [{ villageId: ID, headName: '  ' }, 'errors.required'],
    [{ villageId: ID, headName: 'An', phone: '12345' }, 'errors.phone.invalid'],
  ])('refuses %j with %s', (input, message) => {
    expect(messages(householdSchema.safeParse(input))).toContain(message);
  });
});

describe('citizen schema', () => {
  const valid = { householdId: ID, fullName: 'Trần Thị Bình', sex: 'nu', birthYear: 1983, relation: 'vo_chong' };
  it('accepts a citizen with defaults for what was not given', () => {
    expect(citizenSchema.parse(valid)).toMatchObject({ ...valid, isWorker: false, literacy: 'khong_ro' });
  });
  it('stores names in one Unicode form (NFC), whatever the keyboard sent', () => {
    expect(citizenSchema.parse({ ...valid, fullName: 'Trần Thị Bình'.normalize('NFD') }).fullName).toBe(
      'Trần Thị Bình'.normalize('NFC'),
    );
  });
  it.each([
    [{ ...valid, fullName: '' }, 'errors.required'],
    [{ ...valid, birthYear: 2027 }, 'errors.birthYear.future?max=2026'],
    [{ ...valid, birthYear: 1850 }, 'errors.birthYear.tooEarly?min=1900'],
    [{ ...valid, sex: 'x' }, 'errors.citizen.sex'],
    [{ ...valid, householdId: undefined }, 'errors.citizen.householdMissing'],
    [{ ...valid, householdId: 'ho-1' }, 'errors.id.invalid'],
  ])('refuses %j with %s', (input, message) => {
    expect(messages(citizenSchema.safeParse(input))).toContain(message);
  });
});

describe('clan schema', () => {
  it('accepts a clan with its villages', () => {
    expect(clanSchema.parse({ name: 'Họ Nguyễn Văn', villageIds: [ID] })).toMatchObject({
      memberHouseholdIds: [],
      hasStudyFund: false,
    });
  });
  it.each([
    [{ name: 'Họ Lê', villageIds: [] }, 'errors.clan.villages'],
    [{ name: 'Họ Lê', villageIds: [ID], studyFundAmount: -5 }, 'errors.amount.negative'],
  ])('refuses %j with %s', (input, message) => {
    expect(messages(clanSchema.safeParse(input))).toContain(message);
  });
});

describe('unit schema', () => {
  it('accepts a unit and reads typed numbers', () => {
    expect(
      unitSchema.parse({
        name: 'Trường THCS Dĩ An',
        kind: 'truong_hoc',
        memberCount: '45',
        membersWithLearningCitizen: '30',
      }),
    ).toMatchObject({ memberCount: 45 });
  });
  it.each([
    [{ name: 'UBND', kind: 'co_quan', memberCount: -1 }, 'errors.number.negative'],
    [{ name: 'UBND', kind: 'co_quan', memberCount: 2.5 }, 'errors.number.invalid'],
    [
      { name: 'UBND', kind: 'co_quan', memberCount: 3, membersWithLearningCitizen: 4 },
      'errors.unit.moreHoldersThanMembers',
    ],
  ])('refuses %j with %s', (input, message) => {
    expect(messages(unitSchema.safeParse(input))).toContain(message);
  });
});

describe('assessment schema', () => {
  const valid = {
    subjectType: 'citizen',
    subjectId: ID,
    title: 'learning_citizen',
    year: 2026,
    criteriaSetId: 'learning-citizen.qd324',
    criteriaSetVersion: 1,
    result: RESULT,
  };
  it('accepts an assessment with answers', () => {
    expect(assessmentSchema.parse({ ...valid, answers: { cs01: { points: 8 } } })).toMatchObject({
      status: 'draft',
      answers: { cs01: { points: 8, evidenceIds: [] } },
    });
  });
  it.each([
    [{ ...valid, answers: { cs01: { points: -1 } } }, 'errors.points.negative'],
    [{ ...valid, answers: { cs01: { points: 7.5 } } }, 'errors.points.invalid'],
    [{ ...valid, subjectType: 'household' }, 'errors.assessment.subjectMismatch'],
    [{ ...valid, year: 2028 }, 'errors.assessmentYear.tooLate?max=2027'],
    [{ ...valid, registeredOn: '15/01/2026' }, 'errors.date.invalid'],
  ])('refuses %j with %s', (input, message) => {
    expect(messages(assessmentSchema.safeParse(input))).toContain(message);
  });
});

describe('schemas built per year', () => {
  it('are built once per year and shared, and each year refuses births after itself', () => {
    expect(buildCitizenSchema(2026)).toBe(citizenSchema);
    expect(buildAssessmentSchema(2026)).toBe(assessmentSchema);
    const born2027 = { fullName: 'Lê Văn Tí', sex: 'nam', birthYear: 2027, relation: 'con', householdId: ID };
    expect(buildCitizenSchema(2027).safeParse(born2027).success).toBe(true);
    expect(citizenSchema.safeParse(born2027).success).toBe(false);
  });
});
