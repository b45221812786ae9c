import { insertDevice, listDevices, TOKENLESS_HASH_PREFIX, type Device } from '../auth/devices';
import type { Queryable } from '../store/store';

/** The device with this id, in whichever commune it is (ids are UUIDs: unique in practice). */
export async function findDevice(db: Queryable, deviceId: string): Promise<Device | undefined> {
  const id = deviceId.toLowerCase();
  const rows = await db.query<{ commune_code: string }>('SELECT commune_code FROM devices WHERE device_id = $1::uuid', [
    id,
  ]);
  const communeCode = rows[0]?.commune_code;
  return communeCode === undefined ? undefined : (await listDevices(db, communeCode)).find((d) => d.deviceId === id);
}

/** The commune's devices that never had a token (seed, imported files). */
export async function tokenlessDeviceIds(db: Queryable, communeCode: string): Promise<Set<string>> {
  const rows = await db.query<{ device_id: string }>(
    `SELECT device_id::text AS device_id FROM devices WHERE commune_code = $1 AND starts_with(token_hash, $2)`,
    [communeCode, TOKENLESS_HASH_PREFIX],
  );
  return new Set(rows.map((r) => r.device_id));
}

/**
 * A device row for ops that did not arrive through enrolment: the seed's, or that of an imported
 * file whose device the server does not know. It never had a token (auth/devices.ts `NewDevice`):
 * nobody can log in as it. Created once, then found again.
 */
export async function ensureTokenlessDevice(
  db: Queryable,
  args: { communeCode: string; deviceId: string; name: string; now: Date },
): Promise<{ device: Device; created: boolean }> {
  const inserted = await insertDevice(
    db,
    {
      communeCode: args.communeCode,
      deviceId: args.deviceId,
      name: args.name,
      villageIds: null,
      token: null,
      createdAt: args.now,
    },
    { ifAbsent: true },
  );
  const device = inserted ?? (await findDevice(db, args.deviceId));
  if (!device) throw new Error('tokenless device vanished after insert');
  return { device, created: inserted !== undefined };
}
