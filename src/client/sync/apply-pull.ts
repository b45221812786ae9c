import { PULL_LIMIT_DEFAULT, type RecordEnvelope } from '../../shared/protocol/sync.schema';
import { subjectKey } from '../db/assessment.queries';
import type { AppDatabase, LocalRecord } from '../db/db';
import { searchTextOf } from '../db/household-search';
import { readSetting, writeSetting } from '../db/settings.repository';
import type { Entity } from '../../shared/schemas/entities';
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
 * Applies one page of server changes with a few bulk reads and writes per table (one IndexedDB
 * round trip per record would make a commune's first download take minutes on a phone).
 * Idempotent: a record already at that version (or newer) is left alone, so re-applying a page
 * changes nothing. A record with an unsent change of mine keeps my data: the push that follows
 * meets the newer version as a conflict the person resolves.
 */
async function applyPage(db: AppDatabase, changes: readonly RecordEnvelope[]): Promise<Set<string>> {
  const touchedHouseholds = new Set<string>();
  const known = changes.filter((c): c is RecordEnvelope & { entity: Entity } => isEntity(c.entity)); // unknown: a newer app's record type
  const pendingIds = new Set((await db.outbox.where('recordId').anyOf(known.map((c) => c.id)).toArray()).map((op) => op.recordId));
  const byEntity = new Map<Entity, RecordEnvelope[]>();
  for (const change of known) byEntity.set(change.entity, [...(byEntity.get(change.entity) ?? []), change]);

  for (const [entity, group] of byEntity) {
    const table = db.table<LocalRecord<unknown>, string>(TABLE_OF[entity]);
    const locals = await table.bulkGet(group.map((c) => c.id));
    const rows: LocalRecord<unknown>[] = [];
    group.forEach((change, i) => {
      const local = locals[i];
      if (local?.version != null && local.version >= change.version) return;
      if (pendingIds.has(change.id)) return;
      rows.push({
        ...localExtras(change.entity, change.data),
        id: change.id,
        communeCode: change.communeCode,
        data: change.data,
        version: change.version,
        deleted: change.deleted ? 1 : 0,
        updatedAt: change.updatedAt,
      });
      if (entity === 'household') touchedHouseholds.add(change.id);
      if (entity === 'citizen') {
        const householdId = (change.data as { householdId?: string } | null)?.householdId;
        if (householdId) touchedHouseholds.add(householdId);
      }
    });
    await table.bulkPut(rows);
  }
  return touchedHouseholds;
}

/** Search text of the households a page touched, from all their live members, in bulk. */
async function refreshSearchText(db: AppDatabase, householdIds: Set<string>) {
  if (householdIds.size === 0) return;
  const ids = [...householdIds];
  const [households, members] = await Promise.all([db.households.bulkGet(ids), db.citizens.where('data.householdId').anyOf(ids).toArray()]);
  const namesOf = new Map<string, string[]>();
  for (const m of members) {
    if (m.deleted === 1) continue;
    namesOf.set(m.data.householdId, [...(namesOf.get(m.data.householdId) ?? []), m.data.fullName]);
  }
  const updated = households.flatMap((h) => (h ? [{ ...h, searchText: searchTextOf(h.data, namesOf.get(h.id) ?? []) }] : []));
  await db.households.bulkPut(updated);
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
