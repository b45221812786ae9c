import { describe, expect, it } from 'vitest';
import { listCriteria, type CriteriaSet } from '../../src/domain/criteria/criteria-set';
import { findCriteriaSet } from '../../src/domain/criteria/registry';
import { scoreAssessment, type ScoringContext } from '../../src/domain/scoring/score-assessment';
import { runAdminCommand } from '../../src/server/admin/commands';
import type { AnswerInput, Title } from '../../src/shared/schemas/assessment.schema';
import {
  citizenData,
  enrollDevice,
  householdData,
  newId,
  opBuilder,
  pullAll,
  pushOk,
  useSyncServer,
  villageData,
} from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

const YEAR = new Date().getUTCFullYear();
let communeCounter = 0;
const freshCommune = () => String(34000 + (communeCounter += 1));

function criteriaSet(id: string): CriteriaSet {
  const set = findCriteriaSet(id, 1);
  if (!set) throw new Error(`no criteria set ${id}`);
  return set;
}

/** Every points item at `points`, every check passed: the answers an officer typed. */
function answerAll(set: CriteriaSet, points: number): Record<string, AnswerInput> {
  const answers: Record<string, AnswerInput> = {};
  for (const c of listCriteria(set)) {
    if (c.kind === 'points') answers[c.id] = { points: Math.min(points, c.maxPoints), evidenceIds: [] };
    else if (c.kind !== 'derived') answers[c.id] = { value: 'pass', evidenceIds: [] };
  }
  return answers;
}

/** An assessment as the device stores it, its result scored on the device with `context`. */
function assessmentData(
  set: CriteriaSet,
  subjectType: string,
  subjectId: string,
  answers: Record<string, AnswerInput>,
  context: ScoringContext,
) {
  return {
    subjectType,
    subjectId,
    title: set.title satisfies Title,
    year: YEAR,
    criteriaSetId: set.id,
    criteriaSetVersion: set.version,
    answers,
    result: scoreAssessment(set, answers, context),
    status: 'draft',
  };
}

