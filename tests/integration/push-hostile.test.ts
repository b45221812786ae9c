import { describe, expect, it } from 'vitest';
import { findDevice } from '../../src/server/admin/device-rows';
import type { Device } from '../../src/server/auth/devices';
import { MIGRATIONS, runMigrations } from '../../src/server/store/migrations';
import { applyPush, type ApplyMode } from '../../src/server/sync/push';
import { errorBodySchema } from '../../src/shared/protocol/errors.schema';
import { MAX_NESTING_DEPTH, MAX_STRING_LENGTH } from '../../src/shared/protocol/input-limits';
import { pushResponseSchema, type PushOp, type PushResponse } from '../../src/shared/protocol/sync.schema';
import {
  citizenData,
  enrollDevice,
  householdData,
  newId,
  opBuilder,
  pullAll,
  pushOk,
  pushOps,
  useSyncServer,
  villageData,
  type EnrolledDevice,
} from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

let communeCounter = 0;
/** Each test works in its own commune, so what it reads back is what it wrote. */
const freshCommune = () => String(36000 + (communeCounter += 1));

/** `{"a":{"a":…"x"…}}` nested `levels` deep; built as text, as a hostile client would send it. */
const deepJson = (levels: number) => '{"a":'.repeat(levels) + '"x"' + '}'.repeat(levels);

/** The request body as text, `data` of op `index` replaced by raw JSON (for nesting no JSON.stringify could make). */
function bodyWithRawData(deviceId: string, ops: readonly PushOp[], index: number, rawData: string): string {
  const marker = '"__RAW_DATA__"';
  const patched = ops.map((op, i) => (i === index ? { ...op, data: '__RAW_DATA__' } : op));
  return JSON.stringify({ protocol: 1, deviceId, ops: patched }).replace(marker, rawData);
}

