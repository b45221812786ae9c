import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWriteContext, TEST_NOW } from '../../../tests/factories/records';
import { openDatabase, type AppDatabase } from './db';
import { takeAll } from './outbox.repository';
import { readSyncStates } from './sync-state.queries';
import { saveVillage } from './village.repository';

const ctx = buildWriteContext();
let db: AppDatabase;
beforeEach(async () => {
  db = await openDatabase(`sync-state-${Math.random()}`);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

describe('readSyncStates', () => {
  it('tells unsent, sending, sent, conflict and refused records apart', async () => {
    const sending = await saveVillage(db, ctx, { name: 'Thôn B', kind: 'thon' });
    // A push carries the head of the outbox: the op saved first.
    await takeAll(db);
    const [unsent, sent, conflict, rejected] = await Promise.all(
      ['A', 'C', 'D', 'E'].map((n) => saveVillage(db, ctx, { name: `Thôn ${n}`, kind: 'thon' })),
    );
    await db.outbox.where('recordId').anyOf([sent!.id, conflict!.id, rejected!.id]).delete();
    await db.conflicts.put({
      opId: ctx.newId(),
      entity: 'village',
      recordId: conflict!.id,
      mine: {},
      mineKind: 'upsert',
      theirs: {},
      theirsVersion: 2,
      detectedAt: TEST_NOW.toISOString(),
    });
    await db.rejections.put({
      opId: ctx.newId(),
      entity: 'village',
      recordId: rejected!.id,
      data: {},
      code: 'validation_failed',
      message: '',
      details: null,
      rejectedAt: TEST_NOW.toISOString(),
    });
    const states = await readSyncStates(db, [unsent!.id, sending.id, sent!.id, conflict!.id, rejected!.id]);
    expect([...states.values()]).toEqual(['unsent', 'sending', 'sent', 'conflict', 'rejected']);
  });
});
