import { PULL_LIMIT_DEFAULT, type RecordEnvelope } from '../../shared/protocol/sync.schema';
import { subjectKey } from '../db/assessment.queries';
import type { AppDatabase, LocalRecord } from '../db/db';
import { searchTextOf } from '../db/household-search';
import { readSetting, writeSetting } from '../db/settings.repository';
import { isEntity, TABLE_OF } from './record-tables';
import type { SyncTransport, TransportFailure } from './transport';

/** A bound on pages per sync (5,000 pages × 1,000 records is far beyond any commune). */
const MAX_PULL_PAGES = 5000;

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
  return {};
}

/**
 * Applies one page of server changes. Idempotent: a record already at that version (or newer) is
 * left alone, so re-applying a page changes nothing. A record with an unsent change of mine keeps
 * my data: the push that follows meets the newer version as a conflict the person resolves.
 */
async function applyPage(db: AppDatabase, changes: readonly RecordEnvelope[]): Promise<Set<string>> {
  const touchedHouseholds = new Set<string>();
  for (const change of changes) {
    if (!isEntity(change.entity)) continue; // a record type this app version does not know yet
    const table = db.table<LocalRecord<unknown>, string>(TABLE_OF[change.entity]);
    const local = await table.get(change.id);
    if (local?.version !== null && local?.version !== undefined && local.version >= change.version) continue;
    if ((await db.outbox.where('recordId').equals(change.id).count()) > 0) continue;
    await table.put({
      ...localExtras(change.entity, change.data),
      id: change.id,
      communeCode: change.communeCode,
      data: change.data,
      version: change.version,
      deleted: change.deleted ? 1 : 0,
      updatedAt: change.updatedAt,
    });
    if (change.entity === 'household') touchedHouseholds.add(change.id);
    if (change.entity === 'citizen') {
      const householdId = (change.data as { householdId?: string } | null)?.householdId;
      if (householdId) touchedHouseholds.add(householdId);
    }
  }
  return touchedHouseholds;
}

async function refreshSearchText(db: AppDatabase, householdIds: Set<string>) {
  for (const id of householdIds) {
    const household = await db.households.get(id);
    if (!household) continue;
    const members = await db.citizens.where('data.householdId').equals(id).filter((c) => c.deleted === 0).toArray();
    await db.households.update(id, { searchText: searchTextOf(household.data, members.map((m) => m.data.fullName)) });
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
  for (let page = 0; page < MAX_PULL_PAGES; page += 1) {
    const cursor = await readSetting(db, 'pullCursor');
    const answer = await transport.pull(cursor, limit);
    if (!answer.ok) return answer;
    const { changes, cursor: next, hasMore } = answer.value;
    await db.transaction('rw', [db.settings, db.outbox, db.villages, db.households, db.citizens, db.clans, db.units, db.assessments], async () => {
      const touched = await applyPage(db, changes);
      await refreshSearchText(db, touched);
      await writeSetting(db, 'pullCursor', next, now());
    });
    received += changes.length;
    onProgress({ received, done: !hasMore });
    if (!hasMore) break;
  }
  return { ok: true, received };
}
