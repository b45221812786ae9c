import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { PushOp } from '../../shared/protocol/sync.schema';
import type { Title } from '../../shared/schemas/assessment.schema';
import { FIRST_ASSESSMENT_YEAR } from '../../shared/schemas/common';
import type { Entity } from '../../shared/schemas/entities';
import type { Device } from '../auth/devices';
import type { Queryable, Store } from '../store/store';
import { currentYearIn } from '../sync/validate-record';
import { AdminError } from './admin-error';
import { applyInBatches, type PushCounts, type Rejection } from './apply-batches';
import type { CommandContext } from './command-context';
import { requireCommune } from './communes';
import { generateDemoRegister } from './demo/demo-register';
import { ensureTokenlessDevice } from './device-rows';
import {
  buildSeedOps,
  countAssessmentsByTitle,
  countRecords,
  SEED_PAST_YEARS,
  seedDemoOptions,
  type SeedOpDraft,
} from './seed-ops';
import { stableUuid } from './stable-id';

export const MAX_SEED_HOUSEHOLDS = 20_000;

export const seedArgsSchema = z.object({
  communeCode: z.string(),
  households: z.number().int().min(1).max(MAX_SEED_HOUSEHOLDS),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(1),
  /** Absent: this year (Vietnam time, server clock). */
  year: z.number().int().optional(),
});
export type SeedArgs = z.input<typeof seedArgsSchema>;

export interface SeedResult {
  readonly command: 'seed';
  readonly communeCode: string;
  readonly communeName: string;
  readonly seed: number;
  readonly households: number;
  /** Assessments cover these years, first to last. */
  readonly years: readonly [number, number];
  readonly deviceId: string;
  /** What the seed generated (and, once applied, what the server holds from it). */
  readonly records: Record<Entity, number>;
  readonly assessmentsByTitle: Partial<Record<Title, number>>;
  readonly results: PushCounts;
  readonly rejections: Rejection[];
  readonly interrupted: boolean;
  readonly elapsedMs: number;
}

/** The commune's seed device: one per commune, tokenless (device-rows.ts). */
export function seedDeviceId(communeCode: string): string {
  return stableUuid('so-khuyen-hoc/seed-device', communeCode);
}

/**
 * Seqs as a device would send them: an op the seed device sent before keeps its recorded seq (a
 * true re-send, answered `duplicate`); new ops continue after the highest seq, gap-free, so
 * ack_seq keeps up. Read before applying: run one seed per commune at a time.
 */
async function assignSeqs(db: Queryable, device: Device, drafts: readonly SeedOpDraft[]): Promise<PushOp[]> {
  const known = await db.query<{ op_id: string; seq: string }>(
    'SELECT op_id::text AS op_id, seq::text AS seq FROM applied_ops WHERE commune_code = $1 AND device_id = $2 AND op_id = ANY ($3::uuid[])',
    [device.communeCode, device.deviceId, drafts.map((d) => d.opId)],
  );
  const seqByOpId = new Map(known.map((r) => [r.op_id, Number(r.seq)]));
  const [last] = await db.query<{ max: string }>(
    'SELECT coalesce(max(seq), 0)::text AS max FROM applied_ops WHERE commune_code = $1 AND device_id = $2',
    [device.communeCode, device.deviceId],
  );
  let next = Number(last?.max ?? 0);
  return drafts.map((draft) => ({ ...draft, seq: seqByOpId.get(draft.opId) ?? (next += 1) }));
}

/**
 * Fills a commune with a deterministic demo register (demo/demo-register.ts) through the push
 * path, as the commune's seed device. Same commune, seed, households and year → the same ops, so
 * a re-run changes nothing; another seed adds another, independent register.
 */
export async function runSeed(
  store: Store,
  args: z.output<typeof seedArgsSchema>,
  ctx: CommandContext,
): Promise<SeedResult> {
  const started = performance.now();
  const commune = requireCommune(args.communeCode);
  const now = ctx.now();
  const thisYear = currentYearIn(now);
  const year = args.year ?? thisYear;
  if (year > thisYear || year - SEED_PAST_YEARS < FIRST_ASSESSMENT_YEAR) {
    throw new AdminError(
      'invalid_arguments',
      `Năm phải từ ${FIRST_ASSESSMENT_YEAR + SEED_PAST_YEARS} đến ${thisYear} (nhận được ${year}).`,
    );
  }
  const register = generateDemoRegister(seedDemoOptions(args.households, args.seed, year));
  const { device } = await ensureTokenlessDevice(store, {
    communeCode: commune.code,
    deviceId: seedDeviceId(commune.code),
    name: 'Dữ liệu mẫu (lệnh seed)',
    now,
  });
  const ops = await assignSeqs(store, device, buildSeedOps(register, commune.code));
  const outcome = await applyInBatches(store, device, ops, ctx);
  return {
    command: 'seed',
    communeCode: commune.code,
    communeName: commune.name,
    seed: args.seed,
    households: args.households,
    years: [year - SEED_PAST_YEARS, year],
    deviceId: device.deviceId,
    records: countRecords(register),
    assessmentsByTitle: countAssessmentsByTitle(register),
    results: outcome.counts,
    rejections: outcome.rejections,
    interrupted: outcome.interrupted,
    elapsedMs: Math.round(performance.now() - started),
  };
}
