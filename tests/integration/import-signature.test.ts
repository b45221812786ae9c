import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/client/db/db';
import { saveHouseholdWithMembers } from '../../src/client/db/household.repository';
import { writeSetting } from '../../src/client/db/settings.repository';
import { saveVillage } from '../../src/client/db/village.repository';
import { exportUnsynced } from '../../src/client/sync/export-unsynced';
import { revokeDevice } from '../../src/server/auth/devices';
import type { Store } from '../../src/server/store/store';
import { errorBodySchema } from '../../src/shared/protocol/errors.schema';
import { EXPORT_FILE_FORMAT, exportFileSchema, type ExportFile } from '../../src/shared/protocol/export-file.schema';
import { importResponseSchema } from '../../src/shared/protocol/import.schema';
import type { PushOp } from '../../src/shared/protocol/sync.schema';
import { buildHouseholdForm, buildWriteContext } from '../factories/records';
import { signedBy } from '../support/signed-export';
import {
  citizenData,
  enrollDevice,
  householdData,
  newId,
  opBuilder,
  postJson,
  pushOk,
  startSyncServer,
  SYNC_COMMUNE,
  villageData,
  type EnrolledDevice,
  type JsonAnswer,
  type SyncServer,
} from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

/** Communes of the national list (an import needs one); each test works in its own. */
const COMMUNES = ['25747', '25750', '25760', '25768', '25771', '25777', '25780', '25792', '25807', '25813'];

function exportFile(communeCode: string, ops: PushOp[], deviceId: string | null): ExportFile {
  return {
    format: EXPORT_FILE_FORMAT,
    version: 1,
    exportedAt: '2026-11-20T08:15:00.000Z',
    deviceId,
    deviceName: 'Máy chị Lan – thôn Đông',
    communeCode,
    ops,
  };
}

/** A village, a household in it, its head: seqs 1, 2, 3 of whichever device they are sent as. */
function offlineOps(communeCode: string, villageName = 'Thôn Đông'): PushOp[] {
  const ops = opBuilder(communeCode);
  const villageId = newId();
  const householdId = newId();
  return [
    ops.upsert('village', villageId, villageData({ name: villageName })),
    ops.upsert('household', householdId, householdData(villageId)),
    ops.upsert('citizen', newId(), citizenData(householdId)),
  ];
}

const idsOf = (ops: readonly { recordId: string }[]) => ops.map((op) => op.recordId);

async function storedIds(store: Store, ids: readonly string[]): Promise<string[]> {
  const rows = await store.query<{ id: string }>(
    'SELECT id::text AS id FROM records WHERE id = ANY($1::uuid[]) ORDER BY id',
    [ids],
  );
  return rows.map((r) => r.id);
}

