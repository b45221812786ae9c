import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { errorBodySchema } from '../../src/shared/protocol/errors.schema';
import {
  enrollDevice,
  householdData,
  newId,
  opBuilder,
  pushOk,
  useSyncServer,
  villageData,
  type EnrolledDevice,
  type SyncServer,
} from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

let communeCounter = 0;
const freshCommune = () => String(36000 + (communeCounter += 1));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const jpeg = (size = 30_000) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size)]);
const webp = (size = 30_000) => {
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(size + 4, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, randomBytes(size)]);
};
const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(1000)]);

/** The quota the test server is given: two 30 KB photos fit, a third does not. */
const TEST_QUOTA_BYTES = 80_000;

function put(
  server: SyncServer,
  device: EnrolledDevice,
  id: string,
  recordId: string,
  bytes: Buffer,
  contentType = 'image/jpeg',
) {
  const query = new URLSearchParams({ communeCode: device.scope.communeCode, recordId });
  return fetch(`${server.baseUrl}/api/v1/attachments/${id}?${query.toString()}`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${device.token}`,
      'content-type': contentType,
      'x-content-sha256': sha256(bytes),
    },
    body: new Uint8Array(bytes),
  });
}
const get = (server: SyncServer, device: EnrolledDevice, id: string) =>
  fetch(`${server.baseUrl}/api/v1/attachments/${id}`, { headers: { authorization: `Bearer ${device.token}` } });

describe.each(STORE_CASES)('attachment checks on $kind', (storeCase) => {
  const server = useSyncServer(storeCase, { attachmentQuotaBytes: TEST_QUOTA_BYTES });

  /** A commune-wide device with two villages, a household in each. */
  async function setUp() {
    const communeCode = freshCommune();
    const office = await enrollDevice(server.baseUrl, server.store, { communeCode });
    const ops = opBuilder(communeCode);
    const [villageA, villageB, householdA, householdB] = [newId(), newId(), newId(), newId()];
    await pushOk(server.baseUrl, office, [
      ops.upsert('village', villageA, villageData({ name: 'Thôn Đông' })),
      ops.upsert('village', villageB, villageData({ name: 'Thôn Tây' })),
      ops.upsert('household', householdA, householdData(villageA)),
      ops.upsert('household', householdB, householdData(villageB)),
    ]);
    return { communeCode, office, villageA, villageB, householdA, householdB };
  }
  const storedCount = async (id: string) =>
    (await server.store.query<{ n: number }>('SELECT count(*)::int AS n FROM attachments WHERE id = $1', [id]))[0]?.n;

  it('bytes that are not the declared image type are refused with 400 content_type_mismatch and not stored', async () => {
    const { office, householdA } = await setUp();
    for (const [bytes, type] of [
      [png(), 'image/jpeg'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/jpeg'],
      [jpeg(), 'image/webp'],
      [png(), 'image/webp'],
    ] as const) {
      const id = newId();
      const answer = await put(server, office, id, householdA, bytes, type);
      expect(answer.status).toBe(400);
      expect(errorBodySchema.parse(await answer.json()).error.code).toBe('content_type_mismatch');
      expect(await storedCount(id)).toBe(0);
    }
    expect((await put(server, office, newId(), householdA, webp(1000), 'image/webp')).status).toBe(201);
  });

  it('a commune past its photo quota gets 413 quota_exceeded for a new photo, a retried one still 200, other communes unaffected', async () => {
    const { office, householdA } = await setUp();
    const first = { id: newId(), bytes: jpeg() };
    expect((await put(server, office, first.id, householdA, first.bytes)).status).toBe(201);
    expect((await put(server, office, newId(), householdA, jpeg())).status).toBe(201);
    const third = newId();
    const refused = await put(server, office, third, householdA, jpeg());
    expect(refused.status).toBe(413);
    expect(errorBodySchema.parse(await refused.json()).error.code).toBe('quota_exceeded');
    expect(await storedCount(third)).toBe(0);
    expect((await put(server, office, first.id, householdA, first.bytes)).status).toBe(200);

    const elsewhere = await setUp();
    expect((await put(server, elsewhere.office, newId(), elsewhere.householdA, jpeg())).status).toBe(201);
  });

  it('a village device puts and gets photos of its own village only', async () => {
    const { communeCode, office, villageA, villageB, householdA, householdB } = await setUp();
    const phoneA = await enrollDevice(server.baseUrl, server.store, { communeCode, villageIds: [villageA] });
    const phoneB = await enrollDevice(server.baseUrl, server.store, { communeCode, villageIds: [villageB] });
    const ofA = newId();
    expect((await put(server, phoneA, ofA, householdA, jpeg(1000))).status).toBe(201);
    expect((await get(server, phoneA, ofA)).status).toBe(200);
    expect((await get(server, office, ofA)).status).toBe(200);
    expect((await get(server, phoneB, ofA)).status).toBe(403);

    const ofB = newId();
    const intoB = await put(server, phoneA, ofB, householdB, jpeg(1000));
    expect(intoB.status).toBe(403);
    expect(errorBodySchema.parse(await intoB.json()).error.code).toBe('forbidden_scope');
    expect(await storedCount(ofB)).toBe(0);
    expect((await put(server, office, ofB, householdB, jpeg(1000))).status).toBe(201);
    expect((await get(server, phoneA, ofB)).status).toBe(403);
    expect((await get(server, phoneB, ofB)).status).toBe(200);
  });
});
