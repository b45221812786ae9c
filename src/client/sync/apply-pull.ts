import { PULL_LIMIT_DEFAULT, type PullResponse, type RecordEnvelope } from '../../shared/protocol/sync.schema';
import { subjectKey } from '../db/assessment.queries';
import type { AppDatabase, LocalRecord } from '../db/db';
import { searchTextOf } from '../db/household-search';
import { readRowsOf } from '../db/read-rows';
import { serverVersionsOf } from '../db/server-versions';
import { readSetting, writeSetting } from '../db/settings.repository';
import { withdrawRecords } from '../db/withdraw-records';
import { sameValue } from '../../domain/sync/merge-record';
import type { Entity } from '../../shared/schemas/entities';
import { isEntity, TABLE_OF } from './record-tables';
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

/** Fields only the device keeps, derived from the data (search text, subject key). */
function localExtras(entity: string, data: unknown): Record<string, unknown> {
  if (entity === 'assessment') {
    const a = data as { subjectId?: string; title?: string; year?: number };
    return a.subjectId && a.title && a.year ? { subjectKey: subjectKey(a.subjectId, a.title as never, a.year) } : {};
  }
  if (entity === 'household') {
    const h = data as { headName?: unknown } | null;
    return typeof h?.headName === 'string' ? { searchText: searchTextOf(h as { headName: string }) } : {};
  }
  return {};
}

/** The local row for a pulled change (with the fields only the device keeps). */
function rowOf(change: RecordEnvelope): LocalRecord<unknown> {
  return {
    ...localExtras(change.entity, change.data),
    id: change.id,
    communeCode: change.communeCode,
    data: change.data,
    version: change.version,
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
  const known = changes.filter((c): c is RecordEnvelope & { entity: Entity } => isEntity(c.entity)); // unknown: a newer app's record type
  await withdrawRecords(
    db,
    known.filter((c) => c.outOfScope === true),
    now,
  );
  const kept = known.filter((c) => c.outOfScope !== true);
  const pendingIds = new Set(
    (
      await db.outbox
        .where('recordId')
        .anyOf(kept.map((c) => c.id))
        .toArray()
    ).map((op) => op.recordId),
  );
  const byEntity = new Map<Entity, RecordEnvelope[]>();
  for (const change of kept) {
    const group = byEntity.get(change.entity);
    if (group) group.push(change);
    else byEntity.set(change.entity, [change]);
  }

  for (const [entity, group] of byEntity) {
    const table = db.table<LocalRecord<unknown>, string>(TABLE_OF[entity]);
    const locals = await readRowsOf(
      table,
      group.map((c) => c.id),
    );
    const versions = await serverVersionsOf(db, locals);
    const rows: LocalRecord<unknown>[] = [];
    group.forEach((change, i) => {
      const local = locals[i];
      if (pendingIds.has(change.id) || !replacesLocal(change, local, versions[i])) return;
      if (!isDataless(change)) rows.push(rowOf(change));
      // A tombstone carries no data (sync-protocol.md): a copy I hold keeps its data, marked
      // deleted, so every reader of rows stays safe and undo still works; one I never held is
      // nothing to delete.
      else if (local) rows.push(rowOf({ ...change, data: local.data }));
    });
    if (rows.length > 0) await table.bulkPut(rows);
  }
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
      await db.transaction(
        'rw',
        [
          db.settings,
          db.outbox,
          db.conflicts,
          db.learnedVersions,
          db.villages,
          db.households,
          db.citizens,
          db.clans,
          db.units,
          db.assessments,
        ],
        async () => {
          await applyPage(db, changes, now());
          await writeSetting(db, 'pullCursor', next, now());
        },
      );
    } catch (error) {
      await inFlight; // settled before the failure is reported; its page is asked for again next time
      throw error;
    }
    received += changes.length;
    onProgress({ received, done: !hasMore });
  }
  return { ok: true, received };
}
