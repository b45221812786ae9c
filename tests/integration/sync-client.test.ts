import 'fake-indexeddb/auto';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildHouseholdForm } from '../factories/records';
import { resolveConflict } from '../../src/client/db/conflict.repository';
import { openDatabase, type AppDatabase } from '../../src/client/db/db';
import { listMembers, saveCitizen } from '../../src/client/db/citizen.repository';
import { saveHouseholdWithMembers } from '../../src/client/db/household.repository';
import { serverVersionOf } from '../../src/client/db/server-versions';
import { searchHouseholds } from '../../src/client/db/household-search';
import { outboxTables } from '../../src/client/db/outbox.repository';
import { writeRecord } from '../../src/client/db/record-writes';
import { writeSetting } from '../../src/client/db/settings.repository';
import { saveVillage } from '../../src/client/db/village.repository';
import type { WriteContext } from '../../src/client/db/write-context';
import { createSyncEngine, type SyncEngine, type SyncOutcome } from '../../src/client/sync/sync-engine';
import { createHttpTransport, type SyncTransport } from '../../src/client/sync/transport';
import { uuidv7 } from '../../src/shared/ids';
import { startFlakyProxy } from '../support/flaky-proxy';
import { enrollDevice, SYNC_COMMUNE, useSyncServer, type SyncServer } from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

interface Device {
  readonly db: AppDatabase;
  readonly engine: SyncEngine;
  readonly ctx: () => WriteContext;
  readonly deviceId: string;
  readonly token: string;
}

const COMMUNE = {
  communeCode: SYNC_COMMUNE,
  communeName: 'Phường Dĩ An',
  provinceCode: '79',
  provinceName: 'Thành phố Hồ Chí Minh',
};
const newId = () => uuidv7(Date.now(), randomBytes(16));

async function makeDevice(
  server: SyncServer,
  options: { wrap?: (t: SyncTransport) => SyncTransport; serverUrl?: string } = {},
): Promise<Device> {
  const enrolled = await enrollDevice(server.baseUrl, server.store, { communeCode: SYNC_COMMUNE });
  const db = await openDatabase(`device-${newId()}`);
  await writeSetting(db, 'commune', COMMUNE, new Date());
  const http = createHttpTransport({ serverUrl: options.serverUrl ?? server.baseUrl, token: enrolled.token });
  const transport = options.wrap ? options.wrap(http) : http;
  const engine = createSyncEngine({ db, transport, deviceId: enrolled.deviceId, clock: () => new Date() });
  return {
    db,
    engine,
    ctx: () => ({ now: new Date(), newId, communeCode: SYNC_COMMUNE }),
    deviceId: enrolled.deviceId,
    token: enrolled.token,
  };
}

/** Syncs until the outbox is empty and a run succeeds, as the scheduler would (bounded). */
async function syncUntilDone(device: Device, maxRuns = 400): Promise<{ runs: number; last: SyncOutcome | undefined }> {
  let last: SyncOutcome | undefined;
  for (let run = 1; run <= maxRuns; run += 1) {
    last = await device.engine.syncNow();
    if (last.ok && (await device.db.outbox.count()) === 0) return { runs: run, last };
  }
  return { runs: maxRuns, last };
}

/** The first push reaches the server and is applied, but its answer never comes back. */
function loseFirstPushAnswer(http: SyncTransport): SyncTransport {
  let isLost = false;
  return {
    ...http,
    async push(request) {
      const answer = await http.push(request);
      if (isLost) return answer;
      isLost = true;
      return { ok: false, kind: 'offline' };
    },
  };
}

