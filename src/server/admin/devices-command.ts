import { z } from 'zod';
import { UUID_PATTERN } from '../../shared/ids';
import { listDevices, revokeDevice, type Device } from '../auth/devices';
import type { Queryable, Store } from '../store/store';
import { AdminError } from './admin-error';
import type { CommandContext } from './command-context';
import { requireCommune } from './communes';
import { findDevice, tokenlessDeviceIds } from './device-rows';
import { describeVillages, type VillageRef } from './village-lookup';

export const devicesArgsSchema = z.object({
  /** Absent: every commune on this server. */
  communeCode: z.string().optional(),
  /** A device id to revoke. */
  revoke: z.string().regex(UUID_PATTERN, 'Mã thiết bị phải là một UUID.').optional(),
});
export type DevicesArgs = z.input<typeof devicesArgsSchema>;

export interface DeviceView {
  readonly deviceId: string;
  readonly name: string;
  readonly communeCode: string;
  /** null: the whole commune. */
  readonly villages: VillageRef[] | null;
  readonly enrolledAt: string;
  readonly revokedAt: string | null;
  readonly ackSeq: number;
  /** false: a stand-in that never had a token (the seed's, an imported file's device). */
  readonly canLogIn: boolean;
}

export type DevicesResult =
  | {
      readonly command: 'devices';
      readonly devices: DeviceView[];
      /** Live assessments in the listed communes whose device claimed another result than the server's scoring (kept aside, never sent to devices). */
      readonly scoreMismatches: number;
    }
  | { readonly command: 'devices'; readonly revoked: DeviceView; readonly wasAlreadyRevoked: boolean };

async function toView(db: Queryable, device: Device, tokenless: ReadonlySet<string>): Promise<DeviceView> {
  return {
    deviceId: device.deviceId,
    name: device.name,
    communeCode: device.communeCode,
    villages: device.villageIds ? await describeVillages(db, device.communeCode, device.villageIds) : null,
    enrolledAt: device.createdAt.toISOString(),
    revokedAt: device.revokedAt?.toISOString() ?? null,
    ackSeq: device.ackSeq,
    canLogIn: !tokenless.has(device.deviceId),
  };
}

/** Live assessments of the commune whose device's result differs from the server's (the score flag is set). */
async function countScoreMismatches(db: Queryable, communeCode: string): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM records WHERE commune_code = $1 AND entity = 'assessment' AND NOT deleted AND score_mismatch IS NOT NULL`,
    [communeCode],
  );
  return rows[0]?.n ?? 0;
}

/** Lists devices (one commune or all), or revokes one: its token stops working at once. */
export async function runDevices(
  store: Store,
  args: z.output<typeof devicesArgsSchema>,
  ctx: CommandContext,
): Promise<DevicesResult> {
  const communeCode = args.communeCode === undefined ? undefined : requireCommune(args.communeCode).code;
  if (args.revoke !== undefined) {
    const device = await findDevice(store, args.revoke);
    if (!device || (communeCode !== undefined && device.communeCode !== communeCode)) {
      throw new AdminError(
        'not_found',
        `Không có thiết bị ${args.revoke}${communeCode ? ` trong xã ${communeCode}` : ''}.`,
      );
    }
    const isRevokedNow = await revokeDevice(store, {
      communeCode: device.communeCode,
      deviceId: device.deviceId,
      now: ctx.now(),
    });
    const after = (await findDevice(store, device.deviceId)) ?? device;
    const tokenless = await tokenlessDeviceIds(store, device.communeCode);
    return { command: 'devices', revoked: await toView(store, after, tokenless), wasAlreadyRevoked: !isRevokedNow };
  }
  const communes = communeCode
    ? [communeCode]
    : (
        await store.query<{ commune_code: string }>('SELECT DISTINCT commune_code FROM devices ORDER BY commune_code')
      ).map((r) => r.commune_code);
  const devices: DeviceView[] = [];
  let scoreMismatches = 0;
  for (const code of communes) {
    const tokenless = await tokenlessDeviceIds(store, code);
    for (const device of await listDevices(store, code)) devices.push(await toView(store, device, tokenless));
    scoreMismatches += await countScoreMismatches(store, code);
  }
  return { command: 'devices', devices, scoreMismatches };
}
