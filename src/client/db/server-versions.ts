import type { AppDatabase, LocalRecord } from './db';

type Versioned = Pick<LocalRecord<unknown>, 'id' | 'version'>;

/**
 * The server's version of a record as this device knows it: the larger of the version on its row
 * (written by pulls and conflict resolution) and the one a push's answer taught (`serverVersions`;
 * see db.ts for why it is kept apart). Null while the server has never confirmed the record.
 * Server versions of a record only grow, so the larger is the newer. Call inside a transaction
 * that includes `serverVersions` (record-writes.ts `outboxTables` does).
 */
export async function serverVersionOf(db: AppDatabase, row: Versioned | undefined): Promise<number | null> {
  if (!row) return null;
  const learned = await db.serverVersions.get(row.id);
  return newer(row.version, learned?.version);
}

/** `serverVersionOf` for many rows at once (one read); missing rows give null. */
export async function serverVersionsOf(db: AppDatabase, rows: readonly (Versioned | undefined)[]): Promise<(number | null)[]> {
  const present = rows.filter((r): r is Versioned => r !== undefined);
  if (present.length === 0) return rows.map(() => null);
  const learned = await db.serverVersions.bulkGet(present.map((r) => r.id));
  const byId = new Map(present.map((r, i) => [r.id, learned[i]?.version]));
  return rows.map((r) => (r ? newer(r.version, byId.get(r.id)) : null));
}

/**
 * Records the versions the server gave records after applying my changes, as small rows in their
 * own table: rewriting the records themselves (with their indexes) cost a phone most of a push's
 * time (about 100 ms of every 500-op batch). Written without reading first (a read costs as much
 * again): answers are written in batch order and the server applies a device's ops in seq order,
 * so a later answer never holds an older version of a record; within one answer the newest wins.
 * Should that ever not hold, the cost is a false conflict for a person to settle, never lost data.
 * Returns the version learned per record.
 */
export async function learnServerVersions(db: AppDatabase, versions: readonly { recordId: string; version: number }[]): Promise<Map<string, number>> {
  const newest = new Map<string, number>();
  for (const v of versions) newest.set(v.recordId, Math.max(v.version, newest.get(v.recordId) ?? 0));
  if (newest.size > 0) await db.serverVersions.bulkPut([...newest].map(([id, version]) => ({ id, version })));
  return newest;
}

function newer(a: number | null, b: number | undefined): number | null {
  if (b === undefined) return a;
  return a === null ? b : Math.max(a, b);
}
