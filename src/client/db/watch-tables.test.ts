import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type AppDatabase, type HouseholdRow } from './db';
import { watchTables } from './watch-tables';

let db: AppDatabase;
beforeEach(async () => {
  db = await openDatabase(`watch-${Math.random()}`);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

const household = (id: string) =>
  ({
    id,
    communeCode: '25942',
    data: { villageId: 'v1', headName: 'Lê Thị Hoa' },
    version: null,
    deleted: 0,
    updatedAt: '2026-11-24T00:00:00Z',
    searchText: '',
  }) as HouseholdRow; // only what a write needs

describe('watching tables', () => {
  it('reports a committed write to a watched table, and none after unsubscribing', async () => {
    let changes = 0;
    const stop = watchTables(db, ['households'], () => (changes += 1));
    await db.households.add(household('h1'));
    await expect.poll(() => changes).toBe(1);
    stop();
    await db.households.add(household('h2'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(changes).toBe(1);
  });

  it('ignores writes to other tables', async () => {
    let changes = 0;
    const stop = watchTables(db, ['assessments'], () => (changes += 1));
    await db.households.add(household('h1'));
    await db.settings.put({ key: 'deviceName', value: 'Máy', updatedAt: '2026-11-24T00:00:00Z' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    stop();
    expect(changes).toBe(0);
  });
});
