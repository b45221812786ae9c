import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../src/server/admin/commands';
import type { DevicesResult, DeviceView } from '../../src/server/admin/devices-command';
import type { EnrollmentCodeResult } from '../../src/server/admin/enrollment-command';
import type { ImportResult } from '../../src/server/admin/import-command';
import { generateDemoRegister } from '../../src/server/admin/demo/demo-register';
import type { SeedResult } from '../../src/server/admin/seed-command';
import { seedDemoOptions } from '../../src/server/admin/seed-ops';
import type { Store } from '../../src/server/store/store';
import { currentYearIn } from '../../src/server/sync/validate-record';
import { EXPORT_FILE_FORMAT, type ExportFile } from '../../src/shared/protocol/export-file.schema';
import { errorBodySchema } from '../../src/shared/protocol/errors.schema';
import type { PushOp } from '../../src/shared/protocol/sync.schema';
import { ENTITIES, type Entity } from '../../src/shared/schemas/entities';
import { recordSchemaFor } from '../../src/shared/schemas/record-schemas';
import {
  citizenData,
  enrollDevice,
  householdData,
  newId,
  opBuilder,
  postJson,
  pullPage,
  pushOk,
  startSyncServer,
  villageData,
  type SyncServer,
} from '../support/sync-fixtures';
import { signedBy } from '../support/signed-export';
import { STORE_CASES } from '../support/test-stores';

const HOUR_MS = 60 * 60 * 1000;
const ctx = { now: () => new Date() };

/** Communes of the national list (the commands refuse others); each test of a store case takes its own. */
const COMMUNES = [
  '25747',
  '25750',
  '25760',
  '25768',
  '25771',
  '25777',
  '25780',
  '25792',
  '25807',
  '25813',
  '25819',
  '25822',
];
let nextCommune = 0;
const freshCommune = () => {
  const code = COMMUNES[nextCommune++];
  if (!code) throw new Error('add communes to the test list');
  return code;
};

async function countByEntity(store: Store, communeCode: string): Promise<Partial<Record<Entity, number>>> {
  const rows = await store.query<{ entity: Entity; n: number }>(
    'SELECT entity, count(*)::int AS n FROM records WHERE commune_code = $1 GROUP BY entity',
    [communeCode],
  );
  return Object.fromEntries(rows.map((r) => [r.entity, r.n]));
}

async function recordVersions(store: Store, communeCode: string) {
  return store.query<{ id: string; version: number }>(
    'SELECT id::text AS id, version FROM records WHERE commune_code = $1 ORDER BY id',
    [communeCode],
  );
}

function exportFile(communeCode: string, ops: PushOp[], deviceId: string | null = null): ExportFile {
  return {
    format: EXPORT_FILE_FORMAT,
    version: 1,
    exportedAt: new Date().toISOString(),
    deviceId,
    deviceName: 'Máy chị Lan – thôn Đông',
    communeCode,
    ops,
  };
}

/** Three changes a device made offline: a village, a household in it, its head. */
function offlineOps(communeCode: string): PushOp[] {
  const ops = opBuilder(communeCode);
  const villageId = newId();
  const householdId = newId();
  return [
    ops.upsert('village', villageId, villageData()),
    ops.upsert('household', householdId, householdData(villageId)),
    ops.upsert('citizen', newId(), citizenData(householdId)),
  ];
}

describe('the demo register generator', () => {
  it('gives the same records, ids included, for the same seed and another register for another seed', () => {
    const first = generateDemoRegister(seedDemoOptions(40, 5, 2026));
    const again = generateDemoRegister(seedDemoOptions(40, 5, 2026));
    const other = generateDemoRegister(seedDemoOptions(40, 6, 2026));
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    expect(other.households.map((h) => h.id)).not.toEqual(first.households.map((h) => h.id));
  });
});