describe.each(STORE_CASES)('assessments pushed on $kind', (storeCase) => {
  const server = useSyncServer(storeCase);

  /** A village (vùng khó khăn or not), a household in it and its head. */
  async function register(isDisadvantagedArea: boolean) {
    const communeCode = freshCommune();
    const device = await enrollDevice(server.baseUrl, server.store, { communeCode });
    const ops = opBuilder(communeCode);
    const [villageId, householdId, citizenId, childId] = [newId(), newId(), newId(), newId()];
    await pushOk(server.baseUrl, device, [
      ops.upsert('village', villageId, villageData({ isDisadvantagedArea })),
      ops.upsert('household', householdId, householdData(villageId)),
      ops.upsert('citizen', citizenId, citizenData(householdId)),
      ops.upsert(
        'citizen',
        childId,
        citizenData(householdId, {
          fullName: 'Nguyễn Minh Châu',
          birthYear: YEAR - 12,
          relation: 'con',
          isWorker: false,
          schooling: 'dang_di_hoc',
          cdhtGroup: 'hoc_sinh',
        }),
      ),
    ]);
    return { communeCode, device, ops, householdId, citizenId };
  }
  /** What the admin CLI's `devices --json` reports for the office: assessments whose device claim differs. */
  const countedMismatches = async () => {
    const listed = await runAdminCommand(server.store, 'devices', {}, { now: () => new Date() });
    if (!('scoreMismatches' in listed) || typeof listed.scoreMismatches !== 'number')
      throw new Error('no scoreMismatches in the devices output');
    return listed.scoreMismatches;
  };
  const mismatchOf = async (communeCode: string, id: string) =>
    (
      await server.store.query<{ score_mismatch: unknown }>(
        'SELECT score_mismatch FROM records WHERE commune_code = $1 AND id = $2',
        [communeCode, id],
      )
    )[0]?.score_mismatch;

  it("an assessment whose device result disagrees with the server's score is stored and pulled with the server's result, the device's claim kept aside and counted for the office", async () => {
    const { communeCode, device, ops, citizenId } = await register(true);
    const mismatchesBefore = await countedMismatches();
    const set = criteriaSet('learning-citizen.qd324');
    // 70 points: enough in a disadvantaged village (pass mark 70), not elsewhere (80). The device
    // scored it as if the village were not disadvantaged.
    const data = assessmentData(set, 'citizen', citizenId, answerAll(set, 7), {
      isDisadvantagedArea: false,
      derived: {},
    });
    expect(data.result.passed).toBe(false);
    const assessmentId = newId();
    const answer = await pushOk(server.baseUrl, device, [ops.upsert('assessment', assessmentId, data)]);
    expect(answer.results[0]).toMatchObject({ status: 'applied', version: 1 });

    const serverResult = scoreAssessment(set, data.answers, { isDisadvantagedArea: true, derived: {} });
    expect(serverResult).toMatchObject({ passed: true, totalPoints: 70, threshold: 70 });
    expect(await mismatchOf(communeCode, assessmentId)).toEqual({ server: serverResult, device: data.result });
    // Another phone of the commune gets the official result only; the claim never travels.
    const other = await enrollDevice(server.baseUrl, server.store, { communeCode });
    for (const phone of [device, other]) {
      const pulled = (await pullAll(server.baseUrl, phone.token)).changes.find((c) => c.id === assessmentId);
      expect(pulled?.data).toEqual({ ...data, result: serverResult });
      expect(JSON.stringify(pulled)).not.toContain('"threshold":80');
    }
    expect(await countedMismatches()).toBe(mismatchesBefore + 1);
    // A delete drops the claim with the data: nothing left to count.
    await pushOk(server.baseUrl, device, [ops.remove('assessment', assessmentId, 1)]);
    expect(await mismatchOf(communeCode, assessmentId)).toBeNull();
    expect(await countedMismatches()).toBe(mismatchesBefore);
  });

  it("an assessment that agrees with the server's score, derived inputs included, is not flagged", async () => {
    const { communeCode, device, ops, householdId, citizenId } = await register(false);
    const family = criteriaSet('learning-family.qd448');
    const familyData = assessmentData(family, 'household', householdId, answerAll(family, 100), {
      isDisadvantagedArea: false,
      derived: { schoolAgeChildrenAllInSchool: true },
    });
    const citizen = criteriaSet('learning-citizen.qd324');
    const citizenAssessment = assessmentData(citizen, 'citizen', citizenId, answerAll(citizen, 9), {
      isDisadvantagedArea: false,
      derived: {},
    });
    const [familyId, citizenAssessmentId] = [newId(), newId()];
    const answer = await pushOk(server.baseUrl, device, [
      ops.upsert('assessment', familyId, familyData),
      ops.upsert('assessment', citizenAssessmentId, citizenAssessment),
    ]);
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(familyData.result.passed).toBe(true);
    expect(await mismatchOf(communeCode, familyId)).toBeNull();
    expect(await mismatchOf(communeCode, citizenAssessmentId)).toBeNull();
  });

  it('answers the criteria set refuses are rejected with validation_failed and the criterion path', async () => {
    const { communeCode, device, ops, citizenId } = await register(false);
    const set = criteriaSet('learning-citizen.qd324');
    const answers = {
      ...answerAll(set, 8),
      cs01: { points: 11, evidenceIds: [] },
      nonsense: { value: 'pass' as const, evidenceIds: [] },
    };
    const data = {
      ...assessmentData(set, 'citizen', citizenId, answerAll(set, 8), { isDisadvantagedArea: false, derived: {} }),
      answers,
    };
    const unknownSet = { ...data, answers: answerAll(set, 8), criteriaSetVersion: 99 };
    const answer = await pushOk(server.baseUrl, device, [
      ops.upsert('assessment', newId(), data),
      ops.upsert('assessment', newId(), unknownSet),
    ]);
    expect(answer.results[0]).toMatchObject({
      status: 'rejected',
      error: {
        code: 'validation_failed',
        details: [
          { path: 'data.answers.cs01', message: 'errors.points.range?min=0&max=10' },
          { path: 'data.answers.nonsense', message: 'errors.answer.unknownCriterion' },
        ],
      },
    });
    expect(answer.results[1]).toMatchObject({
      status: 'rejected',
      error: { code: 'validation_failed', details: [{ path: 'data.criteriaSetId' }] },
    });
    const rows = await server.store.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM records WHERE commune_code = $1 AND entity = 'assessment'",
      [communeCode],
    );
    expect(rows[0]?.n).toBe(0);
  });

  it("an assessment belongs to its subject's village, so a device of another village neither reads nor writes it", async () => {
    const { communeCode, device, ops, citizenId } = await register(false);
    const set = criteriaSet('learning-citizen.qd324');
    const assessmentId = newId();
    await pushOk(server.baseUrl, device, [
      ops.upsert(
        'assessment',
        assessmentId,
        assessmentData(set, 'citizen', citizenId, answerAll(set, 9), { isDisadvantagedArea: false, derived: {} }),
      ),
    ]);
    const elsewhere = await enrollDevice(server.baseUrl, server.store, { communeCode, villageIds: [newId()] });
    expect((await pullAll(server.baseUrl, elsewhere.token)).changes).toEqual([]);
    const edit = await pushOk(server.baseUrl, elsewhere, [
      opBuilder(communeCode).upsert(
        'assessment',
        newId(),
        assessmentData(set, 'citizen', citizenId, answerAll(set, 5), { isDisadvantagedArea: false, derived: {} }),
      ),
    ]);
    expect(edit.results[0]).toMatchObject({ status: 'rejected', error: { code: 'forbidden_scope' } });
  });
});
