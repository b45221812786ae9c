import { sameValue } from '../../domain/sync/merge-record';
import type { Entity } from '../../shared/schemas/entities';
import type { AppDatabase, EntityRows } from './db';
import { ENTITY_REGISTRY, recordTable, type DataOf } from './entity-registry';
import { enqueueOp } from './outbox.repository';
import { serverVersionOf } from './server-versions';
import type { WriteContext } from './write-context';

/**
 * Writes a record (create or update) and its outbox op, with the local fields its kind keeps
 * (entity-registry.ts). Call inside a transaction over the record's table and `outboxTables`.
 */
export async function writeRecord<E extends Entity>(
  db: AppDatabase,
  ctx: WriteContext,
  args: { entity: E; id: string; data: DataOf<E>; isSentEvenIfUnchanged?: boolean },
): Promise<EntityRows[E]> {
  const table = recordTable(db, args.entity);
  const local = ENTITY_REGISTRY[args.entity].localFields(args.data);
  const existing = await table.get(args.id);
  // Saving what is already stored (e.g. an unchanged member of a re-saved household) is no
  // change: no op, so nothing reaches the server to clash with someone else's edit. A conflict's
  // resolution is the exception: the device may already show it while the server does not.
  if (!args.isSentEvenIfUnchanged && existing && existing.deleted === 0 && sameValue(existing.data, args.data)) {
    if (Object.keys(local).length > 0) await table.update(args.id, local as never); // Dexie's UpdateSpec of a generic row
    return { ...existing, ...local };
  }
  // The local fields are complete for valid data (the registry derives each from the data).
  const row = {
    ...local,
    id: args.id,
    communeCode: existing?.communeCode ?? ctx.communeCode,
    data: args.data,
    deleted: 0 as const,
    updatedAt: ctx.now.toISOString(),
  } as EntityRows[E];
  await table.put(row);
  await enqueueOp(db, ctx, {
    entity: args.entity,
    recordId: args.id,
    kind: 'upsert',
    baseVersion: await serverVersionOf(db, row),
    data: args.data,
  });
  return row;
}

/**
 * Marks a record deleted (a tombstone, never erased) or brings it back with its data as it was,
 * and queues that change. Returns false when the record is missing or already in that state.
 */
async function setDeleted(
  db: AppDatabase,
  ctx: WriteContext,
  args: { entity: Entity; id: string },
  deleted: 0 | 1,
): Promise<boolean> {
  const table = recordTable(db, args.entity);
  const existing = await table.get(args.id);
  if (!existing || existing.deleted === deleted) return false;
  await table.update(args.id, { deleted, updatedAt: ctx.now.toISOString() });
  await enqueueOp(db, ctx, {
    entity: args.entity,
    recordId: args.id,
    kind: deleted === 1 ? 'delete' : 'upsert',
    baseVersion: await serverVersionOf(db, existing),
    data: deleted === 1 ? null : existing.data,
  });
  return true;
}

/** Tombstones a record and queues the delete. Undo = `restoreRecord`. */
export function tombstoneRecord(db: AppDatabase, ctx: WriteContext, args: { entity: Entity; id: string }) {
  return setDeleted(db, ctx, args, 1);
}

/** Brings a tombstoned record back with its data as it was, and queues that as an upsert. */
export function restoreRecord(db: AppDatabase, ctx: WriteContext, args: { entity: Entity; id: string }) {
  return setDeleted(db, ctx, args, 0);
}
