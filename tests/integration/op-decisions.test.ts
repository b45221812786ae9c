import { describe, expect, it } from 'vitest';
import { listCriteria, type CriteriaSet } from '../../src/domain/criteria/criteria-set';
import { findCriteriaSet } from '../../src/domain/criteria/registry';
import { scoreAssessment } from '../../src/domain/scoring/score-assessment';
import type { PushOp, PushResult } from '../../src/shared/protocol/sync.schema';
import type { AnswerInput } from '../../src/shared/schemas/assessment.schema';
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
  type EnrolledDevice,
} from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

/**
 * The rules of an op's decision (apply-op.ts, record-village.ts, scope.ts, pull.ts) as one table:
 * each row is a sentence, a few pushes, the last op's expected result, and what each kind of
 * device then holds after pulling everything. A commune `C` has villages V1 and V2, a commune-wide
 * device `commune`, and one device for each village (`v1`, `v2`).
 */

type Who = 'commune' | 'v1' | 'v2';
/** What a device's pull says about a record: it has it, it was told to remove it, or never heard of it. */
type Seen = 'has' | 'withdrawn' | 'absent';

interface World {
  readonly v1Id: string;
  readonly v2Id: string;
  /** Pushes the ops as that device (its own seqs) and returns the results. */
  push(who: Who, build: (ops: Ops) => PushOp[]): Promise<PushResult[]>;
}
type Ops = ReturnType<typeof opBuilder>;

interface Row {
  readonly rule: string;
  /** Runs the row's pushes; returns the last op's result and the records to look for in pulls. */
  readonly act: (w: World) => Promise<{ result: PushResult; watch: Record<string, string> }>;
  readonly result: { status: PushResult['status']; code?: string };
  /** For each watched record: what each device holds after pulling. */
  readonly seen: Record<string, Record<Who, Seen>>;
}

const YEAR = new Date().getUTCFullYear();
const last = (results: readonly PushResult[]): PushResult => {
  const result = results[results.length - 1];
  if (!result) throw new Error('no result');
  return result;
};
const everyone = (seen: Seen): Record<Who, Seen> => ({ commune: seen, v1: seen, v2: seen });

function citizenAssessment(citizenId: string) {
  const set: CriteriaSet | undefined = findCriteriaSet('learning-citizen.qd324', 1);
  if (!set) throw new Error('no criteria set');
  const answers: Record<string, AnswerInput> = {};
  for (const c of listCriteria(set)) {
    if (c.kind === 'points') answers[c.id] = { points: Math.min(5, c.maxPoints), evidenceIds: [] };
    else if (c.kind !== 'derived') answers[c.id] = { value: 'pass', evidenceIds: [] };
  }
  const result = scoreAssessment(set, answers, { isDisadvantagedArea: false, derived: {} });
  return {
    subjectType: 'citizen',
    subjectId: citizenId,
    title: set.title,
    year: YEAR,
    criteriaSetId: set.id,
    criteriaSetVersion: set.version,
    answers,
    result,
    status: 'draft',
  };
}

