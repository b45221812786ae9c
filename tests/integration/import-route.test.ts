import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/server/store/store';
import { errorBodySchema } from '../../src/shared/protocol/errors.schema';
import { EXPORT_FILE_FORMAT, type ExportFile } from '../../src/shared/protocol/export-file.schema';
import { importResponseSchema, MAX_IMPORT_BYTES } from '../../src/shared/protocol/import.schema';
import type { PushOp } from '../../src/shared/protocol/sync.schema';
import {
  citizenData,
  enrollDevice,
  householdData,
  newId,
  opBuilder,
  pullAll,
  pushOk,
  startSyncServer,
  villageData,
  type EnrolledDevice,
  type JsonAnswer,
  type SyncServer,
} from '../support/sync-fixtures';
import { signedBy } from '../support/signed-export';
import { STORE_CASES } from '../support/test-stores';

/** Communes of the national list (an import needs one); each test works in its own. */
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

function exportFile(communeCode: string, ops: PushOp[], deviceId: string | null = null): ExportFile {
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

/** What a phone did offline for a day: a village, a household in it, its head. */
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

async function postImport(
  baseUrl: string,
  token: string | undefined,
  body: unknown,
  options: { gzip?: boolean; raw?: Uint8Array<ArrayBuffer> } = {},
): Promise<JsonAnswer> {
  const json = JSON.stringify(body);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
  if (options.gzip || options.raw) headers['content-encoding'] = 'gzip';
  const payload = options.raw ?? (options.gzip ? new Uint8Array(gzipSync(json)) : json);
  const response = await fetch(`${baseUrl}/api/v1/imports`, { method: 'POST', headers, body: payload });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** The server's copy of these records: id, version and last writer. */
async function storedRecords(store: Store, ids: readonly string[]) {
  return store.query<{ id: string; version: number; updated_by: string }>(
    'SELECT id::text AS id, version, updated_by::text AS updated_by FROM records WHERE id = ANY($1::uuid[]) ORDER BY id',
    [ids],
  );
}

const idsOf = (ops: readonly PushOp[]) => ops.map((op) => op.recordId);

describe.each(STORE_CASES)('importing an export file through POST /api/v1/imports on $kind', (storeCase) => {
  let server: SyncServer;
  let nextCommune = 0;
  /** A commune of its own and the office device that imports there (scope: the whole commune). */
  const officeOfFreshCommune = async (): Promise<{ communeCode: string; office: EnrolledDevice }> => {
    const communeCode = COMMUNES[nextCommune++];
    if (!communeCode) throw new Error('add communes to the test list');
    return {
      communeCode,
      office: await enrollDevice(server.baseUrl, server.store, { communeCode, deviceName: 'Máy văn phòng xã' }),
    };
  };

  beforeAll(async () => {
    server = await startSyncServer(storeCase);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("stores the file's records once, and the office device then pulls them", async () => {
    const { communeCode, office } = await officeOfFreshCommune();
    const ops = offlineOps(communeCode);

    const answer = await postImport(server.baseUrl, office.token, exportFile(communeCode, ops), { gzip: true });

    expect(answer.status).toBe(200);
    expect(importResponseSchema.parse(answer.body)).toEqual({
      communeCode,
      deviceName: 'Máy chị Lan – thôn Đông',
      exportedAt: '2026-11-20T08:15:00.000Z',
      ops: 3,
      isEnrolledDevice: false,
      results: { applied: 3, duplicate: 0, conflict: 0, rejected: 0 },
      rejections: [],
    });
    const stored = await storedRecords(server.store, idsOf(ops));
    expect(stored.map((r) => r.version)).toEqual([1, 1, 1]);
    // Applied as the file's stand-in device, not as the office device that sent it.
    expect(stored.every((r) => r.updated_by !== office.deviceId)).toBe(true);
    const pulled = await pullAll(server.baseUrl, office.token);
    expect(pulled.changes.map((c) => c.id).sort()).toEqual([...idsOf(ops)].sort());
  });

  it('changes nothing when the same file is imported a second time', async () => {
    const { communeCode, office } = await officeOfFreshCommune();
    const file = exportFile(communeCode, offlineOps(communeCode));
    await postImport(server.baseUrl, office.token, file);
    const before = await storedRecords(server.store, idsOf(file.ops));

    const again = await postImport(server.baseUrl, office.token, file);

    expect(again.status).toBe(200);
    expect(importResponseSchema.parse(again.body).results).toEqual({
      applied: 0,
      duplicate: 3,
      conflict: 0,
      rejected: 0,
    });
    expect(await storedRecords(server.store, idsOf(file.ops))).toEqual(before);
  });

  it("counts the ops as the enrolled device's own pushes, so that device's later push of them is a duplicate", async () => {
    const { communeCode, office } = await officeOfFreshCommune();
    const phone = await enrollDevice(server.baseUrl, server.store, { communeCode, deviceName: 'Máy chị Lan' });
    const ops = offlineOps(communeCode);

    const answer = await postImport(
      server.baseUrl,
      office.token,
      signedBy(exportFile(communeCode, ops, phone.deviceId), phone.token),
    );

    expect(importResponseSchema.parse(answer.body)).toMatchObject({ isEnrolledDevice: true, results: { applied: 3 } });
    const pushed = await pushOk(server.baseUrl, phone, ops);
    expect(pushed.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
  });

  it('refuses a device scoped to some villages, and stores nothing', async () => {
    const { communeCode } = await officeOfFreshCommune();
    const villagePhone = await enrollDevice(server.baseUrl, server.store, { communeCode, villageIds: [newId()] });
    const ops = offlineOps(communeCode);

    const answer = await postImport(server.baseUrl, villagePhone.token, exportFile(communeCode, ops));

    expect(answer.status).toBe(403);
    expect(errorBodySchema.parse(answer.body).error).toEqual({
      code: 'forbidden_scope',
      message: 'errors.import.notCommuneDevice',
    });
    expect(await storedRecords(server.store, idsOf(ops))).toEqual([]);
  });

  it('refuses a file of another commune, or of a device enrolled in another commune, and stores nothing', async () => {
    const { office } = await officeOfFreshCommune();
    const { communeCode: elsewhere } = await officeOfFreshCommune();
    const otherOps = offlineOps(elsewhere);

    const otherCommune = await postImport(server.baseUrl, office.token, exportFile(elsewhere, otherOps));

    expect(otherCommune.status).toBe(403);
    expect(errorBodySchema.parse(otherCommune.body).error).toEqual({
      code: 'commune_mismatch',
      message: 'errors.import.otherCommune',
    });
    expect(await storedRecords(server.store, idsOf(otherOps))).toEqual([]);

    const foreignPhone = await enrollDevice(server.baseUrl, server.store, { communeCode: elsewhere });
    const ops = offlineOps(office.scope.communeCode);
    const foreignDevice = await postImport(
      server.baseUrl,
      office.token,
      signedBy(exportFile(office.scope.communeCode, ops, foreignPhone.deviceId), foreignPhone.token),
    );
    expect(foreignDevice.status).toBe(403);
    expect(errorBodySchema.parse(foreignDevice.body).error.code).toBe('commune_mismatch');
    expect(await storedRecords(server.store, idsOf(ops))).toEqual([]);
  });

  it('refuses a file that is not an export, or that repeats a seq, saying where, and stores nothing', async () => {
    const { communeCode, office } = await officeOfFreshCommune();
    const notExport = await postImport(server.baseUrl, office.token, {
      ...exportFile(communeCode, offlineOps(communeCode)),
      format: 'something-else',
    });
    expect(notExport.status).toBe(400);
    expect(errorBodySchema.parse(notExport.body).error).toEqual({
      code: 'invalid_file',
      message: 'errors.import.invalidFile',
      details: [{ path: 'body.format', message: 'shape' }],
    });

    const [first, second, third] = offlineOps(communeCode);
    if (!first || !second || !third) throw new Error('three ops expected');
    const edited = [first, { ...second, seq: first.seq }, third];
    const repeated = await postImport(server.baseUrl, office.token, exportFile(communeCode, edited));
    expect(repeated.status).toBe(400);
    expect(errorBodySchema.parse(repeated.body).error.details).toEqual([
      { path: 'body.ops.1.seq', message: 'repeated_seq' },
    ]);
    expect(await storedRecords(server.store, idsOf(edited))).toEqual([]);
  });

  it('refuses a body that inflates past the limit with 413, and a request without a device token with 401', async () => {
    const { office } = await officeOfFreshCommune();
    const bomb = new Uint8Array(gzipSync(Buffer.alloc(MAX_IMPORT_BYTES + 1, ' ')));

    const tooLarge = await postImport(server.baseUrl, office.token, undefined, { raw: bomb });

    expect(tooLarge.status).toBe(413);
    expect(errorBodySchema.parse(tooLarge.body).error).toEqual({
      code: 'payload_too_large',
      message: 'errors.import.tooLarge',
    });
    const anonymous = await postImport(
      server.baseUrl,
      undefined,
      exportFile(office.scope.communeCode, offlineOps(office.scope.communeCode)),
    );
    expect(anonymous.status).toBe(401);
  });

  it('answers an import sent while another one is running with 503 and Retry-After, and the running one completes', async () => {
    const { communeCode, office } = await officeOfFreshCommune();
    const json = JSON.stringify(exportFile(communeCode, offlineOps(communeCode)));
    // The first import's headers are in, its body is not: it holds the import slot.
    const first = http.request(`${server.baseUrl}/api/v1/imports`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(json),
        authorization: `Bearer ${office.token}`,
      },
    });
    const firstAnswer = new Promise<number | undefined>((resolve, reject) => {
      first.on('response', (response) => (response.resume(), resolve(response.statusCode)));
      first.on('error', reject);
    });
    first.write(json.slice(0, 10));

    let second: JsonAnswer | undefined;
    for (let attempt = 0; attempt < 100 && second?.status !== 503; attempt += 1) {
      second = await postImport(server.baseUrl, office.token, exportFile(communeCode, offlineOps(communeCode)));
    }

    expect(second?.status).toBe(503);
    expect(second?.headers.get('retry-after')).toBe('5');
    expect(errorBodySchema.parse(second?.body).error).toEqual({ code: 'overloaded', message: 'errors.import.busy' });
    first.end(json.slice(10));
    expect(await firstAnswer).toBe(200);
  });

  it('is described in the OpenAPI document with its body, answers and the device token', async () => {
    const response = await fetch(`${server.baseUrl}/api/v1/openapi.json`);
    const document = (await response.json()) as {
      paths: Record<
        string,
        { post?: { security?: unknown; requestBody?: unknown; responses?: Record<string, unknown> } }
      >;
    };
    const route = document.paths['/api/v1/imports']?.post;
    expect(route?.security).toEqual([{ deviceToken: [] }]);
    expect(route?.requestBody).toBeDefined();
    expect(Object.keys(route?.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '413', '503']);
  });
});
