import { sameValue } from '../../domain/sync/merge-record';
import type { Entity } from '../../shared/schemas/entities';
import type { AppDatabase, LocalRecord, OutboxOp } from './db';
import { isFrozen, readSendState, type SendState } from './outbox-state';
import { serverVersionOf } from './server-versions';
import type { WriteContext } from './write-context';

/**
 * The tables every write of a record needs besides its own: its op goes to the outbox, whose send
 * state is a setting, and is based on the record's server version (`learnedVersions`).
 */
export function outboxTables(db: AppDatabase) {
  return [db.outbox, db.settings, db.learnedVersions];
}

/** Tables that hold synced records. */
export type RecordTableName = 'villages' | 'households' | 'citizens' | 'clans' | 'units' | 'assessments';

/**
 * Adds the change to the outbox. Must run inside the caller's Dexie transaction (with `outbox`
 * and `settings`), so the record and its op are written together or not at all.
 *
 * Several edits to one record before the server has seen any of them become ONE op (the newest
 * data, the original baseVersion): sending them one by one would make the second a false conflict.
 * An op a push or export already carried (frozen, outbox-state.ts) is never changed: the server
 * may have applied it.
 */
export async function enqueueOp(
  db: AppDatabase,
  ctx: WriteContext,
  op: Pick<OutboxOp, 'entity' | 'recordId' | 'kind' | 'baseVersion' | 'data'>,
): Promise<void> {
  const state = await readSendState(db);
  const pending = await db.outbox
    .where('recordId')
    .equals(op.recordId)
    .filter((o) => !isFrozen(o, state))
    .last();
  const clientTime = ctx.now.toISOString();
  if (pending?.seq !== undefined) {
    await db.outbox.update(pending.seq, { kind: op.kind, data: op.data, clientTime });
    return;
  }
  await db.outbox.add({ ...op, opId: ctx.newId(), communeCode: ctx.communeCode, clientTime, attempts: 0 });
}

/**
 * Writes a record (create or update) and its outbox op. Call inside a transaction over the
 * record's table, `outbox` and `settings` (see `outboxTables`). `extra` holds local-only fields (search text, keys).
 */
export async function writeRecord<T, Extra extends object>(
  db: AppDatabase,
  ctx: WriteContext,
  args: { table: RecordTableName; entity: Entity; id: string; data: T; extra?: Extra; isSentEvenIfUnchanged?: boolean },
): Promise<LocalRecord<T> & Extra> {
  const table = db.table<LocalRecord<T> & Extra, string>(args.table);
  const existing = await table.get(args.id);
  // Saving what is already stored (e.g. an unchanged member of a re-saved household) is no
  // change: no op, so nothing reaches the server to clash with someone else's edit. A conflict's
  // resolution is the exception: the device may already show it while the server does not.
  if (!args.isSentEvenIfUnchanged && existing && existing.deleted === 0 && sameValue(existing.data, args.data)) {
    if (args.extra) await table.update(args.id, args.extra as never);
    return { ...existing, ...(args.extra ?? {}) };
  }
  const row = {
    ...(args.extra ?? ({} as Extra)),
    id: args.id,
    communeCode: existing?.communeCode ?? ctx.communeCode,
    data: args.data,
    version: existing?.version ?? null,
    deleted: 0 as const,
    updatedAt: ctx.now.toISOString(),
  };
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
  args: { table: RecordTableName; entity: Entity; id: string },
  deleted: 0 | 1,
): Promise<boolean> {
  const table = db.table<LocalRecord<unknown>, string>(args.table);
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
export function tombstoneRecord(
  db: AppDatabase,
  ctx: WriteContext,
  args: { table: RecordTableName; entity: Entity; id: string },
) {
  return setDeleted(db, ctx, args, 1);
}

/** Brings a tombstoned record back with its data as it was, and queues that as an upsert. */
export function restoreRecord(
  db: AppDatabase,
  ctx: WriteContext,
  args: { table: RecordTableName; entity: Entity; id: string },
) {
  return setDeleted(db, ctx, args, 0);
}

/** Number of changes the server has not confirmed yet (the home screen's "chưa gửi"). */
export function countUnsynced(db: AppDatabase): Promise<number> {
  return db.outbox.count();
}

/** The newest op per record that no push has carried yet (what the person last did to it). */
export async function newestUnsentOps(
  db: AppDatabase,
  recordIds: readonly string[],
  known?: SendState,
): Promise<Map<string, OutboxOp>> {
  if (recordIds.length === 0) return new Map();
  const state = known ?? (await readSendState(db));
  const unsent = await db.outbox
    .where('recordId')
    .anyOf([...recordIds])
    .filter((o) => !isFrozen(o, state))
    .sortBy('seq');
  return new Map(unsent.map((op) => [op.recordId, op]));
}
