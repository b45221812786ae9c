import type { Entity } from '../../shared/schemas/entities';
import { TABLE_OF } from '../sync/record-tables';
import type { AppDatabase, ConflictRow, LocalRecord } from './db';
import { isFrozen, readSendState } from './outbox-state';

/** A record the server says has left this device's villages (a pulled envelope with `outOfScope`). */
export interface Withdrawal {
  readonly entity: Entity;
  readonly id: string;
  readonly version: number;
}

/**
 * Removes the local copies of records that now belong to villages this device does not cover
 * (sync-protocol.md, "Leaving a scope"). An unsent change of mine to such a record is never
 * dropped silently: its newest unsent op goes to the conflict list, marked `outOfScope` (the
 * screen says the record now belongs to another village and shows what I typed), and the unsent
 * ops leave the outbox, since the server would refuse them. Ops a push already carried stay: they
 * must be re-sent exactly as they were, and the server answers them. Call inside a transaction
 * over the record tables, outbox, settings and conflicts.
 */
export async function withdrawRecords(db: AppDatabase, withdrawals: readonly Withdrawal[], now: Date): Promise<void> {
  if (withdrawals.length === 0) return;
  const state = await readSendState(db);
  const ops = await db.outbox
    .where('recordId')
    .anyOf(withdrawals.map((w) => w.id))
    .sortBy('seq');
  const unsent = ops.filter((op) => !isFrozen(op, state));
  const newest = new Map(unsent.map((op) => [op.recordId, op]));
  const conflicts: ConflictRow[] = [];
  for (const w of withdrawals) {
    const op = newest.get(w.id);
    if (op) {
      conflicts.push({
        opId: op.opId,
        entity: w.entity,
        recordId: w.id,
        mine: op.data,
        mineKind: op.kind,
        theirs: null,
        theirsVersion: w.version,
        detectedAt: now.toISOString(),
        outOfScope: true,
      });
    }
  }
  await db.outbox.bulkDelete(unsent.flatMap((op) => (op.seq === undefined ? [] : [op.seq])));
  await db.conflicts.bulkPut(conflicts);
  const byTable = new Map<string, string[]>();
  for (const w of withdrawals) byTable.set(TABLE_OF[w.entity], [...(byTable.get(TABLE_OF[w.entity]) ?? []), w.id]);
  for (const [table, ids] of byTable) await db.table<LocalRecord<unknown>, string>(table).bulkDelete(ids);
}