async function serverCount(server: SyncServer, sql: string, params: unknown[] = []): Promise<number> {
  const rows = await server.store.query<{ n: number }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

describe.each(STORE_CASES)('devices syncing through the server on $kind', (storeCase) => {
  const server = useSyncServer(storeCase);

  it('delivers records made offline on one device to another device of the commune, once', async () => {
    const a = await makeDevice(server);
    const b = await makeDevice(server);
    const village = await saveVillage(a.db, a.ctx(), { name: 'Thôn Đông', kind: 'thon' });
    const household = await saveHouseholdWithMembers(a.db, a.ctx(), buildHouseholdForm(village.id));

    expect((await a.engine.syncNow()).ok).toBe(true);
    expect(await a.db.outbox.count()).toBe(0);
    expect((await b.engine.syncNow()).ok).toBe(true);

    expect((await b.db.households.get(household.id))?.data.headName).toBe('Nguyễn Văn An');
    expect(await listMembers(b.db, household.id)).toHaveLength(3);
    expect((await searchHouseholds(b.db, [village.id], 'nguyen minh chau')).map((h) => h.id)).toEqual([household.id]);
    // A second round changes nothing anywhere.
    await a.engine.syncNow();
    await b.engine.syncNow();
    expect(
      await serverCount(server, 'SELECT count(*)::int AS n FROM records WHERE id = $1 AND version = 1', [household.id]),
    ).toBe(1);
  });

  it('retries a push whose answer was lost after the server committed, without a duplicate', async () => {
    const a = await makeDevice(server, { wrap: loseFirstPushAnswer });
    const village = await saveVillage(a.db, a.ctx(), { name: 'Thôn Lạc', kind: 'thon' });
    expect((await a.engine.syncNow()).ok).toBe(false);
    expect(await a.db.outbox.count()).toBe(1);
    const outcome = await a.engine.syncNow();
    expect(outcome).toMatchObject({ ok: true, push: { applied: 1, conflicts: 0 } });
    expect(await serverCount(server, 'SELECT count(*)::int AS n FROM records WHERE id = $1', [village.id])).toBe(1);
    expect(await serverVersionOf(a.db, await a.db.villages.get(village.id))).toBe(1);
  });

  it('an edit made while a push answer was lost is sent after that answer, not as a false conflict', async () => {
    const a = await makeDevice(server, { wrap: loseFirstPushAnswer });
    const village = await saveVillage(a.db, a.ctx(), { name: 'Thôn Lạc', kind: 'thon' });
    expect((await a.engine.syncNow()).ok).toBe(false);
    await saveVillage(a.db, a.ctx(), { name: 'Thôn Lạc Thượng', kind: 'thon' }, village.id);
    expect(await a.db.outbox.count()).toBe(2);
    const { last } = await syncUntilDone(a, 5);
    expect(last).toMatchObject({ ok: true });
    expect(await a.db.conflicts.count()).toBe(0);
    const rows = await server.store.query<{ version: number; name: string }>(
      "SELECT version, data ->> 'name' AS name FROM records WHERE id = $1",
      [village.id],
    );
    expect(rows).toEqual([{ version: 2, name: 'Thôn Lạc Thượng' }]);
    expect(await serverVersionOf(a.db, await a.db.villages.get(village.id))).toBe(2);
  });

  it('turns a stale update into a conflict that keeps both versions, and the resolution reaches the server', async () => {
    const a = await makeDevice(server);
    const b = await makeDevice(server);
    const village = await saveVillage(a.db, a.ctx(), { name: 'Thôn Hoà Bình', kind: 'thon' });
    await a.engine.syncNow();
    await b.engine.syncNow();

    await saveVillage(b.db, b.ctx(), { name: 'Thôn Hoà Bình (sửa bởi B)', kind: 'thon' }, village.id);
    await b.engine.syncNow();
    await saveVillage(a.db, a.ctx(), { name: 'Thôn Hoà Bình (sửa bởi A)', kind: 'to_dan_pho' }, village.id);
    const outcome = await a.engine.syncNow();

    expect(outcome).toMatchObject({ ok: true, push: { conflicts: 1 } });
    const [conflict] = await a.db.conflicts.toArray();
    expect(conflict).toMatchObject({
      mine: { name: 'Thôn Hoà Bình (sửa bởi A)' },
      theirs: { name: 'Thôn Hoà Bình (sửa bởi B)' },
      theirsVersion: 2,
    });
    const onServer = await server.store.query<{ data: { name: string } }>('SELECT data FROM records WHERE id = $1', [
      village.id,
    ]);
    expect(onServer[0]?.data.name).toBe('Thôn Hoà Bình (sửa bởi B)');

    // A keeps B's name but its own kind; the merge goes out based on version 2 and applies.
    await resolveConflict(a.db, a.ctx(), conflict!.opId, { name: 'theirs', kind: 'mine' }, 'mine');
    expect(await a.engine.syncNow()).toMatchObject({ ok: true, push: { applied: 1, conflicts: 0 } });
    await b.engine.syncNow();
    expect((await b.db.villages.get(village.id))?.data).toMatchObject({
      name: 'Thôn Hoà Bình (sửa bởi B)',
      kind: 'to_dan_pho',
    });
    expect(await serverVersionOf(b.db, await b.db.villages.get(village.id))).toBe(3);
  });

  it('refuses a citizen the server cannot validate and keeps it on the device with the reason', async () => {
    const a = await makeDevice(server);
    const village = await saveVillage(a.db, a.ctx(), { name: 'Ấp 3', kind: 'ap' });
    const household = await saveHouseholdWithMembers(a.db, a.ctx(), buildHouseholdForm(village.id));
    await a.engine.syncNow();
    // An op no repository would make (birth year in the future) reaches the server anyway.
    await a.db.transaction('rw', [a.db.citizens, ...outboxTables(a.db)], () =>
      writeRecord(a.db, a.ctx(), {
        entity: 'citizen',
        id: newId(),
        data: {
          householdId: household.id,
          fullName: 'Lỗi',
          sex: 'nam',
          birthYear: 2999,
          relation: 'con',
          isWorker: false,
          literacy: 'khong_ro',
        },
      }),
    );
    expect(await a.engine.syncNow()).toMatchObject({ ok: true, push: { rejected: 1 } });
    expect(await a.db.rejections.toArray()).toEqual([expect.objectContaining({ code: 'validation_failed' })]);
    await saveCitizen(a.db, a.ctx(), {
      householdId: household.id,
      fullName: 'Phạm Thị Én',
      sex: 'nu',
      birthYear: 1948,
      relation: 'ong_ba',
    });
    expect(await a.engine.syncNow()).toMatchObject({ ok: true, push: { applied: 1 } });
  });

  it('uploads an evidence photo after its assessment is applied, and another device can fetch it', async () => {
    const a = await makeDevice(server);
    const b = await makeDevice(server);
    const village = await saveVillage(a.db, a.ctx(), { name: 'Bản Mông', kind: 'ban' });
    const household = await saveHouseholdWithMembers(a.db, a.ctx(), buildHouseholdForm(village.id));
    const [head] = await listMembers(a.db, household.id);
    const photoId = newId();
    const key = `${head!.id}|learning_citizen|2026`;
    const bytes = new Uint8Array(4096).map((_, i) => i % 251);
    bytes.set([0xff, 0xd8, 0xff, 0xe0]); // a JPEG by its first bytes, as the server checks
    await a.db.attachments.add({
      id: photoId,
      ownerKey: key,
      criterionId: 'cs01',
      blob: new Blob([bytes], { type: 'image/jpeg' }),
      mimeType: 'image/jpeg',
      bytes: 4096,
      width: 64,
      height: 64,
      createdAt: new Date().toISOString(),
      uploaded: 0,
    });
    const { saveAssessment } = await import('../../src/client/db/assessment.repository');
    const { currentCriteriaSet } = await import('../../src/domain/criteria/registry');
    const answers = { cs01: { points: 8, evidenceIds: [photoId] } };
    await saveAssessment(
      a.db,
      a.ctx(),
      { title: 'learning_citizen', subjectId: head!.id, year: 2026, answers },
      currentCriteriaSet('learning_citizen', 2026)!,
    );

    expect((await a.engine.syncNow()).ok).toBe(true);
    expect((await a.db.attachments.get(photoId))?.uploaded).toBe(1);
    const fetched = await fetch(`${server.baseUrl}/api/v1/attachments/${photoId}`, {
      headers: { authorization: `Bearer ${b.token}` },
    });
    expect(fetched.status).toBe(200);
    expect(new Uint8Array(await fetched.arrayBuffer())).toEqual(bytes);

    // B shows the assessment: the photo is fetched once and kept on B.
    await b.engine.syncNow();
    expect(await b.engine.fetchAttachment(photoId, key, 'cs01')).toBe(true);
    const cached = await b.db.attachments.get(photoId);
    expect(cached).toMatchObject({ uploaded: 1, bytes: 4096 });
    expect(new Uint8Array(await cached!.blob.arrayBuffer())).toEqual(bytes);
    expect(await b.engine.fetchAttachment(photoId, key, 'cs01')).toBe(false); // already here
  });

  it('pushes 10,000 records through a connection that resets 10% of the time with none missing and none twice', async () => {
    const proxy = await startFlakyProxy({
      targetPort: Number(new URL(server.baseUrl).port),
      resetRate: 0.1,
      seed: 20261124,
    });
    try {
      const a = await makeDevice(server, { serverUrl: `http://127.0.0.1:${proxy.port}` });
      const ids: string[] = [];
      await a.db.transaction('rw', [a.db.villages, ...outboxTables(a.db)], async () => {
        for (let i = 0; i < 10_000; i += 1) {
          const id = newId();
          ids.push(id);
          await writeRecord(a.db, a.ctx(), {
            entity: 'village',
            id,
            data: {
              name: `Tổ dân phố ${i + 1} – khu phố Nhị Đồng, phường Dĩ An`,
              kind: 'to_dan_pho',
              isDisadvantagedArea: false,
            },
          });
        }
      });
      const { last } = await syncUntilDone(a);
      expect(last?.ok).toBe(true);
      expect(proxy.stats.resetBefore + proxy.stats.resetAfter).toBeGreaterThan(0);

      const inserted = await serverCount(
        server,
        "SELECT count(*)::int AS n FROM records WHERE updated_by = $1 AND entity = 'village'",
        [a.deviceId],
      );
      const twice = await serverCount(
        server,
        'SELECT count(*)::int AS n FROM records WHERE updated_by = $1 AND version <> 1',
        [a.deviceId],
      );
      expect(inserted).toBe(10_000);
      expect(twice).toBe(0);
      expect(await a.db.conflicts.count()).toBe(0);
      expect(await a.db.rejections.count()).toBe(0);
      expect(await a.db.outbox.count()).toBe(0);
    } finally {
      await proxy.close();
    }
  }, 240_000);
});
