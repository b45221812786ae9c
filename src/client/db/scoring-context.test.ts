import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildHouseholdForm, buildMember, buildWriteContext } from '../../../tests/factories/records';
import { currentCriteriaSet } from '../../domain/criteria/registry';
import type { AnswerInput } from '../../shared/schemas/assessment.schema';
import { saveAssessment } from './assessment.repository';
import { saveClan } from './clan.repository';
import { saveUnit } from './unit.repository';
import { openDatabase, type AppDatabase } from './db';
import { saveHouseholdWithMembers } from './household.repository';
import { readScoringContext } from './scoring-context';
import { saveVillage } from './village.repository';
import { RecordValidationError } from './write-context';

const ctx = buildWriteContext();
let db: AppDatabase;
let villageId: string;

beforeEach(async () => {
  db = await openDatabase(`scoring-context-${Math.random()}`);
  villageId = (await saveVillage(db, ctx, { name: 'Thôn Đoài', kind: 'thon' })).id;
});
afterEach(async () => {
  db.close();
  await db.delete();
});

/** A household whose Gia đình học tập result for 2026 is saved as passed or failed. */
async function householdWithFamilyResult(passed: boolean, dropout = false) {
  const form = buildHouseholdForm(villageId);
  if (dropout)
    form.members[2] = buildMember({
      fullName: 'Nguyễn Văn Tí',
      relation: 'con',
      birthYear: 2012,
      isWorker: false,
      schooling: 'bo_hoc',
    });
  const household = await saveHouseholdWithMembers(db, ctx, form);
  const set = currentCriteriaSet('learning_family', 2026)!;
  const points = passed ? 10 : 5;
  const answers = Object.fromEntries(
    set.groups
      .flatMap((g) => g.criteria)
      .flatMap((c): [string, AnswerInput][] =>
        c.kind === 'points'
          ? [[c.id, { points }]]
          : c.kind === 'check' || c.kind === 'disqualifier'
            ? [[c.id, { value: 'pass' as const }]]
            : [],
      ),
  );
  await saveAssessment(db, ctx, { title: 'learning_family', subjectId: household.id, year: 2026, answers }, set);
  return household.id;
}

describe('inputs computed from the register', () => {
  it('give a clan the share of its member households holding Gia đình học tập this year', async () => {
    const ids = [
      await householdWithFamilyResult(true),
      await householdWithFamilyResult(true),
      await householdWithFamilyResult(false),
      await householdWithFamilyResult(true),
    ];
    const clan = await saveClan(db, ctx, { name: 'Họ Nguyễn Văn', villageIds: [villageId], memberHouseholdIds: ids });
    const context = await readScoringContext(db, 'learning_clan', clan.id, 2026);
    expect(context.derived).toEqual({ memberHouseholdsLearningFamilyShare: 0.75, memberHouseholdsNoDropout: true });
  });

  it('mark a clan with a member household whose child dropped out', async () => {
    const clan = await saveClan(db, ctx, {
      name: 'Họ Lê',
      villageIds: [villageId],
      memberHouseholdIds: [await householdWithFamilyResult(false, true)],
    });
    expect((await readScoringContext(db, 'learning_clan', clan.id, 2026)).derived.memberHouseholdsNoDropout).toBe(
      false,
    );
  });

  it("give a village its households' Gia đình học tập share, and no clan share when it has no clans", async () => {
    await householdWithFamilyResult(true);
    await householdWithFamilyResult(false);
    const context = await readScoringContext(db, 'learning_community', villageId, 2026);
    expect(context.derived).toEqual({ villageHouseholdsLearningFamilyShare: 0.5, villageClansLearningClanShare: null });
  });

  it('give a unit the share of its members holding Công dân học tập', async () => {
    const unit = await saveUnit(db, ctx, {
      name: 'Trường Tiểu học Kim Đồng',
      kind: 'truong_hoc',
      memberCount: 40,
      membersWithLearningCitizen: 30,
    });
    expect((await readScoringContext(db, 'learning_unit', unit.id, 2026)).derived).toEqual({
      membersLearningCitizenShare: 0.75,
    });
  });
});

describe('clans and units', () => {
  it('refuse a clan whose member household does not exist, storing nothing', async () => {
    const error = await saveClan(db, ctx, {
      name: 'Họ Trần',
      villageIds: [villageId],
      memberHouseholdIds: [ctx.newId()],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordValidationError);
    expect(await db.clans.count()).toBe(0);
  });

  it('refuse a unit reporting more learning citizens than members', async () => {
    const error = await saveUnit(db, ctx, {
      name: 'HTX Nông nghiệp',
      kind: 'hop_tac_xa',
      memberCount: 5,
      membersWithLearningCitizen: 6,
    }).catch((e: unknown) => e);
    expect((error as RecordValidationError).issues.map((i) => i.message)).toEqual([
      'errors.unit.moreHoldersThanMembers',
    ]);
    expect(await db.units.count()).toBe(0);
  });
});
