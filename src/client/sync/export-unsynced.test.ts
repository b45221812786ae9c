import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWriteContext, COMMUNE_CODE, TEST_NOW } from '../../../tests/factories/records';
import { signedBy } from '../../../tests/support/signed-export';
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
  await writeSetting(
    db,
    'commune',
    {
      communeCode: COMMUNE_CODE,
      communeName: 'Phường Dĩ An',
      provinceCode: '79',
      provinceName: 'Thành phố Hồ Chí Minh',
    },
    TEST_NOW,
  );
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
    expect(file.signature).toBeUndefined(); // never enrolled: no token to sign with
    expect(file.ops.map((o) => [o.seq, (o.data as { name: string }).name])).toEqual([
      [1, 'Thôn Đông'],
      [2, 'Thôn Tây'],
    ]);
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
        return {
          ok: true,
          value: {
            results: request.ops.map((op) => ({ opId: op.opId, status: 'applied' as const, version: op.seq })),
            ackSeq: 2,
          },
        };
      },
      pull: async () => ({ ok: true, value: { changes: [], cursor: 'c', hasMore: false } }),
      receipt: async () => ({ ok: false, kind: 'offline' }),
    };
    await createSyncEngine({
      db,
      transport,
      deviceId: '0196f0c2-8a4b-7c3d-9e8f-00000000d001',
      clock: () => TEST_NOW,
    }).syncNow();
    const pushed = sent.flatMap((r) => r.ops);
    expect(pushed[0]).toMatchObject({ opId: file.ops[0]?.opId, seq: 1 });
    expect(pushed[1]).toMatchObject({ seq: 2, data: { name: 'Thôn Đông Mới' } });
  });

  it('signs the export of an enrolled device with its token, as its server checks it, and writes neither the token nor its hash', async () => {
    const token = 'phone-token-0123456789abcdefghijklmnopqrstuvwxyzAB';
    const deviceId = '0196f0c2-8a4b-7c3d-9e8f-00000000d001';
    const scope = { communeCode: COMMUNE_CODE, villageIds: null };
    await writeSetting(
      db,
      'syncAccount',
      { serverUrl: 'http://192.168.1.10:8080', deviceId, token, scope, enrolledAt: TEST_NOW.toISOString() },
      TEST_NOW,
    );
    await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });

    const file = await exportUnsynced(db, TEST_NOW);

    const { signature, ...unsigned } = file;
    expect(signature?.value).toMatch(/^[0-9a-f]{64}$/);
    expect(file).toEqual(signedBy(unsigned, token));
    const written = JSON.stringify(file);
    expect(written).not.toContain(token);
    expect(written).not.toContain(bytesToHex(sha256(utf8ToBytes(token))));
  });
});
