import { z } from 'zod';
import { createEnrollmentCode } from '../auth/enrollment';
import type { Store } from '../store/store';
import type { CommandContext } from './command-context';
import { requireCommune } from './communes';
import { resolveVillages, type VillageRef } from './village-lookup';

const DAY_MS = 24 * 60 * 60 * 1000;
export const MAX_CODE_LIFETIME_MS = 90 * DAY_MS;

export const enrollmentCodeArgsSchema = z.object({
  communeCode: z.string(),
  /** Village ids, codes or names; absent or null: the whole commune. */
  villages: z.array(z.string().min(1)).min(1).nullable().default(null),
  expiresInMs: z.number().int().min(60_000).max(MAX_CODE_LIFETIME_MS),
});
export type EnrollmentCodeArgs = z.input<typeof enrollmentCodeArgsSchema>;

export interface EnrollmentCodeResult {
  readonly command: 'enrollment-code';
  readonly communeCode: string;
  readonly communeName: string;
  /** Shown this once: the server keeps only its hash. */
  readonly code: string;
  readonly expiresAt: string;
  /** null: the device may work in the whole commune. */
  readonly villages: VillageRef[] | null;
}

/** A one-time enrolment code for a commune, optionally limited to some of its villages. */
export async function runEnrollmentCode(
  store: Store,
  args: z.output<typeof enrollmentCodeArgsSchema>,
  ctx: CommandContext,
): Promise<EnrollmentCodeResult> {
  const commune = requireCommune(args.communeCode);
  const villages = args.villages ? await resolveVillages(store, commune.code, args.villages) : null;
  const { code, expiresAt } = await createEnrollmentCode(store, {
    communeCode: commune.code,
    villageIds: villages?.map((v) => v.id) ?? null,
    expiresInMs: args.expiresInMs,
    now: ctx.now(),
  });
  return {
    command: 'enrollment-code',
    communeCode: commune.code,
    communeName: commune.name,
    code,
    expiresAt: expiresAt.toISOString(),
    villages,
  };
}
