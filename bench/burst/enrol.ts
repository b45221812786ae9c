/**
 * Before the burst (not timed): the villages go to the server from a commune-wide setup device,
 * then every simulated device joins with a one-time code for its village, as at the commune office,
 * and bootstraps (pulls from the start) so the burst's pull goes on from a real cursor.
 * Codes come from the admin commands: over the running server's admin channel on PGlite (the
 * server owns the data folder), straight on the database for PostgreSQL (no channel there).
 */
import { readAdminChannel } from '../../src/server/admin/admin-channel-file';
import { runAdminCommand } from '../../src/server/admin/commands';
import { callAdminChannel } from '../../src/server/cli/admin-client';
import { openStore } from '../../src/server/store/open-store';
import { enrollResponseSchema } from '../../src/shared/protocol/sync.schema';
import { postJson, pullAll, pushOk, type EnrolledDevice } from '../../tests/support/sync-fixtures';
import type { SimulatedDevice } from './device';
import { BURST_COMMUNE, villageOps, type BurstWorkload } from './workload';

const CODE_LIFETIME_MS = 60 * 60 * 1000;
const PARALLEL = 16;

type MakeCode = (villageId: string | null) => Promise<string>;

function codeOf(answer: object): string {
  const code: unknown = 'code' in answer ? answer.code : undefined;
  if (typeof code !== 'string') throw new Error(`enrollment-code answered without a code: ${JSON.stringify(answer)}`);
  return code;
}

async function withCodeMaker<T>(
  server: { dataDir: string; databaseUrl: string | undefined },
  work: (make: MakeCode) => Promise<T>,
): Promise<T> {
  const args = (villageId: string | null) => ({
    communeCode: BURST_COMMUNE,
    villages: villageId ? [villageId] : null,
    expiresInMs: CODE_LIFETIME_MS,
  });
  if (!server.databaseUrl) {
    const channel = readAdminChannel(server.dataDir);
    if (!channel) throw new Error(`no admin channel in ${server.dataDir}`);
    return work(async (villageId) => codeOf(await callAdminChannel(channel, 'enrollment-code', args(villageId))));
  }
  const store = await openStore({ databaseUrl: server.databaseUrl, dataDir: server.dataDir });
  try {
    return await work(async (villageId) =>
      codeOf(await runAdminCommand(store, 'enrollment-code', args(villageId), { now: () => new Date() })),
    );
  } finally {
    await store.close();
  }
}

async function enrol(baseUrl: string, make: MakeCode, villageId: string | null, name: string): Promise<EnrolledDevice> {
  const answer = await postJson(`${baseUrl}/api/v1/devices/enroll`, { code: await make(villageId), deviceName: name });
  if (answer.status !== 200) throw new Error(`enrolment failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  const { deviceId, token, scope } = enrollResponseSchema.parse(answer.body);
  return { deviceId, token, scope };
}

/** In order, at most PARALLEL at a time. */
async function mapLimited<T, R>(items: readonly T[], work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await work(items[i] as T, i);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, lane));
  return out;
}

export interface PreparedCommune {
  readonly devices: SimulatedDevice[];
  /** A commune-wide device for the verification pull. */
  readonly verifier: EnrolledDevice;
}

export async function prepareCommune(
  server: { url: string; dataDir: string; databaseUrl: string | undefined },
  workload: BurstWorkload,
): Promise<PreparedCommune> {
  return withCodeMaker(server, async (make) => {
    const setup = await enrol(server.url, make, null, 'Máy văn phòng xã');
    const answer = await pushOk(server.url, setup, villageOps(workload));
    if (!answer.results.every((r) => r.status === 'applied'))
      throw new Error(`village setup failed: ${JSON.stringify(answer.results[0])}`);
    const devices = await mapLimited(workload.opsByDevice, async (ops, d) => {
      const village = workload.villages[workload.villageOf[d] ?? -1];
      if (!village) throw new Error(`device ${d} has no village`);
      const device = await enrol(server.url, make, village.id, `Máy thử ${d + 1}`);
      const { cursor } = await pullAll(server.url, device.token);
      return { deviceId: device.deviceId, token: device.token, cursor, ops };
    });
    return { devices, verifier: await enrol(server.url, make, null, 'Máy kiểm tra') };
  });
}
