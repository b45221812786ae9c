import { randomUUID } from 'node:crypto';
import { UUID_PATTERN } from '../../shared/ids';
import type { EnrollResponse } from '../../shared/protocol/sync.schema';
import type { Queryable, Store } from '../store/store';
import { insertDevice } from './devices';
import { generateEnrollmentCode, generateToken, hashSecret, normaliseEnrollmentCode } from './tokens';

export interface NewEnrollmentCode {
  readonly communeCode: string;
  /** Omitted or null: the device may work in the whole commune. */
  readonly villageIds?: readonly string[] | null;
  readonly expiresInMs: number;
  readonly now: Date;
}

/**
 * Creates a one-time enrolment code (the admin CLI calls this). The code is returned once and
 * stored only as a hash; it fixes the commune and villages the enrolled device will get.
 */
export async function createEnrollmentCode(
  db: Queryable,
  args: NewEnrollmentCode,
): Promise<{ code: string; expiresAt: Date }> {
  if (!/^\d{5}$/.test(args.communeCode)) throw new Error(`not a commune code: ${args.communeCode}`);
  const villageIds = args.villageIds ?? null;
  if (villageIds && (villageIds.length === 0 || villageIds.some((id) => !UUID_PATTERN.test(id)))) {
    throw new Error('villageIds must be a non-empty list of UUIDs, or null for the whole commune');
  }
  if (!(args.expiresInMs > 0)) throw new Error('expiresInMs must be positive');
  const code = generateEnrollmentCode();
  const expiresAt = new Date(args.now.getTime() + args.expiresInMs);
  await db.query(
    `INSERT INTO enrollment_codes (commune_code, code_hash, village_ids, expires_at, created_at)
     VALUES ($1, $2, $3::uuid[], $4, $5)`,
    [
      args.communeCode,
      hashSecret(normaliseEnrollmentCode(code)),
      villageIds ? [...villageIds] : null,
      expiresAt.toISOString(),
      args.now.toISOString(),
    ],
  );
  return { code, expiresAt };
}

/**
 * Spends a code and creates the device, in ONE transaction: the conditional UPDATE takes the
 * code's row lock, so of two devices racing with one code exactly one gets it.
 * Undefined when the code is unknown, used or expired (the caller answers 400, saying no more).
 */
export async function enrollDevice(
  store: Store,
  args: { code: string; deviceName: string; now: Date },
): Promise<EnrollResponse | undefined> {
  const deviceId = randomUUID();
  const token = generateToken();
  const now = args.now.toISOString();
  return store.transaction(async (tx) => {
    const spent = await tx.query<{ commune_code: string; village_ids: string[] | null }>(
      `UPDATE enrollment_codes SET used_at = $2, used_by = $3
       WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2
       RETURNING commune_code, village_ids`,
      [hashSecret(normaliseEnrollmentCode(args.code)), now, deviceId],
    );
    const code = spent[0];
    if (!code) return undefined;
    await insertDevice(tx, {
      communeCode: code.commune_code,
      deviceId,
      name: args.deviceName,
      villageIds: code.village_ids,
      token,
      createdAt: args.now,
    });
    return {
      deviceId,
      token,
      scope: { communeCode: code.commune_code, villageIds: code.village_ids },
      serverTime: now,
    };
  });
}
