import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCriteria, type CriteriaSet } from '../../src/domain/criteria/criteria-set';
import { findCriteriaSet } from '../../src/domain/criteria/registry';
import { scoreAssessment } from '../../src/domain/scoring/score-assessment';
import { insertDevice, type Device } from '../../src/server/auth/devices';
import { runMigrations } from '../../src/server/store/migrations';
import type { Store } from '../../src/server/store/store';
import { applyPush, type ApplyMode } from '../../src/server/sync/push';
import { noteRecordWrites } from '../../src/server/sync/table-statistics';
import { PENDING_VILLAGE } from '../../src/server/sync/scope';
import { uuidv7 } from '../../src/shared/ids';
import type { PushOp, PushResponse } from '../../src/shared/protocol/sync.schema';
import type { AnswerInput } from '../../src/shared/schemas/assessment.schema';
import { citizenData, householdData, villageData } from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

/**
 * A push is applied set-based (every record read at once, writes collected per record) unless a
 * create races another transaction. These tests hold it to the one-op-at-a-time reference: the
 * same request gives the same results and leaves the same rows, whatever the mix of creates,
 * edits, deletes, stale versions, parents after children, village moves and assessments.
 */
const COMMUNE = '25945';
const NOW = new Date('2026-11-24T03:00:00Z');
const YEAR = 2026;
// A: assessments of citizens, F: of households (Gia đình học tập), K: of villages (cộng đồng).
const KEYS = ['V0', 'V1', 'H0', 'H1', 'H2', 'C0', 'C1', 'C2', 'A0', 'A1', 'F0', 'F1', 'K0'] as const;
type Key = (typeof KEYS)[number];
const ENTITY_OF_LETTER: Readonly<Record<string, string>> = {
  V: 'village',
  H: 'household',
  C: 'citizen',
  A: 'assessment',
  F: 'assessment',
  K: 'assessment',
};
function entityOf(key: Key): string {
  const entity = ENTITY_OF_LETTER[key.charAt(0)];
  if (!entity) throw new Error(`no entity for ${key}`);
  return entity;
}

function criteriaSet(id: string): CriteriaSet {
  const set = findCriteriaSet(id, 1);
  if (!set) throw new Error(`no criteria set ${id}`);
  return set;
}
const citizenSet = criteriaSet('learning-citizen.qd324');
const familySet = criteriaSet('learning-family.qd448');
const communitySet = criteriaSet('learning-community.draft');

/**
 * An assessment of `subject`, scored as a device outside a vùng khó khăn that believes the
 * household has no school-age child would: the server's score (from members, households and
 * their results) differs whenever those count, which the stored score flag shows.
 */
function assessmentOf(set: CriteriaSet, subjectType: string, subject: string, variant: number) {
  const answers: Record<string, AnswerInput> = {};
  for (const c of listCriteria(set)) {
    // Odd variants: full marks (a family passes, so villages' shares of passing families vary).
    if (c.kind === 'points')
      answers[c.id] = { points: variant % 2 === 1 ? c.maxPoints : Math.min(variant, c.maxPoints), evidenceIds: [] };
    else if (c.kind !== 'derived') answers[c.id] = { value: variant % 4 === 0 ? 'fail' : 'pass', evidenceIds: [] };
  }
  const result = scoreAssessment(set, answers, {
    isDisadvantagedArea: false,
    derived: { schoolAgeChildrenAllInSchool: null },
  });
  return {
    subjectType,
    subjectId: subject,
    title: set.title,
    year: YEAR,
    criteriaSetId: set.id,
    criteriaSetVersion: 1,
    answers,
    result,
    status: 'draft',
  };
}

