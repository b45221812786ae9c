import { SYNC_MIGRATION_SQL } from './migration-2-sync';
import type { Queryable, Store } from './store';

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** One or more statements, run as one script (`Queryable.exec`) in the migration's transaction. */
  readonly sql: string;
}

/**
 * The one list of schema changes, applied in order on PGlite and PostgreSQL alike.
 * Append only: never edit a migration that has shipped; add the next version instead.
 * Every data table carries `commune_code` leading its primary key (architecture.md).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'installation',
    sql: `
      CREATE TABLE installation (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        installation_id uuid NOT NULL DEFAULT gen_random_uuid(),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO installation DEFAULT VALUES;
    `,
  },
  { version: 2, name: 'sync', sql: SYNC_MIGRATION_SQL },
  {
    // A village phone's pull read every change of its commune after its cursor and kept its
    // villages' (a sync-day burst of 200 phones in 50 villages: 40,000 rows read per pull for
    // 800 kept; 21 ms on PGlite, 16 ms on PostgreSQL). This index serves both halves of the scope
    // (its villages, and commune-wide rows, whose village_id is null) in feed order: 7 and 5 ms.
    version: 3,
    name: 'village change feed',
    sql: `CREATE INDEX records_village_feed ON records (commune_code, village_id, txid, change_seq)`,
  },
  {
    // ANALYZE samples 300 × the statistics target rows: at the default (100) it read 30,000 of a
    // 40,000-row records table, 178 ms on PGlite, whose one connection waits meanwhile (a sync-day
    // burst ran it 13 times: 0.8 s). At 30: 9,000 rows, 48 ms, and 31 ms without statistics of the
    // jsonb columns (no plan here reads them); plenty for what the planner needs here (few
    // communes, ids and village ids nearly unique, a handful of entities).
    version: 4,
    name: 'records statistics sample',
    sql: [
      ...[
        'commune_code',
        'entity',
        'id',
        'version',
        'deleted',
        'updated_at',
        'updated_by',
        'created_by',
        'village_id',
        'txid',
        'change_seq',
      ].map((column) => `ALTER TABLE records ALTER COLUMN ${column} SET STATISTICS 30`),
      ...['data', 'score_mismatch'].map((column) => `ALTER TABLE records ALTER COLUMN ${column} SET STATISTICS 0`),
      ...['records_household_members', 'records_assessment_subject'].map(
        (index) => `ALTER INDEX ${index} ALTER COLUMN 2 SET STATISTICS 30`,
      ),
    ].join(';\n'),
  },
  {
    // Scope that holds when records move (sync-protocol.md, "Leaving a scope"; sync/exits.ts):
    // one row per record and village it left (NULL: it was commune-wide), at a change-feed
    // position, written by the statements that move records; a village device's pull reads its
    // villages' exits through the feed index. Records that came before their parent were stored
    // with no village, which pull treated as commune-wide: they get the pending stand-in (the nil
    // uuid, sync/scope.ts PENDING_VILLAGE) and an exit from "commune-wide", so village devices
    // that received them remove them. left_at: a device enrolled later never held what left.
    version: 5,
    name: 'record exits and pending villages',
    sql: `
      CREATE TABLE record_exits (
        commune_code text NOT NULL,
        village_id uuid,
        id uuid NOT NULL,
        txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        change_seq bigint NOT NULL DEFAULT nextval('records_change_seq'),
        left_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT record_exits_key UNIQUE NULLS NOT DISTINCT (commune_code, village_id, id)
      );
      CREATE INDEX record_exits_feed ON record_exits (commune_code, village_id, txid, change_seq);
      INSERT INTO record_exits (commune_code, village_id, id)
        SELECT commune_code, NULL, id FROM records
        WHERE village_id IS NULL AND (entity = 'citizen' OR (entity = 'assessment' AND data ->> 'subjectType' IN ('household', 'citizen')));
      UPDATE records SET village_id = '00000000-0000-0000-0000-000000000000'
        WHERE village_id IS NULL AND (entity = 'citizen' OR (entity = 'assessment' AND data ->> 'subjectType' IN ('household', 'citizen')))
    `,
  },
  {
    // Tombstones carry no personal data (sync-protocol.md, "Hostile and broken input"): a delete
    // now drops data and score flag; this drops them from tombstones stored before. Their place in
    // the change feed stays: a device that holds one has the same version, nothing to pull again.
    version: 6,
    name: 'tombstones without data',
    sql: `UPDATE records SET data = NULL, score_mismatch = NULL WHERE deleted AND (data IS NOT NULL OR score_mismatch IS NOT NULL)`,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/** An arbitrary fixed key: several server instances starting at once migrate one at a time. */
const MIGRATION_LOCK_KEY = 7_253_001;

async function appliedVersion(db: Queryable): Promise<number> {
  const rows = await db.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
  return rows[0]?.version ?? 0;
}

/** Applies pending migrations, each in its own transaction; returns the schema version. */
export async function runMigrations(store: Store, migrations: readonly Migration[] = MIGRATIONS): Promise<number> {
  await store.query(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    await store.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      if ((await appliedVersion(tx)) >= migration.version) return;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
    });
  }
  return readSchemaVersion(store);
}

export function readSchemaVersion(db: Queryable): Promise<number> {
  return appliedVersion(db);
}
