import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDevices, revokeDevice } from '../../src/server/auth/devices';
import { createEnrollmentCode } from '../../src/server/auth/enrollment';
import { errorBodySchema } from '../../src/shared/protocol/errors.schema';
import { enrollResponseSchema, pullResponseSchema } from '../../src/shared/protocol/sync.schema';
import {
  citizenData,
  enrollDevice,
  householdData,
  newId,
  opBuilder,
  postJson,
  pullAll,
  pullPage,
  pushOk,
  pushOps,
  startSyncServer,
  useSyncServer,
  villageData,
  type SyncServer,
} from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

const HOUR_MS = 60 * 60 * 1000;
let communeCounter = 0;
/** Each test works in its own commune, so pulls see only what the test wrote. */
const freshCommune = () => String(31000 + (communeCounter += 1));

describe.each(STORE_CASES)('sync server auth and scope on $kind', (storeCase) => {
  const server = useSyncServer(storeCase);
  const enroll = (body: unknown) => postJson(`${server.baseUrl}/api/v1/devices/enroll`, body);

  it('enrolling with a fresh code gives a token and scope, and the code cannot be used twice', async () => {
    const villageId = newId();
    const { code } = await createEnrollmentCode(server.store, {
      communeCode: '25942',
      villageIds: [villageId],
      expiresInMs: HOUR_MS,
      now: new Date(),
    });
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);

    const first = await enroll({ code, deviceName: 'Điện thoại chị Lan' });
    expect(first.status).toBe(200);
    const enrolled = enrollResponseSchema.parse(first.body);
    expect(enrolled.scope).toEqual({ communeCode: '25942', villageIds: [villageId] });

    const again = await enroll({ code, deviceName: 'Máy khác' });
    expect(again.status).toBe(400);
    expect(errorBodySchema.parse(again.body).error.code).toBe('invalid_enrollment_code');
  });

  it('two devices racing with one code: exactly one is enrolled', async () => {
    const { code } = await createEnrollmentCode(server.store, {
      communeCode: '25942',
      expiresInMs: HOUR_MS,
      now: new Date(),
    });
    const answers = await Promise.all([
      enroll({ code, deviceName: 'A' }),
      enroll({ code, deviceName: 'B' }),
      enroll({ code, deviceName: 'C' }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400]);
  });

  it('an expired code is refused', async () => {
    const { code } = await createEnrollmentCode(server.store, {
      communeCode: '25942',
      expiresInMs: HOUR_MS,
      now: new Date(Date.now() - 2 * HOUR_MS),
    });
    const answer = await enroll({ code, deviceName: 'Máy cũ' });
    expect(answer.status).toBe(400);
    expect(errorBodySchema.parse(answer.body).error.code).toBe('invalid_enrollment_code');
  });

  it('an unknown code is refused, and a known one may be typed in lower case without its dash', async () => {
    const unknown = await enroll({ code: 'ABCDE-FGHJK', deviceName: 'Máy' });
    expect(errorBodySchema.parse(unknown.body).error.code).toBe('invalid_enrollment_code');
    const { code } = await createEnrollmentCode(server.store, {
      communeCode: '25942',
      expiresInMs: HOUR_MS,
      now: new Date(),
    });
    const typed = await enroll({ code: ` ${code.replace('-', '').toLowerCase()} `, deviceName: 'Máy' });
    expect(typed.status).toBe(200);
  });

  it('the server stores only hashes of enrolment codes and tokens', async () => {
    const { code } = await createEnrollmentCode(server.store, {
      communeCode: '25942',
      expiresInMs: HOUR_MS,
      now: new Date(),
    });
    const { token } = enrollResponseSchema.parse((await enroll({ code, deviceName: 'Máy' })).body);
    const codes = await server.store.query<{ code_hash: string }>('SELECT code_hash FROM enrollment_codes');
    const tokens = await server.store.query<{ token_hash: string }>('SELECT token_hash FROM devices');
    expect(codes.every((r) => /^[0-9a-f]{64}$/.test(r.code_hash) && !r.code_hash.includes(code))).toBe(true);
    expect(tokens.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash) && r.token_hash !== token)).toBe(true);
  });

  it('no, an unknown or a revoked token is refused with 401 and the error body', async () => {
    const communeCode = freshCommune();
    const device = await enrollDevice(server.baseUrl, server.store, { communeCode });
    const url = `${server.baseUrl}/api/v1/sync/pull`;
    expect((await fetch(url)).status).toBe(401);
    const unknown = await fetch(url, { headers: { authorization: `Bearer ${'x'.repeat(43)}` } });
    expect(unknown.status).toBe(401);
    expect(errorBodySchema.parse(await unknown.json()).error.code).toBe('unauthorized');
    expect((await pullPage(server.baseUrl, device.token)).status).toBe(200);

    expect(await listDevices(server.store, communeCode)).toMatchObject([
      { deviceId: device.deviceId, revokedAt: null },
    ]);
    expect(await revokeDevice(server.store, { communeCode, deviceId: device.deviceId, now: new Date() })).toBe(true);
    const revoked = await pullPage(server.baseUrl, device.token);
    expect(revoked.status).toBe(401);
    expect(errorBodySchema.parse(revoked.body).error.code).toBe('unauthorized');
    const ops = opBuilder(communeCode);
    const push = await pushOps(server.baseUrl, device.token, {
      protocol: 1,
      deviceId: device.deviceId,
      ops: [ops.upsert('village', newId(), villageData())],
    });
    expect(push.status).toBe(401);
  });

  it('a push naming another deviceId is refused with 401 and stores nothing', async () => {
    const communeCode = freshCommune();
    const device = await enrollDevice(server.baseUrl, server.store, { communeCode });
    const other = await enrollDevice(server.baseUrl, server.store, { communeCode });
    const ops = opBuilder(communeCode);
    const answer = await pushOps(server.baseUrl, device.token, {
      protocol: 1,
      deviceId: other.deviceId,
      ops: [ops.upsert('village', newId(), villageData())],
    });
    expect(answer.status).toBe(401);
    expect(errorBodySchema.parse(answer.body).error.code).toBe('unauthorized');
    const rows = await server.store.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM records WHERE commune_code = $1',
      [communeCode],
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('a device cannot write or read outside its commune', async () => {
    const mine = freshCommune();
    const theirs = freshCommune();
    const device = await enrollDevice(server.baseUrl, server.store, { communeCode: mine });
    const neighbour = await enrollDevice(server.baseUrl, server.store, { communeCode: theirs });
    const theirVillage = newId();
    await pushOk(server.baseUrl, neighbour, [opBuilder(theirs).upsert('village', theirVillage, villageData())]);

    const intrusion = await pushOk(server.baseUrl, device, [
      opBuilder(theirs).upsert('village', newId(), villageData()),
    ]);
    expect(intrusion.results[0]).toMatchObject({ status: 'rejected', error: { code: 'forbidden_scope' } });
    // The same id in my commune is another record: theirs is untouched and invisible to me.
    const { changes } = await pullAll(server.baseUrl, device.token);
    expect(changes).toEqual([]);
    const theirs2 = await pullAll(server.baseUrl, neighbour.token);
    expect(theirs2.changes.map((c) => c.id)).toEqual([theirVillage]);
  });

  it('a village-scoped device writes and reads only its villages and commune-wide records', async () => {
    const communeCode = freshCommune();
    const admin = await enrollDevice(server.baseUrl, server.store, { communeCode });
    const [villageA, villageB, householdA, householdB, citizenB, clan] = [
      newId(),
      newId(),
      newId(),
      newId(),
      newId(),
      newId(),
    ];
    const adminOps = opBuilder(communeCode);
    await pushOk(server.baseUrl, admin, [
      adminOps.upsert('village', villageA, villageData({ name: 'Thôn A' })),
      adminOps.upsert('village', villageB, villageData({ name: 'Thôn B' })),
      adminOps.upsert('household', householdA, householdData(villageA)),
      adminOps.upsert('household', householdB, householdData(villageB)),
      adminOps.upsert('citizen', citizenB, citizenData(householdB)),
      adminOps.upsert('clan', clan, { name: 'Họ Nguyễn', villageIds: [villageA, villageB] }),
    ]);

    const volunteer = await enrollDevice(server.baseUrl, server.store, { communeCode, villageIds: [villageA] });
    const seen = await pullAll(server.baseUrl, volunteer.token);
    expect(new Set(seen.changes.map((c) => c.id))).toEqual(new Set([villageA, householdA, clan]));

    const ops = opBuilder(communeCode);
    const answer = await pushOk(server.baseUrl, volunteer, [
      ops.upsert('household', newId(), householdData(villageA)),
      ops.upsert('household', newId(), householdData(villageB)),
      ops.upsert('household', householdB, householdData(villageA), 1), // moving B's household into my village
      ops.upsert('citizen', newId(), citizenData(householdB)),
      ops.upsert('village', newId(), villageData()),
      ops.remove('household', householdB, 1),
    ]);
    expect(answer.results.map((r) => (r.status === 'rejected' ? r.error.code : r.status))).toEqual([
      'applied',
      'forbidden_scope',
      'forbidden_scope',
      'forbidden_scope',
      'forbidden_scope',
      'forbidden_scope',
    ]);
    const householdBRow = await server.store.query<{ version: number; deleted: boolean }>(
      'SELECT version, deleted FROM records WHERE commune_code = $1 AND id = $2',
      [communeCode, householdB],
    );
    expect(householdBRow).toEqual([{ version: 1, deleted: false }]);
    // The refusal never shows the out-of-scope record (a conflict would carry it).
    expect(JSON.stringify(answer.results)).not.toContain('Thôn B');
    expect(pullResponseSchema.safeParse((await pullPage(server.baseUrl, volunteer.token)).body).success).toBe(true);
  });
  it('the OpenAPI document lists the sync routes, their schemas and the device token scheme', async () => {
    const doc = (await (await fetch(`${server.baseUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown; requestBody?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/devices/enroll',
        '/api/v1/sync/push',
        '/api/v1/sync/pull',
        '/api/v1/sync/receipt',
        '/api/v1/attachments/{id}',
      ]),
    );
    expect(doc.components.securitySchemes.deviceToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/api/v1/sync/push']?.post?.security).toEqual([{ deviceToken: [] }]);
    expect(doc.paths['/api/v1/sync/push']?.post?.requestBody).toBeDefined();
  });
});

describe('guessing enrolment codes', () => {
  let server: SyncServer;
  let clock = new Date('2026-11-24T03:00:00Z');
  beforeAll(async () => {
    const first = STORE_CASES[0];
    if (!first) throw new Error('no store case');
    server = await startSyncServer(first, { now: () => clock });
  });
  afterAll(async () => {
    await server?.close();
  });
  const enroll = (code: string) => postJson(`${server.baseUrl}/api/v1/devices/enroll`, { code, deviceName: 'Máy' });

  it('after ten wrong codes an address waits (429 with Retry-After), even with a right code, until the window passes', async () => {
    // Ten different first groups: the prefix limit (5 per prefix) is not what this test is about.
    for (let i = 0; i < 10; i += 1) expect((await enroll(`WRNG${'ABCDEFGHJK'[i] ?? 'Z'}-00000`)).status).toBe(400);
    const { code } = await createEnrollmentCode(server.store, {
      communeCode: '25942',
      expiresInMs: 24 * HOUR_MS,
      now: clock,
    });
    const refused = await enroll(code);
    expect(refused.status).toBe(429);
    expect(errorBodySchema.parse(refused.body).error.code).toBe('overloaded');
    expect(Number(refused.headers.get('retry-after'))).toBe(15 * 60);
    clock = new Date(clock.getTime() + 15 * 60 * 1000 + 1000);
    expect((await enroll(code)).status).toBe(200);
  });
});