/** One abstract step; ids are filled in per device, so two devices replay the same script. */
interface Step {
  readonly key: Key;
  readonly isDelete: boolean;
  /** Index into the parents of the record's kind (village of a household, household of a citizen, subject of an assessment). */
  readonly parent: number;
  readonly variant: number;
  /** 0: the version the device believes (writes so far), 1: stale (null), 2: ahead. */
  readonly versionSkew: 0 | 1 | 2;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  key: fc.constantFrom(...KEYS),
  isDelete: fc.constantFrom(false, false, false, true),
  parent: fc.nat(2),
  variant: fc.nat(9),
  versionSkew: fc.constantFrom<(0 | 1 | 2)[]>(0, 0, 0, 0, 0, 1, 2),
});

/** An adult, or a school-age child in school or dropped out (what a family's score derives from). */
function memberOf(variant: number) {
  if (variant % 3 === 0) return { birthYear: 1970 + variant };
  return {
    birthYear: 2012 + variant,
    relation: 'con',
    isWorker: false,
    schooling: variant % 3 === 1 ? 'dang_di_hoc' : 'bo_hoc',
  };
}

function step(key: Key, parent: number, variant: number): Step {
  return { key, isDelete: false, parent, variant, versionSkew: 0 };
}

function buildOps(steps: readonly Step[], ids: Record<Key, string>): PushOp[] {
  const writes = new Map<Key, number>();
  const pick = <T>(list: readonly T[], i: number) => list[i % list.length] as T;
  return steps.map((step, index) => {
    const known = writes.get(step.key) ?? 0;
    writes.set(step.key, known + 1);
    const baseVersion = step.versionSkew === 1 ? null : step.versionSkew === 2 ? known + 1 : known === 0 ? null : known;
    const head = {
      opId: uuidv7(NOW.getTime(), randomBytes(16)),
      seq: index + 1,
      communeCode: COMMUNE,
      clientTime: NOW.toISOString(),
    };
    const entity = entityOf(step.key);
    const recordId = ids[step.key];
    if (step.isDelete) return { ...head, kind: 'delete', entity, recordId, baseVersion };
    const data =
      entity === 'village'
        ? villageData({ name: `Thôn ${step.variant}`, isDisadvantagedArea: step.variant % 3 === 0 })
        : entity === 'household'
          ? householdData(ids[pick(['V0', 'V1'] as const, step.parent)], { address: `Xóm ${step.variant}` })
          : entity === 'citizen'
            ? citizenData(ids[pick(['H0', 'H1', 'H2'] as const, step.parent)], memberOf(step.variant))
            : step.key.startsWith('F')
              ? assessmentOf(familySet, 'household', ids[pick(['H0', 'H1', 'H2'] as const, step.parent)], step.variant)
              : step.key.startsWith('K')
                ? assessmentOf(communitySet, 'village', ids[pick(['V0', 'V1'] as const, step.parent)], step.variant)
                : assessmentOf(
                    citizenSet,
                    'citizen',
                    ids[pick(['C0', 'C1', 'C2'] as const, step.parent)],
                    step.variant,
                  );
    return { ...head, kind: 'upsert', entity, recordId, baseVersion, data };
  });
}

