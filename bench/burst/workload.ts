/**
 * What the simulated devices of the sync-day burst have typed offline: each device works in one
 * village of the commune and holds exactly `opsPerDevice` unsent creates (households with their
 * members and their assessments, from the seeded demo register, every `data` the output of the
 * shared zod schemas). A device's ops never refer to a record of another device, so each push
 * stands on its own. The villages themselves are on the server before the burst.
 */
import { generateDemoRegister, type DemoRecord } from '../../src/server/admin/demo/demo-register';
import { Rng } from '../../src/server/admin/demo/rng';
import { uuidv7 } from '../../src/shared/ids';
import type { PushOp } from '../../src/shared/protocol/sync.schema';
import { villageSchema, type VillageData } from '../../src/shared/schemas/village.schema';
import { buildCreateOp } from '../../tests/factories/records';
import { SYNC_COMMUNE } from '../../tests/support/sync-fixtures';

export const BURST_COMMUNE = SYNC_COMMUNE;
const YEAR = 2026;
/** Ops per household in the demo register (itself, ~2.8 members, some assessments): 4 covers it with room. */
const HOUSEHOLDS_PER_OP = 1 / 3.2;

export interface BurstWorkload {
  readonly villages: readonly DemoRecord<VillageData>[];
  /** Device d works in village `villageOf[d]` and sends `opsByDevice[d]` (seq 1…n). */
  readonly opsByDevice: readonly (readonly PushOp[])[];
  readonly villageOf: readonly number[];
  /** Mean JSON bytes of an op's `data`. */
  readonly meanDataBytes: number;
}

type Entry = { entity: 'household' | 'citizen' | 'assessment'; record: DemoRecord<unknown> };

/** `devices` devices over `villageCount` villages (device d in village d % villageCount). */
export function buildBurstWorkload(options: {
  devices: number;
  opsPerDevice: number;
  villageCount: number;
  seed: number;
}): BurstWorkload {
  const households = Math.ceil(options.devices * options.opsPerDevice * HOUSEHOLDS_PER_OP);
  const demo = generateDemoRegister({
    seed: options.seed,
    year: YEAR,
    villages: 1,
    households,
    citizens: Math.round(households * 2.8),
    clans: 0,
    exactClans: false,
    familyAssessmentShare: 0.4,
    citizenAssessmentShare: 0.1,
  });
  const rng = new Rng(options.seed ^ 0xb0a5);
  const template = demo.villages[0];
  if (!template) throw new Error('the demo register has no village');
  const villages = Array.from({ length: options.villageCount }, (_, v) => {
    const data = villageSchema.parse({ ...template.data, name: `Thôn thử ${v + 1}`, code: `B${v + 1}` });
    return { id: uuidv7(demo.setupMs + v, rng.bytes(16)), data, ms: demo.setupMs + v };
  });
  const bundles = householdBundles(demo);
  const opsByDevice: PushOp[][] = [];
  const villageOf: number[] = [];
  let dataBytes = 0;
  let next = 0;
  for (let d = 0; d < options.devices; d += 1) {
    const village = villages[d % villages.length];
    if (!village) throw new Error('no village');
    const ops: PushOp[] = [];
    // Whole households while they fit; the last one is cut (its remaining members are dropped).
    while (ops.length < options.opsPerDevice) {
      const bundle = bundles[next];
      next += 1;
      if (!bundle) throw new Error('the demo register is too small for the burst');
      for (const entry of bundle.slice(0, options.opsPerDevice - ops.length)) {
        const data =
          entry.entity === 'household'
            ? { ...(entry.record.data as object), villageId: village.id }
            : entry.record.data;
        dataBytes += Buffer.byteLength(JSON.stringify(data));
        const { id: recordId, ms: at } = entry.record;
        const opId = uuidv7(at, rng.bytes(16));
        ops.push(
          buildCreateOp({
            opId,
            seq: ops.length + 1,
            entity: entry.entity,
            recordId,
            data,
            at,
            communeCode: BURST_COMMUNE,
          }),
        );
      }
    }
    opsByDevice.push(ops);
    villageOf.push(d % villages.length);
  }
  return {
    villages,
    opsByDevice,
    villageOf,
    meanDataBytes: Math.round(dataBytes / Math.max(1, options.devices * options.opsPerDevice)),
  };
}

/** Each household, then its members, then the assessments of them (in the register's order). */
function householdBundles(demo: ReturnType<typeof generateDemoRegister>): Entry[][] {
  const bundleOf = new Map<string, Entry[]>();
  const bundles: Entry[][] = [];
  for (const household of demo.households) {
    const bundle: Entry[] = [{ entity: 'household', record: household }];
    bundleOf.set(household.id, bundle);
    bundles.push(bundle);
  }
  for (const citizen of demo.citizens) {
    const bundle = bundleOf.get(citizen.data.householdId);
    if (!bundle) continue;
    bundle.push({ entity: 'citizen', record: citizen });
    bundleOf.set(citizen.id, bundle);
  }
  for (const assessment of demo.assessments)
    bundleOf.get(assessment.data.subjectId)?.push({ entity: 'assessment', record: assessment });
  return bundles;
}

/** The villages as one setup push of a commune-wide device (seq 1…n). */
export function villageOps(workload: BurstWorkload): PushOp[] {
  const rng = new Rng(0x7111);
  return workload.villages.map((village, index) =>
    buildCreateOp({
      opId: uuidv7(village.ms, rng.bytes(16)),
      seq: index + 1,
      entity: 'village',
      recordId: village.id,
      data: village.data,
      at: village.ms,
      communeCode: BURST_COMMUNE,
    }),
  );
}
