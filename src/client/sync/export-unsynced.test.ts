import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWriteContext, COMMUNE_CODE, TEST_NOW } from '../../../tests/factories/records';
import { exportFileSchema } from '../../shared/protocol/export-file.schema';
import { openDatabase, type AppDatabase } from '../db/db';
import { writeSetting } from '../db/settings.repository';
import { saveVillage } from '../db/village.repository';
import { exportFileName, exportUnsynced } from './export-unsynced';
import { createSyncEngine } from './sync-engine';
import type { SyncTransport } from './transport';
import type { PushRequest } from '../../shared/protocol/sync.schema';

const ctx = buildWriteContext();
let db: AppDatabase;

beforeEach(async () => {
  db = await openDatabase(`export-${Math.random()}`);
  await writeSetting(db, 'commune', { communeCode: COMMUNE_CODE, communeName: 'Phường Dĩ An', provinceCode: '79', provinceName: 'Thành phố Hồ Chí Minh' }, TEST_NOW);
  await writeSetting(db, 'deviceName', 'Máy chị Lan – thôn Đông', TEST_NOW);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

describe('exporting unsynced changes', () => {
  it('writes every unsynced change with seqs 1, 2… in a file the office can import', async () => {
    await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
    await saveVillage(db, ctx, { name: 'Thôn Tây', kind: 'thon' });
    const file = exportFileSchema.parse(await exportUnsynced(db, TEST_NOW));
    expect(file).toMatchObject({ deviceId: null, deviceName: 'Máy chị Lan – thôn Đông', communeCode: COMMUNE_CODE });
    expect(file.ops.map((o) => [o.seq, (o.data as { name: string }).name])).toEqual([[1, 'Thôn Đông'], [2, 'Thôn Tây']]);
    expect(await db.outbox.count()).toBe(2); // still sent when the network returns
    expect(exportFileName(file)).toBe('chua-gui-25942-May-chi-Lan-thon-Dong-20261124T023000.json');
  });

  it('sends the same ops (same ids, same seqs) on a later push, and an edit after the export as a new op', async () => {
    const village = await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
    const file = await exportUnsynced(db, TEST_NOW);
    await saveVillage(db, ctx, { name: 'Thôn Đông Mới', kind: 'thon' }, village.id);
    const sent: PushRequest[] = [];
    const transport: SyncTransport = {
      async push(request) {
        sent.push(request);
        return { ok: true, value: { results: request.ops.map((op) => ({ opId: op.opId, status: 'applied' as const, version: op.seq })), ackSeq: 2 } };
      },
      pull: async () => ({ ok: true, value: { changes: [], cursor: 'c', hasMore: false } }),
      receipt: async () => ({ ok: false, kind: 'offline' }),
    };
    await createSyncEngine({ db, transport, deviceId: '0196f0c2-8a4b-7c3d-9e8f-00000000d001', clock: () => TEST_NOW }).syncNow();
    const pushed = sent.flatMap((r) => r.ops);
    expect(pushed[0]).toMatchObject({ opId: file.ops[0]?.opId, seq: 1 });
    expect(pushed[1]).toMatchObject({ seq: 2, data: { name: 'Thôn Đông Mới' } });
  });
});