const ROWS: readonly Row[] = [
  {
    rule: 'a village device creates a household in its own village: applied, and only the commune device and that village get it',
    async act(w) {
      const h = newId();
      return {
        result: last(await w.push('v1', (o) => [o.upsert('household', h, householdData(w.v1Id))])),
        watch: { h },
      };
    },
    result: { status: 'applied' },
    seen: { h: { commune: 'has', v1: 'has', v2: 'absent' } },
  },
  {
    rule: 'a village device cannot create a household in another village',
    async act(w) {
      const h = newId();
      return {
        result: last(await w.push('v1', (o) => [o.upsert('household', h, householdData(w.v2Id))])),
        watch: { h },
      };
    },
    result: { status: 'rejected', code: 'forbidden_scope' },
    seen: { h: everyone('absent') },
  },
  {
    rule: 'a commune-wide device writes in any village, and only that village gets it',
    async act(w) {
      const h = newId();
      return {
        result: last(await w.push('commune', (o) => [o.upsert('household', h, householdData(w.v2Id))])),
        watch: { h },
      };
    },
    result: { status: 'applied' },
    seen: { h: { commune: 'has', v1: 'absent', v2: 'has' } },
  },
  {
    rule: "a village device's stale edit of another village's household is refused as out of scope, never answered with the record",
    async act(w) {
      const h = newId();
      await w.push('commune', (o) => [o.upsert('household', h, householdData(w.v2Id))]);
      await w.push('commune', (o) => [o.upsert('household', h, householdData(w.v2Id, { address: 'Xóm 9' }), 1)]);
      return {
        result: last(await w.push('v1', (o) => [o.upsert('household', h, householdData(w.v1Id), 1)])),
        watch: { h },
      };
    },
    result: { status: 'rejected', code: 'forbidden_scope' },
    seen: { h: { commune: 'has', v1: 'absent', v2: 'has' } },
  },
  {
    rule: 'a village device cannot move a household of its village to another village',
    async act(w) {
      const h = newId();
      await w.push('v1', (o) => [o.upsert('household', h, householdData(w.v1Id))]);
      return {
        result: last(await w.push('v1', (o) => [o.upsert('household', h, householdData(w.v2Id), 1)])),
        watch: { h },
      };
    },
    result: { status: 'rejected', code: 'forbidden_scope' },
    seen: { h: { commune: 'has', v1: 'has', v2: 'absent' } },
  },
  {
    rule: "a village device cannot pull another village's household into its own",
    async act(w) {
      const h = newId();
      await w.push('commune', (o) => [o.upsert('household', h, householdData(w.v2Id))]);
      return {
        result: last(await w.push('v1', (o) => [o.upsert('household', h, householdData(w.v1Id), 1)])),
        watch: { h },
      };
    },
    result: { status: 'rejected', code: 'forbidden_scope' },
    seen: { h: { commune: 'has', v1: 'absent', v2: 'has' } },
  },
  {
    rule: 'a household the commune device moves out of a village is withdrawn from that village with its citizen, which follows it to the new village',
    async act(w) {
      const [h, c] = [newId(), newId()];
      await w.push('v1', (o) => [
        o.upsert('household', h, householdData(w.v1Id)),
        o.upsert('citizen', c, citizenData(h)),
      ]);
      return {
        result: last(await w.push('commune', (o) => [o.upsert('household', h, householdData(w.v2Id), 1)])),
        watch: { h, c },
      };
    },
    result: { status: 'applied' },
    seen: { h: { commune: 'has', v1: 'withdrawn', v2: 'has' }, c: { commune: 'has', v1: 'withdrawn', v2: 'has' } },
  },
  {
    rule: 'a household moved into a village reaches its devices with its citizen and its citizen’s assessment',
    async act(w) {
      const [h, c, a] = [newId(), newId(), newId()];
      await w.push('commune', (o) => [
        o.upsert('household', h, householdData(w.v2Id)),
        o.upsert('citizen', c, citizenData(h)),
        o.upsert('assessment', a, citizenAssessment(c)),
      ]);
      return {
        result: last(await w.push('commune', (o) => [o.upsert('household', h, householdData(w.v1Id), 1)])),
        watch: { h, c, a },
      };
    },
    result: { status: 'applied' },
    seen: {
      h: { commune: 'has', v1: 'has', v2: 'withdrawn' },
      c: { commune: 'has', v1: 'has', v2: 'withdrawn' },
      a: { commune: 'has', v1: 'has', v2: 'withdrawn' },
    },
  },
  {
    rule: 'a citizen moved by the commune device to a household of another village leaves the old village',
    async act(w) {
      const [h1, h2, c] = [newId(), newId(), newId()];
      await w.push('commune', (o) => [
        o.upsert('household', h1, householdData(w.v1Id)),
        o.upsert('household', h2, householdData(w.v2Id)),
        o.upsert('citizen', c, citizenData(h1)),
      ]);
      return {
        result: last(await w.push('commune', (o) => [o.upsert('citizen', c, citizenData(h2), 1)])),
        watch: { c },
      };
    },
    result: { status: 'applied' },
    seen: { c: { commune: 'has', v1: 'withdrawn', v2: 'has' } },
  },
  {
    rule: 'a citizen a commune device sends before its household is stored but reaches no village device',
    async act(w) {
      const c = newId();
      return {
        result: last(
          await w.push('commune', (o) => [
            o.upsert(
              'citizen',
              c,
              citizenData(newId(), { fullName: 'Trần Thị Bé', birthYear: YEAR - 6, relation: 'con', isWorker: false }),
            ),
          ]),
        ),
        watch: { c },
      };
    },
    result: { status: 'applied' },
    seen: { c: { commune: 'has', v1: 'absent', v2: 'absent' } },
  },
  {
    rule: 'an assessment of a citizen whose household is unknown reaches no village device either',
    async act(w) {
      const [c, a] = [newId(), newId()];
      return {
        result: last(
          await w.push('commune', (o) => [
            o.upsert('citizen', c, citizenData(newId())),
            o.upsert('assessment', a, citizenAssessment(c)),
          ]),
        ),
        watch: { c, a },
      };
    },
    result: { status: 'applied' },
    seen: { c: { commune: 'has', v1: 'absent', v2: 'absent' }, a: { commune: 'has', v1: 'absent', v2: 'absent' } },
  },
  {
    rule: 'a citizen that came before its household reaches the household’s village, and only it, when the household arrives',
    async act(w) {
      const [h, c] = [newId(), newId()];
      await w.push('commune', (o) => [o.upsert('citizen', c, citizenData(h))]);
      return {
        result: last(await w.push('commune', (o) => [o.upsert('household', h, householdData(w.v1Id))])),
        watch: { c },
      };
    },
    result: { status: 'applied' },
    seen: { c: { commune: 'has', v1: 'has', v2: 'absent' } },
  },
  {
    rule: 'a village device cannot send a citizen before its household',
    async act(w) {
      const c = newId();
      return { result: last(await w.push('v1', (o) => [o.upsert('citizen', c, citizenData(newId()))])), watch: { c } };
    },
    result: { status: 'rejected', code: 'forbidden_scope' },
    seen: { c: everyone('absent') },
  },
  {
    rule: "a village device's stale edit of a citizen waiting for its household is refused as out of scope, never answered with the citizen",
    async act(w) {
      const [h, c] = [newId(), newId()];
      await w.push('v1', (o) => [o.upsert('household', h, householdData(w.v1Id))]);
      await w.push('commune', (o) => [o.upsert('citizen', c, citizenData(newId()))]);
      await w.push('commune', (o) => [o.upsert('citizen', c, citizenData(newId(), { fullName: 'Lê Văn Tư' }), 1)]);
      return { result: last(await w.push('v1', (o) => [o.upsert('citizen', c, citizenData(h), 1)])), watch: { c } };
    },
    result: { status: 'rejected', code: 'forbidden_scope' },
    seen: { c: { commune: 'has', v1: 'absent', v2: 'absent' } },
  },
  {
    rule: 'a clan is commune-wide: every device gets it, whoever wrote it',
    async act(w) {
      const clan = newId();
      return {
        result: last(await w.push('v1', (o) => [o.upsert('clan', clan, { name: 'Họ Phạm', villageIds: [w.v1Id] })])),
        watch: { clan },
      };
    },
    result: { status: 'applied' },
    seen: { clan: everyone('has') },
  },
  {
    rule: 'a unit without a village reaches every device; given a village it is withdrawn from the others',
    async act(w) {
      const [u1, u2] = [newId(), newId()];
      const unit = { name: 'Trường tiểu học', kind: 'truong_hoc', memberCount: 20 };
      await w.push('commune', (o) => [o.upsert('unit', u1, unit), o.upsert('unit', u2, unit)]);
      return {
        result: last(await w.push('commune', (o) => [o.upsert('unit', u2, { ...unit, villageId: w.v2Id }, 1)])),
        watch: { u1, u2 },
      };
    },
    result: { status: 'applied' },
    seen: { u1: everyone('has'), u2: { commune: 'has', v1: 'withdrawn', v2: 'has' } },
  },
];

