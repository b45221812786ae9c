import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWriteContext } from '../../../tests/factories/records';
import { openDatabase, type AppDatabase } from './db';
import { learnServerVersions, serverVersionOf, serverVersionsOf } from './server-versions';
import { saveVillage } from './village.repository';

const ctx = buildWriteContext();
let db: AppDatabase;

beforeEach(async () => {
  db = await openDatabase(`server-versions-${Math.random()}`);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

describe('the server version of a record', () => {
  it('is null for a record the server has never confirmed, and the newest one learned after', async () => {
    const row = await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
    expect(await serverVersionOf(db, row)).toBeNull();
    expect(await serverVersionOf(db, undefined)).toBeNull();

    await learnServerVersions(db, [{ recordId: row.id, version: 2 }]);
    expect(await serverVersionOf(db, row)).toBe(2);
    await learnServerVersions(db, [{ recordId: 'other', version: 3 }]);
    expect(await serverVersionsOf(db, [row, undefined, { id: 'other' }])).toEqual([2, null, 3]);
  });

  it('keeps the newest version when one answer holds several changes of a record', async () => {
    await learnServerVersions(db, [
      { recordId: 'r1', version: 3 },
      { recordId: 'r1', version: 4 },
      { recordId: 'r2', version: 1 },
      { recordId: 'r1', version: 2 },
    ]);
    expect(await db.learnedVersions.toArray()).toEqual([
      { id: 1, recordIds: ['r1', 'r2'], versions: [4, 1], entries: 2 },
    ]);
  });

  it('writes one row per answer, and reads the newest version a record has in any of them', async () => {
    await learnServerVersions(db, [
      { recordId: 'r1', version: 1 },
      { recordId: 'r2', version: 1 },
    ]);
    await learnServerVersions(db, [{ recordId: 'r1', version: 2 }]);
    expect(await db.learnedVersions.count()).toBe(2);
    expect(await serverVersionsOf(db, [{ id: 'r1' }, { id: 'r2' }, { id: 'r3' }])).toEqual([2, 1, null]);
    expect(await serverVersionOf(db, { id: 'r1' })).toBe(2);
  });

  it('merges the small answers past fifty of them, keeping every record at its newest version, and never rewrites a big one', async () => {
    const big = Array.from({ length: 150 }, (_, i) => ({ recordId: `big-${i}`, version: 1 }));
    await learnServerVersions(db, [...big, { recordId: 'often', version: 1 }]);
    for (let answer = 2; answer <= 52; answer += 1) {
      await learnServerVersions(db, [
        { recordId: 'often', version: answer },
        { recordId: `once-${answer}`, version: 1 },
      ]);
    }
    const rows = await db.learnedVersions.toArray();
    expect(rows.map((r) => r.entries)).toEqual([151, 52]);
    expect(rows[0]?.versions.every((v) => v === 1)).toBe(true);
    expect(await serverVersionOf(db, { id: 'often' })).toBe(52);
    expect(await serverVersionsOf(db, [{ id: 'once-2' }, { id: 'big-149' }, { id: 'never' }])).toEqual([1, 1, null]);

    await learnServerVersions(db, [{ recordId: 'often', version: 53 }]);
    expect(await db.learnedVersions.count()).toBe(3);
    expect(await serverVersionOf(db, { id: 'often' })).toBe(53);
  });

  it("leaves the record's own row untouched when a push's answer is learned", async () => {
    const row = await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
    await learnServerVersions(db, [{ recordId: row.id, version: 1 }]);
    expect(await db.villages.get(row.id)).toEqual(row);
  });

  it("bases the next edit of a record on the version a push's answer taught", async () => {
    const row = await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
    await db.outbox.clear(); // as if pushed and answered
    await learnServerVersions(db, [{ recordId: row.id, version: 1 }]);
    await saveVillage(db, ctx, { name: 'Thôn Đông Mới', kind: 'thon' }, row.id);
    expect((await db.outbox.toArray()).map((o) => [o.recordId, o.baseVersion])).toEqual([[row.id, 1]]);
  });
});
