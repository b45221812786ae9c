import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { errorBodySchema } from '../../src/shared/protocol/errors.schema';
import { MAX_ATTACHMENT_BYTES } from '../../src/shared/protocol/sync.schema';
import {
  enrollDevice,
  householdData,
  newId,
  opBuilder,
  pushOk,
  useSyncServer,
  villageData,
  type EnrolledDevice,
} from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

let communeCounter = 0;
const freshCommune = () => String(35000 + (communeCounter += 1));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** Random bytes with a JPEG start: the server stores bytes, it does not decode images. */
const photo = (size = 50_000) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size)]);

describe.each(STORE_CASES)('attachments on $kind', (storeCase) => {
  const server = useSyncServer(storeCase);

  /** A device with a household on the server, ready to attach evidence to it. */
  async function setUp() {
    const communeCode = freshCommune();
    const device = await enrollDevice(server.baseUrl, server.store, { communeCode });
    const ops = opBuilder(communeCode);
    const [villageId, householdId] = [newId(), newId()];
    await pushOk(server.baseUrl, device, [
      ops.upsert('village', villageId, villageData()),
      ops.upsert('household', householdId, householdData(villageId)),
    ]);
    return { communeCode, device, villageId, householdId };
  }

  function put(
    device: EnrolledDevice,
    id: string,
    query: { communeCode: string; recordId: string },
    bytes: Buffer,
    headers: Record<string, string> = {},
  ) {
    return fetch(`${server.baseUrl}/api/v1/attachments/${id}?${new URLSearchParams(query).toString()}`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${device.token}`,
        'content-type': 'image/jpeg',
        'x-content-sha256': sha256(bytes),
        ...headers,
      },
      body: new Uint8Array(bytes),
    });
  }

  it('attachment put is idempotent and a mismatch is 409', async () => {
    const { communeCode, device, householdId } = await setUp();
    const id = newId();
    const bytes = photo();
    const first = await put(device, id, { communeCode, recordId: householdId }, bytes);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ id, sha256: sha256(bytes), size: bytes.length });
    expect((await put(device, id, { communeCode, recordId: householdId }, bytes)).status).toBe(200);

    const other = await put(device, id, { communeCode, recordId: householdId }, photo());
    expect(other.status).toBe(409);
    expect(errorBodySchema.parse(await other.json()).error.code).toBe('attachment_mismatch');

    const download = await fetch(`${server.baseUrl}/api/v1/attachments/${id}`, {
      headers: { authorization: `Bearer ${device.token}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('bytes that do not match X-Content-SHA256 are refused with 400 hash_mismatch and not stored', async () => {
    const { communeCode, device, householdId } = await setUp();
    const id = newId();
    const answer = await put(device, id, { communeCode, recordId: householdId }, photo(), {
      'x-content-sha256': sha256(Buffer.from('other')),
    });
    expect(answer.status).toBe(400);
    expect(errorBodySchema.parse(await answer.json()).error.code).toBe('hash_mismatch');
    const rows = await server.store.query<{ n: number }>('SELECT count(*)::int AS n FROM attachments WHERE id = $1', [
      id,
    ]);
    expect(rows[0]?.n).toBe(0);
  });

  it('an attachment over 2 MiB is refused with 413, and one of another type with 415', async () => {
    const { communeCode, device, householdId } = await setUp();
    const tooBig = await put(device, newId(), { communeCode, recordId: householdId }, photo(MAX_ATTACHMENT_BYTES));
    expect(tooBig.status).toBe(413);
    const png = await put(device, newId(), { communeCode, recordId: householdId }, photo(), {
      'content-type': 'image/png',
    });
    expect(png.status).toBe(415);
    expect(errorBodySchema.parse(await png.json()).error.code).toBe('unsupported_media_type');
  });

  it('attachments stay inside the scope: other communes and other villages cannot put or get them', async () => {
    const { communeCode, device, householdId } = await setUp();
    const id = newId();
    expect((await put(device, id, { communeCode, recordId: householdId }, photo())).status).toBe(201);

    const outsider = await enrollDevice(server.baseUrl, server.store, { communeCode: freshCommune() });
    const get = (who: EnrolledDevice) =>
      fetch(`${server.baseUrl}/api/v1/attachments/${id}`, { headers: { authorization: `Bearer ${who.token}` } });
    expect((await get(outsider)).status).toBe(404);
    expect((await put(outsider, newId(), { communeCode, recordId: householdId }, photo())).status).toBe(403);

    const otherVillage = await enrollDevice(server.baseUrl, server.store, { communeCode, villageIds: [newId()] });
    expect((await get(otherVillage)).status).toBe(403);
    expect((await put(otherVillage, newId(), { communeCode, recordId: householdId }, photo())).status).toBe(403);
    expect((await fetch(`${server.baseUrl}/api/v1/attachments/${id}`)).status).toBe(401);
  });

  it('an attachment for a record the server does not hold yet is refused with 404', async () => {
    const { communeCode, device } = await setUp();
    const answer = await put(device, newId(), { communeCode, recordId: newId() }, photo());
    expect(answer.status).toBe(404);
    expect(errorBodySchema.parse(await answer.json()).error.code).toBe('not_found');
  });
});
