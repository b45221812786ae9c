import { PULL_LIMIT_DEFAULT, type PullResponse, type RecordEnvelope } from '../../shared/protocol/sync.schema';
import type { AppDatabase, LocalRecord } from '../db/db';
import { anyRecordTable, isEntity, localFieldsOf, recordTables } from '../db/entity-registry';
import { outboxTables, recordsWaiting } from '../db/outbox.repository';
import { readRowsOf } from '../db/read-rows';
import { learnServerVersions, serverVersionsOf } from '../db/server-versions';
import { readSetting, writeSetting } from '../db/settings.repository';
import { withdrawRecords } from '../db/withdraw-records';
import { sameValue } from '../../domain/sync/merge-record';
import type { Entity } from '../../shared/schemas/entities';
import type { SyncTransport, TransportFailure, TransportResult } from './transport';

/** A bound on pages per sync (5,000 pages × 1,000 records is far beyond any commune). */
const MAX_PULL_PAGES = 5000;
/**
 * The first page of a pull is small, so a phone shows the first records of a first download
 * sooner (a quarter of the bytes on a slow link); the pages after it are full.
 */
const FIRST_PAGE_LIMIT = 250;

export interface PullProgress {
  readonly received: number;
  readonly done: boolean;
}

/** A pulled record of an entity this app knows (an unknown one is a newer app's record type). */
type KnownEnvelope = RecordEnvelope & { entity: Entity };

/** The local row for a pulled change (with the fields only the device keeps; its version is learned apart). */
function rowOf(change: KnownEnvelope): LocalRecord<unknown> {
  return {
    ...localFieldsOf(change.entity, change.data),
    id: change.id,
    communeCode: change.communeCode,
    data: change.data,
    deleted: change.deleted ? 1 : 0,
    updatedAt: change.updatedAt,
  };
}

/** A tombstone as the server sends it since protocol 1.1: no data. */
function isDataless(change: RecordEnvelope): boolean {
  return change.deleted && (change.data === null || change.data === undefined);
}

/**
 * Whether a pulled change replaces the local copy. Newer versions do. So does the SAME version
 * when its data differs: the server stores data as validated and scores assessments itself, so my
 * copy of my own change can differ from the server's at one version. A record with an unsent
 * change of mine keeps my data (`pending`): the push that follows meets the newer version as a
 * conflict the person resolves. Equal data is not rewritten: a pull-back of a phone's own 25,000
 * records after a push compares them (in memory, cheap) and writes none.
 */
function replacesLocal(
  change: RecordEnvelope,
  local: LocalRecord<unknown> | undefined,
  serverVersion: number | null | undefined,
): boolean {
  if (serverVersion == null || serverVersion < change.version) return true;
  if (serverVersion > change.version || !local) return false;
  if (isDataless(change)) return local.deleted !== 1;
  return local.deleted !== (change.deleted ? 1 : 0) || !sameValue(local.data, change.data);
}

/**
 * Applies one page of server changes with a few bulk reads and writes per table (one IndexedDB
 * round trip per record would make a commune's first download take minutes on a phone).
 * Idempotent: re-applying a page changes nothing. Withdrawals (`outOfScope`: the record left my
 * villages) remove the local copy (withdraw-records.ts).
 */
async function applyPage(db: AppDatabase, changes: readonly RecordEnvelope[], now: Date): Promise<void> {
  const known = changes.filter((c): c is KnownEnvelope => isEntity(c.entity));
  await withdrawRecords(
    db,
    known.filter((c) => c.outOfScope === true),
    now,
  );
  const kept = known.filter((c) => c.outOfScope !== true);
  const pendingIds = await recordsWaiting(
    db,
    kept.map((c) => c.id),
  );
  const byEntity = new Map<Entity, KnownEnvelope[]>();
  for (const change of kept) {
    const group = byEntity.get(change.entity);
    if (group) group.push(change);
    else byEntity.set(change.entity, [change]);
  }

  const learned: { recordId: string; version: number }[] = [];
  for (const [entity, group] of byEntity) {
    const table = anyRecordTable(db, entity);
    const locals = await readRowsOf(
      table,
      group.map((c) => c.id),
    );
    const versions = await serverVersionsOf(db, locals);
    const rows: LocalRecord<unknown>[] = [];
    group.forEach((change, i) => {
      const local = locals[i];
      if (pendingIds.has(change.id) || !replacesLocal(change, local, versions[i])) return;
      // A tombstone carries no data (sync-protocol.md): a copy I hold keeps its data, marked
      // deleted, so every reader of rows stays safe and undo still works; one I never held is
      // nothing to delete.
      if (isDataless(change) && !local) return;
      rows.push(rowOf(isDataless(change) && local ? { ...change, data: local.data } : change));
      learned.push({ recordId: change.id, version: change.version });
    });
    if (rows.length > 0) await table.bulkPut(rows);
  }
  await learnServerVersions(db, learned);
}

/**
 * Pulls every change after the stored cursor, page by page. Each page and the cursor after it are
 * written in ONE transaction: if applying fails, the cursor stays and the page comes again.
 */
export async function pullChanges(
  db: AppDatabase,
  transport: SyncTransport,
  now: () => Date,
  onProgress: (progress: PullProgress) => void = () => undefined,
  limit = PULL_LIMIT_DEFAULT,
): Promise<{ ok: true; received: number } | TransportFailure> {
  let received = 0;
  // Pipelined: the next page is asked for while this one is written. The pull changes nothing on
  // the server, and if writing fails the cursor stays where it was and both pages come again.
  let inFlight: Promise<TransportResult<PullResponse>> | undefined = transport.pull(
    await readSetting(db, 'pullCursor'),
    Math.min(limit, FIRST_PAGE_LIMIT),
  );
  for (let page = 0; inFlight && page < MAX_PULL_PAGES; page += 1) {
    const answer: TransportResult<PullResponse> = await inFlight;
    if (!answer.ok) return answer;
    const { changes, cursor: next, hasMore }: PullResponse = answer.value;
    inFlight = hasMore ? transport.pull(next, limit) : undefined;
    try {
      await db.transaction('rw', [db.settings, db.conflicts, ...outboxTables(db), ...recordTables(db)], async () => {
        await applyPage(db, changes, now());
        await writeSetting(db, 'pullCursor', next, now());
      });
    } catch (error) {
      await inFlight; // settled before the failure is reported; its page is asked for again next time
      throw error;
    }
    received += changes.length;
    onProgress({ received, done: !hasMore });
  }
  return { ok: true, received };
}