describe.each(STORE_CASES)('hostile and broken pushes on $kind', (storeCase) => {
  const server = useSyncServer(storeCase);

  async function setUp(villageIds: string[] | null = null) {
    const communeCode = freshCommune();
    const device = await enrollDevice(server.baseUrl, server.store, { communeCode, villageIds });
    return { communeCode, device, ops: opBuilder(communeCode) };
  }
  const push = (device: EnrolledDevice, body: unknown) =>
    pushOps(server.baseUrl, device.token, body as Record<string, unknown>);
  const pushText = async (device: EnrolledDevice, text: string) => {
    const response = await fetch(`${server.baseUrl}/api/v1/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${device.token}` },
      body: text,
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const storedIds = async (communeCode: string) =>
    (
      await server.store.query<{ id: string }>(
        'SELECT id::text AS id FROM records WHERE commune_code = $1 ORDER BY id',
        [communeCode],
      )
    ).map((r) => r.id);
  const recordedSeqs = async (communeCode: string, deviceId: string) =>
    (
      await server.store.query<{ seq: number }>(
        'SELECT seq::int AS seq FROM applied_ops WHERE commune_code = $1 AND device_id = $2 ORDER BY seq',
        [communeCode, deviceId],
      )
    ).map((r) => r.seq);
  const storedData = async (communeCode: string, id: string) =>
    (
      await server.store.query<{ data: unknown; score_mismatch: unknown }>(
        'SELECT data, score_mismatch FROM records WHERE commune_code = $1 AND id = $2',
        [communeCode, id],
      )
    )[0];

  const HOSTILE: { name: string; data: (villageId: string) => unknown; path: string; message: string }[] = [
    {
      name: 'a NUL pasted into a known field',
      data: () => villageData({ name: 'Thôn\u0000 Đông' }),
      path: 'data.name',
      message: 'errors.text.invalidCharacters',
    },
    {
      name: 'a NUL in a key',
      data: () => villageData({ 'ghi\u0000chú': 'x' }),
      path: 'data.ghi\uFFFDchú',
      message: 'errors.text.invalidCharacters',
    },
    {
      name: 'a NUL in a field the schema does not know',
      data: () => villageData({ extra: 'a\u0000' }),
      path: 'data.extra',
      message: 'errors.text.invalidCharacters',
    },
    {
      name: 'the first half of an emoji alone',
      data: () => villageData({ name: 'Thôn \uD83D' }),
      path: 'data.name',
      message: 'errors.text.invalidCharacters',
    },
    {
      name: 'the second half of an emoji alone',
      data: () => villageData({ other: ['ok', '\uDE00'] }),
      path: 'data.other.1',
      message: 'errors.text.invalidCharacters',
    },
    {
      name: 'a string past the documented size',
      data: () => villageData({ extra: 'x'.repeat(MAX_STRING_LENGTH + 1) }),
      path: 'data.extra',
      message: `errors.text.tooLong?max=${MAX_STRING_LENGTH}`,
    },
  ];

  it.each(HOSTILE)(
    'an op with $name is rejected on its own with validation_failed, and the ops around it apply and are acknowledged',
    async ({ data, path, message }) => {
      const { communeCode, device, ops } = await setUp();
      const [before, bad, after] = [newId(), newId(), newId()];
      const batch = [
        ops.upsert('village', before, villageData()),
        ops.upsert('village', bad, data(before)),
        ops.upsert('household', after, householdData(before)),
      ];
      const answer = await push(device, { protocol: 1, deviceId: device.deviceId, ops: batch });
      expect(answer.status).toBe(200);
      const response = pushResponseSchema.parse(answer.body);
      expect(response.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
      expect(response.results[1]).toMatchObject({
        opId: batch[1]?.opId,
        error: { code: 'validation_failed', details: [{ path, message }] },
      });
      expect(response.ackSeq).toBe(3);
      expect(await storedIds(communeCode)).toEqual([before, after].sort());
      // Re-sent as the app does with a frozen batch: the same answers, nothing applied twice.
      const again = pushResponseSchema.parse(
        (await push(device, { protocol: 1, deviceId: device.deviceId, ops: batch })).body,
      );
      expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'rejected', 'duplicate']);
      expect(again.results[1]).toEqual(response.results[1]);
      expect(await recordedSeqs(communeCode, device.deviceId)).toEqual([1, 2, 3]);
    },
  );

  it('an op whose data is nested 5,000 deep is rejected on its own, with the documented depth in its details', async () => {
    const { communeCode, device, ops } = await setUp();
    const [first, deep, last] = [newId(), newId(), newId()];
    const batch = [
      ops.upsert('village', first, villageData()),
      ops.upsert('village', deep, null),
      ops.upsert('village', last, villageData()),
    ];
    for (const raw of [
      deepJson(5000),
      `{"name":"Thôn","kind":"thon","isDisadvantagedArea":false,"extra":${deepJson(5000)}}`,
    ]) {
      const answer = await pushText(device, bodyWithRawData(device.deviceId, batch, 1, raw));
      expect(answer.status).toBe(200);
      const response = pushResponseSchema.parse(answer.body);
      expect(response.results.map((r) => r.status)).toEqual(
        raw === deepJson(5000) ? ['applied', 'rejected', 'applied'] : ['duplicate', 'rejected', 'duplicate'],
      );
      const rejected = response.results[1];
      expect(rejected?.status === 'rejected' && rejected.error.details?.[0]?.message).toBe(
        `errors.input.tooDeep?max=${MAX_NESTING_DEPTH}`,
      );
      expect(response.ackSeq).toBe(3);
    }
    expect(await storedIds(communeCode)).toEqual([first, last].sort());
  });

  it('an op whose other fields are wrong is rejected on its own, while an op without a usable opId or seq makes the request 400 naming it', async () => {
    const { communeCode, device, ops } = await setUp();
    const good = ops.upsert('village', newId(), villageData());
    const wrongKind = { ...ops.upsert('village', newId(), villageData()), kind: 'merge' };
    const wrongTypes = {
      ...ops.upsert('village', newId(), villageData()),
      recordId: 42,
      baseVersion: 'one',
      clientTime: 'yesterday',
    };
    const answer = await push(device, { protocol: 1, deviceId: device.deviceId, ops: [good, wrongKind, wrongTypes] });
    expect(answer.status).toBe(200);
    const response = pushResponseSchema.parse(answer.body);
    expect(response.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'rejected']);
    expect(response.results[1]).toMatchObject({
      error: { code: 'validation_failed', details: [{ path: 'kind', message: 'errors.input.invalidOperation' }] },
    });
    const paths =
      response.results[2]?.status === 'rejected' ? response.results[2].error.details?.map((d) => d.path).sort() : [];
    expect(paths).toEqual(['baseVersion', 'clientTime', 'recordId']);
    expect(response.ackSeq).toBe(3);
    expect(await storedIds(communeCode)).toEqual([good.recordId]);

    for (const [field, value] of [
      ['opId', 'not-a-uuid'],
      ['seq', 0],
      ['seq', 1.5],
      ['seq', '4'],
      ['opId', undefined],
    ] as const) {
      const broken = { ...ops.upsert('village', newId(), villageData()), [field]: value };
      const refused = await push(device, {
        protocol: 1,
        deviceId: device.deviceId,
        ops: [ops.upsert('village', newId(), villageData()), broken],
      });
      expect(refused.status).toBe(400);
      const { error } = errorBodySchema.parse(refused.body);
      expect(error.code).toBe('invalid_request');
      expect(error.details?.map((d) => d.path)).toEqual([`body.ops.1.${field}`]);
    }
    expect(await storedIds(communeCode)).toEqual([good.recordId]);
  });

  it('the OpenAPI document still describes the whole op a device sends, and which part of it the request checks as a whole', async () => {
    const doc = (await (await fetch(`${server.baseUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<
        string,
        {
          post?: {
            requestBody?: {
              content: Record<string, { schema: { properties: { ops: { items: Record<string, unknown> } } } }>;
            };
          };
        }
      >;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const items =
      doc.paths['/api/v1/sync/push']?.post?.requestBody?.content['application/json']?.schema.properties.ops.items;
    expect(items).toMatchObject({ required: ['opId', 'seq'], allOf: [{ $ref: '#/components/schemas/PushOpInput' }] });
    expect(Object.keys(doc.components.schemas.PushOpInput?.properties ?? {}).sort()).toEqual(
      ['baseVersion', 'clientTime', 'communeCode', 'data', 'entity', 'kind', 'opId', 'recordId', 'seq'].sort(),
    );
  });

  it('stores data as validated: unknown keys dropped, a year sent as text stored as a number, text normalised', async () => {
    const { communeCode, device, ops } = await setUp();
    const [villageId, householdId, citizenId] = [newId(), newId(), newId()];
    await pushOk(server.baseUrl, device, [
      ops.upsert('village', villageId, villageData({ secret: 'kept nowhere' })),
      ops.upsert(
        'household',
        householdId,
        householdData(villageId, { headName: '  Nguyễn   Văn An ', injected: { deep: [1, 2] } }),
      ),
      ops.upsert('citizen', citizenId, citizenData(householdId, { birthYear: '1990', unknownFlag: true })),
    ]);
    expect((await storedData(communeCode, villageId))?.data).toEqual(villageData());
    expect((await storedData(communeCode, householdId))?.data).toEqual({
      villageId,
      headName: 'Nguyễn Văn An',
      address: 'Xóm 2',
    });
    const citizen = (await storedData(communeCode, citizenId))?.data;
    expect(citizen).toEqual({ ...citizenData(householdId), birthYear: 1990 });
    const pulled = (await pullAll(server.baseUrl, device.token)).changes;
    expect(pulled.find((c) => c.id === citizenId)?.data).toEqual(citizen);
    expect(JSON.stringify(pulled)).not.toMatch(/secret|injected|unknownFlag/);
  });

  it('reusing an opId with a new seq, in one batch or a later one, is rejected and recorded for that seq, so ackSeq moves on and a re-send is answered the same', async () => {
    const { communeCode, device, ops } = await setUp();
    const first = ops.upsert('village', newId(), villageData());
    const reusedInBatch = { ...ops.upsert('village', newId(), villageData()), opId: first.opId };
    const third = ops.upsert('village', newId(), villageData());
    const batch = [first, reusedInBatch, third];
    const answer = pushResponseSchema.parse(
      (await push(device, { protocol: 1, deviceId: device.deviceId, ops: batch })).body,
    );
    expect(answer.results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
    expect(answer.results[1]).toMatchObject({
      opId: first.opId,
      error: {
        code: 'validation_failed',
        message: `opId ${first.opId} was used before with seq 1`,
        details: [{ path: 'opId', message: 'errors.input.opIdReused' }],
      },
    });
    expect(answer.ackSeq).toBe(3);

    const reusedLater = { ...ops.upsert('village', newId(), villageData()), opId: third.opId };
    const fifth = ops.upsert('village', newId(), villageData());
    const later = pushResponseSchema.parse(
      (await push(device, { protocol: 1, deviceId: device.deviceId, ops: [reusedLater, fifth] })).body,
    );
    expect(later.results.map((r) => r.status)).toEqual(['rejected', 'applied']);
    expect(later.ackSeq).toBe(5);

    const again = pushResponseSchema.parse(
      (await push(device, { protocol: 1, deviceId: device.deviceId, ops: batch })).body,
    );
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'rejected', 'duplicate']);
    expect(again.results[1]).toEqual(answer.results[1]);
    expect(await recordedSeqs(communeCode, device.deviceId)).toEqual([1, 2, 3, 4, 5]);
    expect(await storedIds(communeCode)).toEqual([first.recordId, third.recordId, fifth.recordId].sort());
  });

  it('a tombstone keeps no data and no score flag, whichever way the push is applied, and a phone that could have held the record receives it without data', async () => {
    const { communeCode, device, ops } = await setUp();
    const found = await findDevice(server.store, device.deviceId);
    if (!found) throw new Error('device missing');
    const [villageId, householdId, citizenId] = [newId(), newId(), newId()];
    await pushOk(server.baseUrl, device, [
      ops.upsert('village', villageId, villageData()),
      ops.upsert('household', householdId, householdData(villageId, { phone: '0912345678' })),
      ops.upsert('citizen', citizenId, citizenData(householdId)),
    ]);
    await server.store.query(
      `UPDATE records SET score_mismatch = '{"device":1}'::jsonb WHERE commune_code = $1 AND id = $2`,
      [communeCode, householdId],
    );
    const other = await enrollDevice(server.baseUrl, server.store, { communeCode });
    const applyAs = (mode: ApplyMode, op: PushOp): Promise<PushResponse> =>
      applyPush(
        server.store,
        found satisfies Device,
        { protocol: 1, deviceId: device.deviceId, ops: [op] },
        new Date(),
        mode,
      );
    expect((await applyAs('batch', ops.remove('household', householdId, 1))).results[0]?.status).toBe('applied');
    expect((await applyAs('oneByOne', ops.remove('citizen', citizenId, 1))).results[0]?.status).toBe('applied');
    for (const id of [householdId, citizenId])
      expect(await storedData(communeCode, id)).toEqual({ data: null, score_mismatch: null });

    const pulled = (await pullAll(server.baseUrl, other.token)).changes.filter((c) => c.deleted);
    expect(
      pulled.map((c) => ({ id: c.id, data: c.data, version: c.version })).sort((a, b) => a.id.localeCompare(b.id)),
    ).toEqual([householdId, citizenId].sort().map((id) => ({ id, data: null, version: 2 })));
    expect(JSON.stringify(pulled)).not.toContain('0912345678');
  });
});

describe.each(STORE_CASES)('the tombstone migration on $kind', (storeCase) => {
  it('drops the data and score flag of tombstones stored before, and leaves live records and the change feed as they were', async () => {
    const { store, dispose } = await storeCase.open();
    try {
      await runMigrations(
        store,
        MIGRATIONS.filter((m) => m.version < 6),
      );
      const [dead, live] = [newId(), newId()];
      await store.query(
        `INSERT INTO records (commune_code, entity, id, version, deleted, data, updated_at, updated_by, created_by, village_id, score_mismatch)
         VALUES ('25942', 'household', $1, 2, true, '{"headName":"Nguyễn Văn An","phone":"0912345678"}', now(), $3, $3, NULL, '{"device":1}'),
                ('25942', 'household', $2, 1, false, '{"headName":"Trần Thị Bình"}', now(), $3, $3, NULL, NULL)`,
        [dead, live, newId()],
      );
      const feedBefore = await store.query(
        'SELECT id::text AS id, change_seq::text AS change_seq FROM records ORDER BY id',
      );
      await runMigrations(store);
      const rows = await store.query<{ id: string; data: unknown; score_mismatch: unknown }>(
        'SELECT id::text AS id, data, score_mismatch FROM records ORDER BY id',
      );
      expect(rows.find((r) => r.id === dead)).toMatchObject({ data: null, score_mismatch: null });
      expect(rows.find((r) => r.id === live)).toMatchObject({ data: { headName: 'Trần Thị Bình' } });
      expect(
        await store.query('SELECT id::text AS id, change_seq::text AS change_seq FROM records ORDER BY id'),
      ).toEqual(feedBefore);
    } finally {
      await dispose();
    }
  });
});
