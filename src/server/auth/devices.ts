import type { Queryable } from '../store/store';
import { hashSecret } from './tokens';

/** Starts the token_hash of devices that never had a token (seed, imported files); no SHA-256 hex does. */
export const TOKENLESS_HASH_PREFIX = 'no-token:';

/** An enrolled device as the server knows it. Its token exists only as a hash. */
export interface Device {
  readonly communeCode: string;
  readonly deviceId: string;
  readonly name: string;
  /** null: the whole commune; otherwise the only villages it may read and write. */
  readonly villageIds: readonly string[] | null;
  /** Every op up to this seq has a recorded result. */
  readonly ackSeq: number;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

interface DeviceRow extends Record<string, unknown> {
  commune_code: string;
  device_id: string;
  name: string;
  village_ids: string[] | null;
  ack_seq: string;
  created_at: Date;
  revoked_at: Date | null;
}

const DEVICE_COLUMNS = 'commune_code, device_id, name, village_ids, ack_seq::text AS ack_seq, created_at, revoked_at';

function toDevice(row: DeviceRow): Device {
  return {
    communeCode: row.commune_code,
    deviceId: row.device_id,
    name: row.name,
    villageIds: row.village_ids,
    ackSeq: Number(row.ack_seq),
    createdAt: new Date(row.created_at),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
  };
}

/** A device row to store: what enrolment, the seed, an import, the tests and the bench create. */
export interface NewDevice {
  readonly communeCode: string;
  readonly deviceId: string;
  readonly name: string;
  /** null: the whole commune; otherwise the only villages it may read and write. */
  readonly villageIds: readonly string[] | null;
  /**
   * Its bearer token, stored only as its hash; null for a device that never had one (the seed's,
   * an imported file's): its token_hash equals no SHA-256 and it is revoked from birth, so nobody
   * can log in as it, while its applied_ops still make each of its ops take effect once.
   */
  readonly token: string | null;
  readonly createdAt: Date;
}

/**
 * The one place a devices row is written; returns the device as stored. With `ifAbsent`, a row
 * already there for the same commune and deviceId is left as it is (undefined is returned);
 * without, that is an error.
 */
export async function insertDevice(db: Queryable, device: NewDevice): Promise<Device>;
export async function insertDevice(
  db: Queryable,
  device: NewDevice,
  options: { ifAbsent: true },
): Promise<Device | undefined>;
export async function insertDevice(
  db: Queryable,
  device: NewDevice,
  options: { ifAbsent?: true } = {},
): Promise<Device | undefined> {
  const createdAt = device.createdAt.toISOString();
  const rows = await db.query<DeviceRow>(
    `INSERT INTO devices (commune_code, device_id, name, token_hash, village_ids, created_at, revoked_at)
     VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7)
     ${options.ifAbsent ? 'ON CONFLICT (commune_code, device_id) DO NOTHING' : ''}
     RETURNING ${DEVICE_COLUMNS}`,
    [
      device.communeCode,
      device.deviceId,
      device.name,
      device.token === null ? `${TOKENLESS_HASH_PREFIX}${device.deviceId}` : hashSecret(device.token),
      device.villageIds ? [...device.villageIds] : null,
      createdAt,
      device.token === null ? createdAt : null,
    ],
  );
  return rows[0] ? toDevice(rows[0]) : undefined;
}

/** The device a bearer token belongs to, or undefined when unknown or revoked. */
export async function findDeviceByToken(db: Queryable, token: string): Promise<Device | undefined> {
  const rows = await db.query<DeviceRow>(
    `SELECT ${DEVICE_COLUMNS} FROM devices WHERE token_hash = $1 AND revoked_at IS NULL`,
    [hashSecret(token)],
  );
  return rows[0] ? toDevice(rows[0]) : undefined;
}

/** Every device of a commune, newest first, revoked ones included (the admin CLI lists them). */
export async function listDevices(db: Queryable, communeCode: string): Promise<Device[]> {
  const rows = await db.query<DeviceRow>(
    `SELECT ${DEVICE_COLUMNS} FROM devices WHERE commune_code = $1 ORDER BY created_at DESC, device_id`,
    [communeCode],
  );
  return rows.map(toDevice);
}

/**
 * Revokes a device: its token stops working at once (every request checks it). Its records and
 * op results stay. Returns false when no such live device exists in that commune.
 */
export async function revokeDevice(
  db: Queryable,
  args: { communeCode: string; deviceId: string; now: Date },
): Promise<boolean> {
  const rows = await db.query(
    'UPDATE devices SET revoked_at = $3 WHERE commune_code = $1 AND device_id = $2 AND revoked_at IS NULL RETURNING device_id',
    [args.communeCode, args.deviceId, args.now.toISOString()],
  );
  return rows.length > 0;
}
