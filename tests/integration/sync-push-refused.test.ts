import 'fake-indexeddb/auto';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openDatabase, type AppDatabase } from '../../src/client/db/db';
import { readSendState, wireSeqOf } from '../../src/client/db/outbox-state';
import { writeSetting } from '../../src/client/db/settings.repository';
import { saveVillage } from '../../src/client/db/village.repository';
import type { WriteContext } from '../../src/client/db/write-context';
import { exportUnsynced } from '../../src/client/sync/export-unsynced';
import { createSyncEngine, type SyncEngine } from '../../src/client/sync/sync-engine';
import { createHttpTransport, type SyncTransport } from '../../src/client/sync/transport';
import { uuidv7 } from '../../src/shared/ids';
import { MAX_PUSH_BYTES } from '../../src/shared/protocol/sync.schema';
import { enrollDevice, SYNC_COMMUNE, useSyncServer, type SyncServer } from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

const COMMUNE = {
  communeCode: SYNC_COMMUNE,
  communeName: 'Phường Dĩ An',
  provinceCode: '79',
  provinceName: 'Thành phố Hồ Chí Minh',
};
const newId = () => uuidv7(Date.now(), randomBytes(16));

interface Phone {
  readonly db: AppDatabase;
  readonly engine: SyncEngine;
  readonly ctx: () => WriteContext;
}

async function makePhone(server: SyncServer, wrap: (t: SyncTransport) => SyncTransport = (t) => t): Promise<Phone> {
  const enrolled = await enrollDevice(server.baseUrl, server.store, { communeCode: SYNC_COMMUNE });
  const db = await openDatabase(`refused-${newId()}`);
  await writeSetting(db, 'commune', COMMUNE, new Date());
  await writeSetting(
    db,
    'syncAccount',
    {
      serverUrl: server.baseUrl,
      deviceId: enrolled.deviceId,
      token: enrolled.token,
      scope: enrolled.scope,
      enrolledAt: new Date().toISOString(),
    },
    new Date(),
  );
  const transport = wrap(createHttpTransport({ serverUrl: server.baseUrl, token: enrolled.token }));
  const engine = createSyncEngine({ db, transport, deviceId: enrolled.deviceId, clock: () => new Date() });
  return { db, engine, ctx: () => ({ now: new Date(), newId, communeCode: SYNC_COMMUNE }) };
}

async function villagesOnServer(server: SyncServer, ids: readonly string[]): Promise<string[]> {
  const rows = await server.store.query<{ id: string }>(
    'SELECT id FROM records WHERE id = ANY($1::uuid[]) ORDER BY id',
    [ids],
  );
  return rows.map((r) => r.id);
}

/**
 * Sends a request carrying the op of `poison()` as protocol 2, which the real server refuses as a
 * whole (400 invalid_request): a stand-in for an op the server cannot read at the request level.
 */
function unreadableFor(poison: () => string) {
  return (http: SyncTransport): SyncTransport => ({
    ...http,
    push: (request) =>
      request.ops.some((op) => op.recordId === poison())
        ? http.push(Object.assign(structuredClone(request), { protocol: 2 }))
        : http.push(request),
  });
}

describe.each(STORE_CASES)('a phone whose push the server refuses as a whole, on $kind', (storeCase) => {
  const server = useSyncServer(storeCase);

  it("sends every change before a record too large for any push (413), keeps it and the ones after it, and still receives the commune's changes", async () => {
    const other = await makePhone(server);
    const theirs = await saveVillage(other.db, other.ctx(), { name: 'Thôn Bắc', kind: 'thon' });
    expect((await other.engine.syncNow()).ok).toBe(true);

    const phone = await makePhone(server);
    const before = await saveVillage(phone.db, phone.ctx(), { name: 'Thôn Đông', kind: 'thon' });
    const huge = await saveVillage(phone.db, phone.ctx(), { name: 'Thôn Tây', kind: 'thon' });
    const after = await saveVillage(phone.db, phone.ctx(), { name: 'Thôn Nam', kind: 'thon' });
    // An op of an older app version, with a value past the push limit (nothing today's forms allow).
    const hugeOp = await phone.db.outbox.where('recordId').equals(huge.id).first();
    await phone.db.outbox.update(hugeOp?.seq ?? 0, {
      data: { name: 'T'.repeat(MAX_PUSH_BYTES + 10), kind: 'thon', isDisadvantagedArea: false },
    });

    const outcome = await phone.engine.syncNow();
    expect(outcome).toEqual({
      ok: false,
      failure: {
        ok: false,
        kind: 'push_refused',
        status: 413,
        code: 'batch_too_large',
        op: { entity: 'village', recordId: huge.id, wireSeq: 2 },
      },
    });
    expect(phone.engine.getState().status).toBe('blocked');
    expect(await villagesOnServer(server, [before.id, huge.id, after.id])).toEqual([before.id]);
    expect((await phone.db.outbox.orderBy('seq').toArray()).map((o) => o.recordId)).toEqual([huge.id, after.id]);
    expect(await phone.db.rejections.count()).toBe(0);
    expect((await phone.db.villages.get(theirs.id))?.data).toMatchObject({ name: 'Thôn Bắc' });

    // The export carries exactly what waits, with the seqs the pushes would use.
    const file = await exportUnsynced(phone.db, new Date());
    expect(file.ops.map((op) => [op.recordId, op.seq])).toEqual([
      [huge.id, 2],
      [after.id, 3],
    ]);
  });

  it('narrows a request the server cannot read (400) to the one op, and sends that op again unchanged once the server takes it', async () => {
    let poisonId = '';
    const phone = await makePhone(
      server,
      unreadableFor(() => poisonId),
    );
    const villages = [];
    for (let i = 0; i < 6; i += 1)
      villages.push(await saveVillage(phone.db, phone.ctx(), { name: `Thôn ${i}`, kind: 'thon' }));
    poisonId = villages[3]?.id ?? '';

    const outcome = await phone.engine.syncNow();
    expect(outcome).toMatchObject({
      ok: false,
      failure: { kind: 'push_refused', status: 400, code: 'invalid_request', op: { recordId: poisonId, wireSeq: 4 } },
    });
    expect(
      await villagesOnServer(
        server,
        villages.map((v) => v.id),
      ),
    ).toEqual(
      villages
        .slice(0, 3)
        .map((v) => v.id)
        .sort(),
    );
    const state = await readSendState(phone.db);
    expect((await phone.db.outbox.orderBy('seq').toArray()).map((o) => wireSeqOf(o, state))).toEqual([4, 5, 6]);

    // The app is updated (or the server fixed): the next sync sends the same ops and seqs, once each.
    poisonId = 'none';
    expect(await phone.engine.syncNow()).toMatchObject({ ok: true, push: { sent: 3, applied: 3 } });
    expect(
      await villagesOnServer(
        server,
        villages.map((v) => v.id),
      ),
    ).toEqual(villages.map((v) => v.id).sort());
    expect(await phone.db.outbox.count()).toBe(0);
    expect(phone.engine.getState().status).toBe('idle');
  });
});
