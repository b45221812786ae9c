import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type AppDatabase, type LocalRecord } from './db';
import type { VillageData } from '../../shared/schemas/village.schema';
import { readRowsOf } from './read-rows';

let db: AppDatabase;

beforeEach(async () => {
  db = await openDatabase(`read-rows-${Math.random()}`);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

const village = (id: string): LocalRecord<VillageData> => ({
  id,
  communeCode: '25942',
  deleted: 0,
  updatedAt: '2026-11-25T00:00:00Z',
  data: { name: `Thôn ${id}`, kind: 'thon', isDisadvantagedArea: false },
});

describe('reading many rows by id', () => {
  it('gives each id its row, or nothing where the table has none, in the order asked', async () => {
    await db.villages.bulkPut(['b', 'd', 'f'].map(village));
    const rows = await db.transaction('rw', db.villages, () => readRowsOf(db.villages, ['f', 'a', 'b', 'z', 'd']));
    expect(rows.map((r) => r?.id)).toEqual(['f', undefined, 'b', undefined, 'd']);
  });

  it('gives the same answer when the range between the ids holds far more rows than were asked for', async () => {
    await db.villages.bulkPut(Array.from({ length: 50 }, (_, i) => village(`v${String(i).padStart(3, '0')}`)));
    const rows = await readRowsOf(db.villages, ['v049', 'v000', 'x']);
    expect(rows.map((r) => r?.id)).toEqual(['v049', 'v000', undefined]);
  });

  it('reads nothing for no ids', async () => {
    expect(await readRowsOf(db.villages, [])).toEqual([]);
  });
});
