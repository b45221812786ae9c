import { afterEach, describe, expect, it } from 'vitest';
import { sequentialIds, TEST_NOW } from '../../../tests/factories/records';
import { openDatabase, type AppDatabase, type ConflictRow } from './db';
import { dismissOutOfScopeConflict } from './sync-notices.repository';

let db: AppDatabase | undefined;

afterEach(async () => {
  db?.close();
  await db?.delete();
});

function conflict(opId: string, outOfScope: boolean): ConflictRow {
  return {
    opId,
    entity: 'citizen',
    recordId: `record-of-${opId}`,
    mine: { fullName: 'Nguyễn Minh Chánh' },
    mineKind: 'upsert',
    theirs: outOfScope ? null : { fullName: 'Nguyễn Minh Chanh' },
    theirsVersion: 2,
    detectedAt: TEST_NOW.toISOString(),
    ...(outOfScope ? { outOfScope: true } : {}),
  };
}

describe('letting a conflict go without resolving it', () => {
  it('drops a conflict over a record that moved to another village, and keeps one that can be merged', async () => {
    db = await openDatabase(`sync-notices-${Math.random()}`);
    const newId = sequentialIds();
    const [moved, mergeable] = [newId(), newId()];
    await db.conflicts.bulkPut([conflict(moved, true), conflict(mergeable, false)]);

    expect(await dismissOutOfScopeConflict(db, moved)).toBe(true);
    expect(await dismissOutOfScopeConflict(db, mergeable)).toBe(false);
    expect((await db.conflicts.toArray()).map((c) => c.opId)).toEqual([mergeable]);
  });
});