let communeCounter = 0;
const freshCommune = () => String(36000 + (communeCounter += 1));

describe.each(STORE_CASES)('op decisions on $kind', (storeCase) => {
  const server = useSyncServer(storeCase);

  async function world(): Promise<{ w: World; devices: Record<Who, EnrolledDevice> }> {
    const communeCode = freshCommune();
    const [v1Id, v2Id] = [newId(), newId()];
    const devices: Record<Who, EnrolledDevice> = {
      commune: await enrollDevice(server.baseUrl, server.store, { communeCode }),
      v1: await enrollDevice(server.baseUrl, server.store, { communeCode, villageIds: [v1Id] }),
      v2: await enrollDevice(server.baseUrl, server.store, { communeCode, villageIds: [v2Id] }),
    };
    const builders: Record<Who, Ops> = {
      commune: opBuilder(communeCode),
      v1: opBuilder(communeCode),
      v2: opBuilder(communeCode),
    };
    const w: World = {
      v1Id,
      v2Id,
      push: async (who, build) => (await pushOk(server.baseUrl, devices[who], build(builders[who]))).results,
    };
    await w.push('commune', (o) => [
      o.upsert('village', v1Id, villageData({ name: 'Thôn Một' })),
      o.upsert('village', v2Id, villageData({ name: 'Thôn Hai' })),
    ]);
    return { w, devices };
  }

  async function seenBy(device: EnrolledDevice, id: string): Promise<Seen> {
    const changes = (await pullAll(server.baseUrl, device.token)).changes.filter((c) => c.id === id);
    const latest = changes[changes.length - 1];
    if (!latest) return 'absent';
    if (latest.outOfScope === true) {
      expect(latest.data).toBeNull();
      return 'withdrawn';
    }
    expect(latest.data).not.toBeNull();
    return 'has';
  }

  it.each(ROWS)('$rule', async (row) => {
    const { w, devices } = await world();
    const { result, watch } = await row.act(w);
    expect(result.status).toBe(row.result.status);
    if (row.result.code) expect(result).toMatchObject({ error: { code: row.result.code } });
    if (result.status === 'rejected') expect(result).not.toHaveProperty('current');
    for (const [name, expected] of Object.entries(row.seen)) {
      const id = watch[name];
      if (!id) throw new Error(`the row watches no record named ${name}`);
      const actual: Record<Who, Seen> = {
        commune: await seenBy(devices.commune, id),
        v1: await seenBy(devices.v1, id),
        v2: await seenBy(devices.v2, id),
      };
      expect({ record: name, ...actual }).toEqual({ record: name, ...expected });
    }
  });
});