describe.each(STORE_CASES)('a push applied set-based on $kind', (storeCase) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    ({ store, dispose } = await storeCase.open());
    await runMigrations(store);
  });
  afterAll(async () => {
    await dispose?.();
  });

  /** A fresh device with its own ids for every abstract record; scoped devices see V0 only. */
  async function freshDevice(isScoped: boolean): Promise<{ device: Device; ids: Record<Key, string> }> {
    const newId = () => uuidv7(NOW.getTime(), randomBytes(16));
    const ids = Object.fromEntries(KEYS.map((k) => [k, newId()])) as Record<Key, string>;
    const device = await insertDevice(store, {
      communeCode: COMMUNE,
      deviceId: newId(),
      name: 'thử',
      villageIds: isScoped ? [ids.V0] : null,
      token: null,
      createdAt: NOW,
    });
    return { device, ids };
  }

  /** Replaces each device's ids by their abstract key so two devices' answers compare. */
  function normalise(value: unknown, ids: Record<Key, string>, deviceId: string, ops: readonly PushOp[] = []): unknown {
    let text = JSON.stringify(value);
    for (const key of KEYS) text = text.replaceAll(ids[key], key).replaceAll(ids[key].toUpperCase(), key);
    for (const op of ops) text = text.replaceAll(op.opId, `op ${op.seq}`);
    return JSON.parse(text.replaceAll(deviceId, 'DEVICE'));
  }

  async function storedRows(ids: Record<Key, string>, deviceId: string) {
    const rows = await store.query(
      `SELECT entity, id::text AS id, version, deleted, data, village_id::text AS village_id, updated_by::text AS updated_by, score_mismatch
       FROM records WHERE commune_code = $1 AND id = ANY ($2::uuid[]) ORDER BY entity, data::text, version`,
      [COMMUNE, Object.values(ids)],
    );
    const byKey = rows
      .map((r) => normalise(r, ids, deviceId))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    return byKey;
  }

  async function run(steps: readonly Step[], isScoped: boolean, mode: ApplyMode) {
    const { device, ids } = await freshDevice(isScoped);
    const ops = buildOps(steps, ids);
    const push = (): Promise<PushResponse> =>
      applyPush(store, device, { protocol: 1, deviceId: device.deviceId, ops }, NOW, mode);
    const first = await push();
    const again = await push();
    return {
      first: normalise(first, ids, device.deviceId, ops),
      again: normalise(again, ids, device.deviceId, ops),
      rows: await storedRows(ids, device.deviceId),
    };
  }

  it('gives the same results and stores the same rows as applying one op at a time, for any mix of ops', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 24 }), fc.boolean(), async (steps, isScoped) => {
        const batch = await run(steps, isScoped, 'batch');
        const oneByOne = await run(steps, isScoped, 'oneByOne');
        expect(batch).toEqual(oneByOne);
      }),
      {
        numRuns: 40,
        seed: 20261124,
        // A village assessed after one of its families passed, in the same push: its share of
        // learning families counts the family the push has not stored yet.
        examples: [[[step('V0', 0, 1), step('H0', 0, 1), step('C0', 0, 2), step('F0', 0, 1), step('K0', 0, 1)], false]],
      },
    );
  });

  it('renews the planner statistics of the records table after pushes add a thousand records or more', async () => {
    const { device } = await freshDevice(false);
    const newId = () => uuidv7(NOW.getTime(), randomBytes(16));
    const ops: PushOp[] = Array.from({ length: 1200 }, (_, i) => ({
      opId: newId(),
      seq: i + 1,
      entity: 'village',
      recordId: newId(),
      communeCode: COMMUNE,
      kind: 'upsert',
      baseVersion: null,
      data: villageData({ name: `Thôn ${i}` }),
      clientTime: NOW.toISOString(),
    }));
    for (let start = 0; start < ops.length; start += 500) {
      await applyPush(
        store,
        device,
        { protocol: 1, deviceId: device.deviceId, ops: ops.slice(start, start + 500) },
        NOW,
      );
    }
    await noteRecordWrites(store, 0); // the ANALYZE the last push started, if still running
    const [row] = await store.query<{ rows: number }>(
      `SELECT reltuples::float8 AS rows FROM pg_class WHERE relname = 'records'`,
    );
    expect(Number(row?.rows)).toBeGreaterThanOrEqual(1200);
  });

  it('stores text with quotes, backslashes, control characters and diacritics exactly as sent, as one op at a time does', async () => {
    // The batch sends the records' JSON joined by U+001E (store/json-list.ts); a notes field holding
    // that very character, quotes and backslashes must come back unchanged.
    const notes = 'Ghi chú: "Út" ở C:\\nhà\u001e\u001fcuối\tdòng — Nguyễn Thị Ánh 🌾 {"a":[1]} null';
    const headName = 'Lê "Bé" Ba \\';
    const stored: unknown[] = [];
    for (const mode of ['batch', 'oneByOne'] as const) {
      const { device, ids } = await freshDevice(false);
      const op = (seq: number, entity: string, recordId: string, data: unknown): PushOp => ({
        opId: uuidv7(NOW.getTime(), randomBytes(16)),
        seq,
        entity,
        recordId,
        communeCode: COMMUNE,
        kind: 'upsert',
        baseVersion: null,
        data,
        clientTime: NOW.toISOString(),
      });
      const ops = [
        op(1, 'village', ids.V0, villageData({ name: 'Thôn "Đông" \\ 1' })),
        op(2, 'household', ids.H0, householdData(ids.V0, { headName, notes })),
      ];
      const response = await applyPush(store, device, { protocol: 1, deviceId: device.deviceId, ops }, NOW, mode);
      expect(response.results.map((r) => r.status)).toEqual(['applied', 'applied']);
      const rows = await store.query<{ data: Record<string, unknown>; unflagged: boolean }>(
        // No score flag is SQL NULL, not the JSON null (which a driver would hand back as null too).
        'SELECT data, score_mismatch IS NULL AS unflagged FROM records WHERE commune_code = $1 AND id = ANY ($2::uuid[]) ORDER BY entity',
        [COMMUNE, [ids.V0, ids.H0]],
      );
      expect(rows.map((r) => r.unflagged)).toEqual([true, true]);
      stored.push(rows.map((r) => ({ ...r.data, ...(r.data.villageId ? { villageId: 'V0' } : {}) })));
    }
    expect(stored[0]).toEqual(stored[1]);
    expect(stored[0]).toEqual([
      expect.objectContaining({ headName, notes }),
      expect.objectContaining({ name: 'Thôn "Đông" \\ 1' }),
    ]);
  });

  it('moves the citizens and assessments of a household that changes village within one push', async () => {
    const { device, ids } = await freshDevice(false);
    const steps: Step[] = [
      { key: 'V0', isDelete: false, parent: 0, variant: 1, versionSkew: 0 },
      { key: 'V1', isDelete: false, parent: 0, variant: 2, versionSkew: 0 },
      { key: 'C0', isDelete: false, parent: 0, variant: 1, versionSkew: 0 },
      { key: 'A0', isDelete: false, parent: 0, variant: 5, versionSkew: 0 },
      { key: 'H0', isDelete: false, parent: 0, variant: 1, versionSkew: 0 },
      { key: 'H0', isDelete: false, parent: 1, variant: 1, versionSkew: 0 },
    ];
    const response = await applyPush(
      store,
      device,
      { protocol: 1, deviceId: device.deviceId, ops: buildOps(steps, ids) },
      NOW,
      'batch',
    );
    expect(response.results.map((r) => r.status)).toEqual([
      'applied',
      'applied',
      'applied',
      'applied',
      'applied',
      'applied',
    ]);
    const villages = await store.query<{ id: string; village_id: string | null }>(
      'SELECT id::text AS id, village_id::text AS village_id FROM records WHERE commune_code = $1 AND id = ANY ($2::uuid[])',
      [COMMUNE, [ids.C0, ids.A0, ids.H0]],
    );
    expect(Object.fromEntries(villages.map((r) => [r.id, r.village_id]))).toEqual({
      [ids.C0]: ids.V1,
      [ids.A0]: ids.V1,
      [ids.H0]: ids.V1,
    });
  });

  it("a household pushed after its member and the member's assessment, in a later push, gives both its village", async () => {
    const { device, ids } = await freshDevice(false);
    // One script, sent in three pushes: the village; a citizen of H0 and an assessment of that
    // citizen while the server does not know H0; then H0 itself, in V0.
    const ops = buildOps([step('V0', 0, 1), step('C0', 0, 1), step('A0', 0, 5), step('H0', 0, 1)], ids);
    const push = (part: PushOp[]) =>
      applyPush(store, device, { protocol: 1, deviceId: device.deviceId, ops: part }, NOW, 'batch');
    const villagesOf = async () => {
      const rows = await store.query<{ id: string; village_id: string | null }>(
        'SELECT id::text AS id, village_id::text AS village_id FROM records WHERE commune_code = $1 AND id = ANY ($2::uuid[])',
        [COMMUNE, [ids.C0, ids.A0]],
      );
      return Object.fromEntries(rows.map((r) => [r.id, r.village_id]));
    };
    await push(ops.slice(0, 1));
    expect((await push(ops.slice(1, 3))).results.map((r) => r.status)).toEqual(['applied', 'applied']);
    // Stored waiting for their parent: no village device reaches them yet.
    expect(await villagesOf()).toEqual({ [ids.C0]: PENDING_VILLAGE, [ids.A0]: PENDING_VILLAGE });
    expect((await push(ops.slice(3))).results.map((r) => r.status)).toEqual(['applied']);
    expect(await villagesOf()).toEqual({ [ids.C0]: ids.V0, [ids.A0]: ids.V0 });
  });

  it('scores a family assessment against the members an earlier push stored, as one op at a time does', async () => {
    const outcomes: unknown[][] = [];
    for (const mode of ['batch', 'oneByOne'] as const) {
      const { device, ids } = await freshDevice(false);
      // H0 has a child who left school (C0) and one in school (C1); F0 comes in the next push.
      const ops = buildOps(
        [step('V0', 0, 1), step('H0', 0, 1), step('C0', 0, 2), step('C1', 0, 4), step('F0', 0, 1)],
        ids,
      );
      for (const part of [ops.slice(0, 4), ops.slice(4)])
        await applyPush(store, device, { protocol: 1, deviceId: device.deviceId, ops: part }, NOW, mode);
      outcomes.push(await storedRows(ids, device.deviceId));
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
    // The device believed no school-age child; the server counted the stored members, so it flags F0.
    const family = outcomes[0]?.find((row) => (row as { id: string }).id === 'F0') as
      { score_mismatch: unknown } | undefined;
    expect(family?.score_mismatch).not.toBeNull();
  });

  it.skipIf(storeCase.kind !== 'postgres')(
    'a create that races another transaction creating the same id becomes a conflict with the winner',
    async () => {
      const { device, ids } = await freshDevice(false);
      const other = await freshDevice(false);
      const [ops] = [buildOps([{ key: 'V0', isDelete: false, parent: 0, variant: 1, versionSkew: 0 }], ids)];
      let release = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let inserted = () => {};
      const isInserted = new Promise<void>((resolve) => {
        inserted = resolve;
      });
      // The other device's create holds the id uncommitted while this push reads and then inserts it.
      const winner = store.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO records (commune_code, entity, id, version, data, updated_at, updated_by, created_by)
         VALUES ($1, 'village', $2, 1, $3::text::jsonb, $4, $5, $5)`,
          [
            COMMUNE,
            ids.V0,
            JSON.stringify(villageData({ name: 'Thôn của máy kia' })),
            NOW.toISOString(),
            other.device.deviceId,
          ],
        );
        inserted();
        await gate;
      });
      await isInserted;
      const pushing = applyPush(store, device, { protocol: 1, deviceId: device.deviceId, ops }, NOW, 'batch');
      // Release the winner once the push waits on its row lock (bounded: 10 s).
      for (let i = 0; i < 400; i += 1) {
        const waiting = await store.query(
          `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO records%'`,
        );
        if (waiting.length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      release();
      await winner;
      const response = await pushing;
      expect(response.results[0]).toMatchObject({
        status: 'conflict',
        current: { version: 1, updatedBy: other.device.deviceId, data: { name: 'Thôn của máy kia' } },
      });
    },
  );
});
