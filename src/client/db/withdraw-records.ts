import type { Entity } from '../../shared/schemas/entities';
import type { AppDatabase, ConflictRow } from './db';
import { recordTable } from './entity-registry';
import { takeBackUnsent } from './outbox.repository';

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
 * over the record tables, `outboxTables` and conflicts.
 */
export async function withdrawRecords(db: AppDatabase, withdrawals: readonly Withdrawal[], now: Date): Promise<void> {
  if (withdrawals.length === 0) return;
  const newest = await takeBackUnsent(
    db,
    withdrawals.map((w) => w.id),
  );
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
  await db.conflicts.bulkPut(conflicts);
  const byEntity = new Map<Entity, string[]>();
  for (const w of withdrawals) byEntity.set(w.entity, [...(byEntity.get(w.entity) ?? []), w.id]);
  for (const [entity, ids] of byEntity) await recordTable(db, entity).bulkDelete(ids);
}