describe.each(STORE_CASES)('an import file naming an enrolled device, on $kind', (storeCase) => {
  let server: SyncServer;
  let nextCommune = 0;

  /** A commune of its own, its office device (whole commune) and a phone enrolled there. */
  const communeWithPhone = async (): Promise<{
    communeCode: string;
    office: EnrolledDevice;
    phone: EnrolledDevice;
  }> => {
    const communeCode = COMMUNES[nextCommune++];
    if (!communeCode) throw new Error('add communes to the test list');
    const office = await enrollDevice(server.baseUrl, server.store, { communeCode, deviceName: 'Máy văn phòng xã' });
    const phone = await enrollDevice(server.baseUrl, server.store, { communeCode, deviceName: 'Máy chị Lan' });
    return { communeCode, office, phone };
  };
  const postImport = (token: string, file: unknown): Promise<JsonAnswer> =>
    postJson(`${server.baseUrl}/api/v1/imports`, file, { authorization: `Bearer ${token}` });
  const expectInvalidSignature = (answer: JsonAnswer) => {
    expect(answer.status).toBe(400);
    expect(errorBodySchema.parse(answer.body).error).toEqual({
      code: 'invalid_signature',
      message: 'errors.import.invalidSignature',
    });
  };

  beforeAll(async () => {
    server = await startSyncServer(storeCase);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("refuses an unsigned file naming another enrolled phone, stores nothing, and that phone's own next push still applies", async () => {
    const { communeCode, office, phone } = await communeWithPhone();
    const forged = offlineOps(communeCode, 'Thôn Giả');

    const answer = await postImport(office.token, exportFile(communeCode, forged, phone.deviceId));

    expectInvalidSignature(answer);
    expect(await storedIds(server.store, idsOf(forged))).toEqual([]);
    // The forged file spent none of the phone's seqs: its real ops 1, 2, 3 apply.
    const own = offlineOps(communeCode);
    const pushed = await pushOk(server.baseUrl, phone, own);
    expect(pushed.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(pushed.ackSeq).toBe(3);
  });

  it("refuses a file naming a phone but signed with another device's token, or with a malformed signature", async () => {
    const { communeCode, office, phone } = await communeWithPhone();
    const ops = offlineOps(communeCode);
    const file = exportFile(communeCode, ops, phone.deviceId);

    expectInvalidSignature(await postImport(office.token, signedBy(file, office.token)));
    expectInvalidSignature(
      await postImport(office.token, { ...file, signature: { alg: 'HMAC-SHA256', value: 'not-hex' } }),
    );
    expect(await storedIds(server.store, idsOf(ops))).toEqual([]);
    expect((await pushOk(server.baseUrl, phone, ops)).results.map((r) => r.status)).toEqual([
      'applied',
      'applied',
      'applied',
    ]);
  });

  it('refuses a signed file in which one change was edited after signing, and stores none of its changes', async () => {
    const { communeCode, office, phone } = await communeWithPhone();
    const signed = signedBy(exportFile(communeCode, offlineOps(communeCode), phone.deviceId), phone.token);
    const [village, household, citizen] = signed.ops;
    if (!village || !household || !citizen) throw new Error('three ops expected');
    const tampered: ExportFile = {
      ...signed,
      ops: [village, { ...household, data: householdData(village.recordId, { headName: 'Người Khác' }) }, citizen],
    };

    expectInvalidSignature(await postImport(office.token, tampered));

    expect(await storedIds(server.store, idsOf(signed.ops))).toEqual([]);
    // The untouched file is the phone's own and imports.
    expect(importResponseSchema.parse((await postImport(office.token, signed)).body).results.applied).toBe(3);
  });

  it("imports a phone's genuine export, made by the app's own export code, as that phone's pushes", async () => {
    const communeCode = SYNC_COMMUNE; // the commune the client factories write in
    const office = await enrollDevice(server.baseUrl, server.store, { communeCode, deviceName: 'Máy văn phòng xã' });
    const phone = await enrollDevice(server.baseUrl, server.store, { communeCode, deviceName: 'Máy chị Lan' });
    const db = await openDatabase(`import-signature-${newId()}`);
    try {
      const now = new Date();
      const ctx = buildWriteContext({ communeCode, newId, now });
      await writeSetting(
        db,
        'commune',
        { communeCode, communeName: 'Phường Dĩ An', provinceCode: '79', provinceName: 'Thành phố Hồ Chí Minh' },
        now,
      );
      await writeSetting(db, 'deviceName', 'Máy chị Lan – thôn Đông', now);
      await writeSetting(
        db,
        'syncAccount',
        {
          serverUrl: server.baseUrl,
          deviceId: phone.deviceId,
          token: phone.token,
          scope: phone.scope,
          enrolledAt: now.toISOString(),
        },
        now,
      );
      const village = await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
      await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(village.id));

      // As the office receives it: the file the phone downloaded, read back from disk.
      const written = JSON.stringify(await exportUnsynced(db, now), null, 1);
      const file = exportFileSchema.parse(JSON.parse(written));
      expect(file.signature?.alg).toBe('HMAC-SHA256');
      const answer = await postImport(office.token, file);

      expect(answer.status).toBe(200);
      expect(importResponseSchema.parse(answer.body)).toMatchObject({
        isEnrolledDevice: true,
        results: { applied: file.ops.length, rejected: 0 },
      });
      expect(await storedIds(server.store, idsOf(file.ops))).toHaveLength(new Set(idsOf(file.ops)).size);
      const pushed = await pushOk(server.baseUrl, phone, file.ops);
      expect(pushed.results.every((r) => r.status === 'duplicate')).toBe(true);
    } finally {
      db.close();
      await db.delete();
    }
  });

  it("still imports a never-enrolled device's unsigned file as a stand-in, whether it names no device or one unknown here", async () => {
    const { communeCode, office } = await communeWithPhone();
    for (const deviceId of [null, newId()]) {
      const ops = offlineOps(communeCode);
      const answer = await postImport(office.token, exportFile(communeCode, ops, deviceId));
      expect(answer.status).toBe(200);
      expect(importResponseSchema.parse(answer.body)).toMatchObject({
        isEnrolledDevice: false,
        results: { applied: 3 },
      });
    }
  });

  it('refuses a file naming a stand-in device, which has no token to sign with', async () => {
    const { communeCode, office } = await communeWithPhone();
    await postImport(office.token, exportFile(communeCode, offlineOps(communeCode), null));
    const [standIn] = await server.store.query<{ device_id: string }>(
      "SELECT device_id::text AS device_id FROM devices WHERE commune_code = $1 AND starts_with(token_hash, 'no-token:')",
      [communeCode],
    );
    if (!standIn) throw new Error('the import made no stand-in device');
    const ops = offlineOps(communeCode, 'Thôn Giả');

    expectInvalidSignature(await postImport(office.token, exportFile(communeCode, ops, standIn.device_id)));
    expect(await storedIds(server.store, idsOf(ops))).toEqual([]);
  });

  it('imports a file a phone signed before it was revoked', async () => {
    const { communeCode, office, phone } = await communeWithPhone();
    const file = signedBy(exportFile(communeCode, offlineOps(communeCode), phone.deviceId), phone.token);
    expect(await revokeDevice(server.store, { communeCode, deviceId: phone.deviceId, now: new Date() })).toBe(true);

    const answer = await postImport(office.token, file);

    expect(importResponseSchema.parse(answer.body)).toMatchObject({ isEnrolledDevice: true, results: { applied: 3 } });
  });
});