describe.each(STORE_CASES)('admin commands on $kind', (storeCase) => {
  let server: SyncServer;
  beforeAll(async () => {
    nextCommune = 0; // a fresh database for each store case
    server = await startSyncServer(storeCase);
  });
  afterAll(async () => {
    await server?.close();
  });
  const run = (command: Parameters<typeof runAdminCommand>[1], args: unknown) =>
    runAdminCommand(server.store, command, args, ctx);
  const enroll = (code: string) => postJson(`${server.baseUrl}/api/v1/devices/enroll`, { code, deviceName: 'Máy thử' });

  it('an enrolment code from the command enrols one device at /devices/enroll, and only once', async () => {
    const communeCode = freshCommune();
    const result = (await run('enrollment-code', { communeCode, expiresInMs: HOUR_MS })) as EnrollmentCodeResult;
    expect(result).toMatchObject({ command: 'enrollment-code', communeCode, villages: null });
    expect(Date.parse(result.expiresAt) - Date.now()).toBeGreaterThan(HOUR_MS - 60_000);

    const first = await enroll(result.code);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ scope: { communeCode, villageIds: null } });
    const again = await enroll(result.code);
    expect(again.status).toBe(400);
    expect(errorBodySchema.parse(again.body).error.code).toBe('invalid_enrollment_code');
  });

  it('an enrolment code for villages named by code or name scopes the device to exactly those villages', async () => {
    const communeCode = freshCommune();
    await run('seed', { communeCode, households: 90, seed: 3 }); // 3 villages: KP01, KP02, KP03
    const result = (await run('enrollment-code', {
      communeCode,
      villages: ['kp01', 'khu pho nhi dong 2'],
      expiresInMs: HOUR_MS,
    })) as EnrollmentCodeResult;
    expect(result.villages?.map((v) => v.name)).toEqual(['Khu phố Nhị Đồng 1', 'Khu phố Nhị Đồng 2']);
    const enrolled = await enroll(result.code);
    expect(enrolled.body).toMatchObject({ scope: { communeCode, villageIds: result.villages?.map((v) => v.id) } });

    await expect(
      run('enrollment-code', { communeCode, villages: ['Thôn Không Có'], expiresInMs: HOUR_MS }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('an unknown commune code or a bad argument is refused with a stable error code', async () => {
    await expect(run('enrollment-code', { communeCode: '99999', expiresInMs: HOUR_MS })).rejects.toMatchObject({
      code: 'unknown_commune',
    });
    await expect(run('seed', { communeCode: '25942', households: 0 })).rejects.toMatchObject({
      code: 'invalid_arguments',
    });
  });

  it('the device list shows an enrolled device, and revoking it makes its token get 401', async () => {
    const communeCode = freshCommune();
    const device = await enrollDevice(server.baseUrl, server.store, { communeCode, deviceName: 'Máy anh Minh' });
    const listed = (await run('devices', { communeCode })) as Extract<DevicesResult, { devices: DeviceView[] }>;
    expect(listed.devices).toEqual([
      expect.objectContaining({
        deviceId: device.deviceId,
        name: 'Máy anh Minh',
        communeCode,
        villages: null,
        revokedAt: null,
        ackSeq: 0,
        canLogIn: true,
      }),
    ]);
    expect((await pullPage(server.baseUrl, device.token)).status).toBe(200);

    const revoked = (await run('devices', { revoke: device.deviceId })) as Extract<
      DevicesResult,
      { revoked: DeviceView }
    >;
    expect(revoked.wasAlreadyRevoked).toBe(false);
    expect(revoked.revoked.revokedAt).not.toBeNull();
    expect((await pullPage(server.baseUrl, device.token)).status).toBe(401);

    const again = (await run('devices', { revoke: device.deviceId })) as Extract<
      DevicesResult,
      { revoked: DeviceView }
    >;
    expect(again.wasAlreadyRevoked).toBe(true);
    await expect(run('devices', { revoke: newId() })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('seeding with the same seed twice stores the same records once', async () => {
    const communeCode = freshCommune();
    const first = (await run('seed', { communeCode, households: 80, seed: 11 })) as SeedResult;
    const total = Object.values(first.records).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(500); // more than one push batch
    expect(first.results).toEqual({ applied: total, duplicate: 0, conflict: 0, rejected: 0 });
    const before = await recordVersions(server.store, communeCode);

    const second = (await run('seed', { communeCode, households: 80, seed: 11 })) as SeedResult;
    expect(second.records).toEqual(first.records);
    expect(second.results).toEqual({ applied: 0, duplicate: total, conflict: 0, rejected: 0 });
    expect(await recordVersions(server.store, communeCode)).toEqual(before);
    expect(before).toHaveLength(total);
  });

  it('seeded records pass the shared schemas, agree with the server score, and match the counts the seed printed', async () => {
    const communeCode = freshCommune();
    const result = (await run('seed', { communeCode, households: 60, seed: 2 })) as SeedResult;
    expect(result.results.rejected).toBe(0);
    expect(await countByEntity(server.store, communeCode)).toEqual(result.records);
    for (const entity of ENTITIES) expect(result.records[entity]).toBeGreaterThan(0);

    const year = currentYearIn(new Date());
    const rows = await server.store.query<{ entity: Entity; data: unknown; score_mismatch: unknown }>(
      'SELECT entity, data, score_mismatch FROM records WHERE commune_code = $1',
      [communeCode],
    );
    const failures = rows.filter((r) => !recordSchemaFor(r.entity, year).safeParse(r.data).success);
    expect(failures).toEqual([]);
    // The device-side score the seed stored is the one the server computes (no flagged mismatch).
    expect(rows.filter((r) => r.score_mismatch !== null)).toEqual([]);

    const assessments = rows
      .filter((r) => r.entity === 'assessment')
      .map((r) => r.data as { title: string; year: number });
    expect(new Set(assessments.map((a) => a.title)).size).toBeGreaterThanOrEqual(4);
    expect([...new Set(assessments.map((a) => a.year))].sort()).toEqual([year - 2, year - 1, year]);
  });

  it('importing an exported file applies its ops, and importing it twice changes nothing', async () => {
    const communeCode = freshCommune();
    const file = exportFile(communeCode, offlineOps(communeCode));
    const first = (await run('import', { file })) as ImportResult;
    expect(first).toMatchObject({
      ops: 3,
      isEnrolledDevice: false,
      deviceCreated: true,
      results: { applied: 3, duplicate: 0, conflict: 0, rejected: 0 },
    });
    expect(await countByEntity(server.store, communeCode)).toEqual({ village: 1, household: 1, citizen: 1 });
    const before = await recordVersions(server.store, communeCode);

    const second = (await run('import', { file })) as ImportResult;
    expect(second).toMatchObject({
      deviceId: first.deviceId,
      deviceCreated: false,
      results: { applied: 0, duplicate: 3, conflict: 0, rejected: 0 },
    });
    expect(await recordVersions(server.store, communeCode)).toEqual(before);

    // The stand-in device can never log in.
    const listed = (await run('devices', { communeCode })) as Extract<DevicesResult, { devices: DeviceView[] }>;
    expect(listed.devices).toEqual([expect.objectContaining({ deviceId: first.deviceId, canLogIn: false, ackSeq: 3 })]);
  });

  it('a later file of the same never-enrolled device applies only its new ops', async () => {
    const communeCode = freshCommune();
    const ops = offlineOps(communeCode);
    await run('import', { file: exportFile(communeCode, ops) });
    const more = opBuilder(communeCode, 4).upsert('village', newId(), villageData({ name: 'Thôn Tây' }));
    const later = (await run('import', { file: exportFile(communeCode, [...ops, more]) })) as ImportResult;
    expect(later.results).toEqual({ applied: 1, duplicate: 3, conflict: 0, rejected: 0 });
  });

  it('a file of an enrolled device counts as that device, so its later push of the same ops is a duplicate', async () => {
    const communeCode = freshCommune();
    const device = await enrollDevice(server.baseUrl, server.store, { communeCode });
    const ops = offlineOps(communeCode);
    const imported = (await run('import', {
      file: signedBy(exportFile(communeCode, ops, device.deviceId), device.token),
    })) as ImportResult;
    expect(imported).toMatchObject({ deviceId: device.deviceId, isEnrolledDevice: true, results: { applied: 3 } });

    const pushed = await pushOk(server.baseUrl, device, ops);
    expect(pushed.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(pushed.ackSeq).toBe(3);
  });

  it('an unsigned file naming an enrolled device is refused with a message saying why, stores nothing, and the device pushes its own ops', async () => {
    const communeCode = freshCommune();
    const device = await enrollDevice(server.baseUrl, server.store, { communeCode });
    const forged = offlineOps(communeCode);

    await expect(run('import', { file: exportFile(communeCode, forged, device.deviceId) })).rejects.toMatchObject({
      code: 'invalid_signature',
      message: expect.stringContaining('không có chữ ký hợp lệ của thiết bị đó'),
    });

    expect(await countByEntity(server.store, communeCode)).toEqual({});
    const pushed = await pushOk(server.baseUrl, device, offlineOps(communeCode));
    expect(pushed.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
  });

  it('a device whose file was imported before it ever enrolled pushes the same ops later as duplicates, not conflicts', async () => {
    const communeCode = freshCommune();
    const ops = offlineOps(communeCode);
    const imported = (await run('import', { file: exportFile(communeCode, ops) })) as ImportResult;
    expect(imported.results.applied).toBe(3);
    const before = await recordVersions(server.store, communeCode);

    const device = await enrollDevice(server.baseUrl, server.store, { communeCode });
    const pushed = await pushOk(server.baseUrl, device, ops);
    expect(pushed.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(pushed.ackSeq).toBe(3);
    expect(await recordVersions(server.store, communeCode)).toEqual(before);
    // A re-send is answered from this device's own record of the ops.
    expect((await pushOk(server.baseUrl, device, ops)).results.map((r) => r.status)).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
  });

  it('a file that is not an export, or whose device belongs to another commune, is refused', async () => {
    await expect(run('import', { file: { format: 'something-else' } })).rejects.toMatchObject({ code: 'invalid_file' });
    const communeCode = freshCommune();
    const device = await enrollDevice(server.baseUrl, server.store, { communeCode });
    await expect(
      run('import', { file: signedBy(exportFile('25942', offlineOps('25942'), device.deviceId), device.token) }),
    ).rejects.toMatchObject({ code: 'commune_mismatch' });
  });
});
