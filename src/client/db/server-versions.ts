import Dexie from 'dexie';
import type { AppDatabase, LearnedVersionsRow } from './db';

/**
 * A write of fewer versions than this (a day's few edits, a small pulled page) makes a small row.
 * Past MAX_SMALL_ROWS of them, the small rows are merged (`mergeSmallRows`): each record once, at
 * its newest version, in rows of at most ENTRIES_PER_ROW. Big rows (a bulk upload's answers, a
 * first download's pages) are never rewritten: merging them cost ~0.4 s per 50,000 entries in
 * Chromium (re-indexing every id) and made every read slower (a 2,000-entry row is ~6 ms to read,
 * a 500-entry one ~1.3 ms), so a write of more than ENTRIES_PER_ROW makes several rows.
 */
const SMALL_ROW_ENTRIES = 100;
const MAX_SMALL_ROWS = 50;
const ENTRIES_PER_ROW = 500;

/**
 * The newest version learned for each of `ids` (absent: none). Reads the log rows
 * that hold any of them through the multi-entry index, then picks their entries. These functions
 * are Dexie promise chains, not async functions: called inside write transactions, they keep the
 * transaction's zone (extra native async layers lose it: PrematureCommitError).
 */
function learnedVersions(db: AppDatabase, ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return Dexie.Promise.resolve(new Map<string, number>());
  return db.learnedVersions
    .where('recordIds')
    .anyOf([...ids])
    .primaryKeys()
    .then((keys) => db.learnedVersions.bulkGet([...new Set(keys)]))
    .then((rows) => newestIn(rows, new Set(ids)));
}

/** Each record's largest version across `rows` (only the ids in `wanted`, if given). */
function newestIn(
  rows: readonly (LearnedVersionsRow | undefined)[],
  wanted?: ReadonlySet<string>,
): Map<string, number> {
  const newest = new Map<string, number>();
  for (const row of rows) {
    row?.recordIds.forEach((id, i) => {
      const version = row.versions[i];
      if (version !== undefined && (!wanted || wanted.has(id))) newest.set(id, Math.max(version, newest.get(id) ?? 0));
    });
  }
  return newest;
}

/**
 * The server's version of a record (of its row; a missing row gives null) as this device knows it:
 * the newest it learned (`learnedVersions`, the one place it is kept; see db.ts). Null while the
 * server has never confirmed the record. Server versions of a record only grow, so the largest is
 * the newest. Call inside a transaction that includes `learnedVersions` (outbox.repository.ts
 * `outboxTables` does).
 */
export function serverVersionOf(db: AppDatabase, row: { id: string } | undefined): Promise<number | null> {
  return serverVersionsOf(db, [row]).then(([version]) => version ?? null);
}

/** `serverVersionOf` for many rows at once (one index walk); missing rows give null. */
export function serverVersionsOf(
  db: AppDatabase,
  rows: readonly ({ id: string } | undefined)[],
): Promise<(number | null)[]> {
  const ids = rows.flatMap((r) => (r ? [r.id] : []));
  return learnedVersions(db, ids).then((learned) => rows.map((r) => (r ? (learned.get(r.id) ?? null) : null)));
}

/**
 * Records the versions the server gave records (a push's answers, a pulled page, a resolved
 * conflict): ONE row per write (record ids and versions side by side, the ids in a multi-entry
 * index), not a row per record. Rewriting the records themselves cost a phone most of a push's
 * time; a small row per record still cost ~30 ms of every 500-op batch in Chromium (one IndexedDB
 * request each); one row costs ~1 ms. Readers take the largest version a record has in any row,
 * so a write only adds its row (and now and then merges the small ones); within one write the
 * newest wins. Call inside the transaction that writes what the versions are of. Returns the
 * version learned per record.
 */
export function learnServerVersions(
  db: AppDatabase,
  versions: readonly { recordId: string; version: number }[],
): Promise<Map<string, number>> {
  const newest = new Map<string, number>();
  for (const v of versions) newest.set(v.recordId, Math.max(v.version, newest.get(v.recordId) ?? 0));
  if (newest.size === 0) return Dexie.Promise.resolve(newest);
  return db.learnedVersions
    .bulkAdd(logRows([...newest]))
    .then(() => (newest.size < SMALL_ROW_ENTRIES ? smallRows(db).count() : 0))
    .then((small) => (small > MAX_SMALL_ROWS ? mergeSmallRows(db) : undefined))
    .then(() => newest);
}

/** Rows of at most ENTRIES_PER_ROW entries. */
function logRows(entries: readonly (readonly [string, number])[]): LearnedVersionsRow[] {
  const rows: LearnedVersionsRow[] = [];
  for (let i = 0; i < entries.length; i += ENTRIES_PER_ROW) {
    const chunk = entries.slice(i, i + ENTRIES_PER_ROW);
    rows.push({ recordIds: chunk.map(([id]) => id), versions: chunk.map(([, v]) => v), entries: chunk.length });
  }
  return rows;
}

const smallRows = (db: AppDatabase) => db.learnedVersions.where('entries').below(SMALL_ROW_ENTRIES);

/**
 * Merges the small rows (at most ~5,000 entries) into rows of at most ENTRIES_PER_ROW, each record
 * once at its newest version among them. Runs inside the caller's transaction, once every ~50
 * small answers. Big rows may still hold older versions of these records: readers take the largest.
 */
function mergeSmallRows(db: AppDatabase): Promise<unknown> {
  return smallRows(db)
    .toArray()
    .then((rows) => {
      const replacements = logRows([...newestIn(rows)]);
      const keys = rows.flatMap((row) => (row.id === undefined ? [] : [row.id]));
      return db.learnedVersions.bulkDelete(keys).then(() => db.learnedVersions.bulkAdd(replacements));
    });
}
