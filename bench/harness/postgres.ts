/**
 * PostgreSQL for the bench (ours on PostgreSQL in the comparison and the burst): the cluster
 * `npm test` started (TEST_DATABASE_URL), or a throwaway one of our own
 * (tests/support/postgres-cluster.mjs), stopped in `close`. A measuring run wants
 * PostgreSQL's default durability (every commit flushed to disk), which the test cluster does not
 * have (it runs without fsync): then it starts its own cluster with the defaults. Every run gets a
 * fresh database in it (the one before is dropped). The postmaster's pid (from postmaster.pid)
 * lets the bench read the database's CPU.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startPostgresCluster } from '../../tests/support/postgres-cluster.mjs';

export const POSTGRES_NAME = 'PostgreSQL 15';

/** Where a run's server keeps its data. */
export interface StoreTarget {
  readonly name: string;
  /** A fresh database for this run; undefined: PGlite. */
  readonly databaseUrl?: string;
  /** The PostgreSQL postmaster, whose backends' CPU is the database's share. */
  readonly postmasterPid?: number;
}

export interface PostgresHost {
  /** The server's version, e.g. 'postgres (PostgreSQL) 15.18 (Debian …)': ours' name in the comparison's rows. */
  readonly name: string;
  /** The durability settings the cluster runs with, e.g. "fsync on, synchronous_commit on, full_page_writes on". */
  readonly durability: string;
  /** True when all three are PostgreSQL's defaults (on). */
  readonly durable: boolean;
  /**
   * A new, empty database. Those made before it are dropped (one is in use at a time), unless
   * `keepEarlier`: then the caller drops them (`drop`) once nothing uses them.
   */
  freshDatabase(options?: { readonly keepEarlier?: boolean }): Promise<StoreTarget>;
  /** A fresh database's URL (the one before dropped), for our server in the comparison. */
  freshDatabaseUrl(): Promise<string>;
  /** Drops the database of this target (made by `freshDatabase`), if it still exists. */
  drop(target: StoreTarget): Promise<void>;
  /** Drops every database made and not dropped yet (nothing runs on them any more). */
  dropAll(): Promise<void>;
  close(): void;
}

async function adminQuery<Row extends pg.QueryResultRow>(url: string, sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Undefined when the data directory is not readable here (another user's cluster). */
async function postmasterPid(url: string): Promise<number | undefined> {
  try {
    const [row] = await adminQuery<{ data_directory: string }>(url, 'SHOW data_directory');
    const first = fs.readFileSync(path.join(row?.data_directory ?? '', 'postmaster.pid'), 'utf8').split('\n')[0];
    const pid = Number(first);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const DURABILITY_SETTINGS = ['fsync', 'synchronous_commit', 'full_page_writes'] as const;

async function readDurability(url: string): Promise<{ text: string; durable: boolean }> {
  const [row] = await adminQuery<Record<string, string>>(
    url,
    `SELECT ${DURABILITY_SETTINGS.map((name) => `current_setting('${name}') AS ${name}`).join(', ')}`,
  );
  const values = DURABILITY_SETTINGS.map((name) => row?.[name] ?? 'unknown');
  return {
    text: DURABILITY_SETTINGS.map((name, i) => `${name} ${values[i] ?? 'unknown'}`).join(', '),
    durable: values.every((v) => v === 'on'),
  };
}

/**
 * A PostgreSQL to run on, or why there is none. `durable`: the cluster must have PostgreSQL's
 * default durability; TEST_DATABASE_URL's is used only if it has, otherwise a durable throwaway
 * cluster is started (≈ 2–3 s). Without it (the smoke) any cluster will do.
 */
export async function openPostgresHost(
  options: { readonly durable?: boolean } = {},
): Promise<PostgresHost | { readonly skipped: string }> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stop = () => undefined as void;
  let version = POSTGRES_NAME;
  let durability = adminUrl ? await readDurability(adminUrl) : undefined;
  if (!adminUrl || (options.durable && !durability?.durable)) {
    const cluster = await startPostgresCluster({ durable: options.durable === true });
    if ('skipped' in cluster) return cluster;
    adminUrl = cluster.url;
    version = cluster.version;
    stop = () => cluster.stop();
    try {
      durability = await readDurability(adminUrl);
    } catch (error) {
      stop();
      throw error;
    }
  }
  const url = adminUrl;
  const settings = durability ?? { text: 'unknown', durable: false };
  // The database of the run before is dropped before the next runs: its tables would otherwise
  // keep autovacuum busy (tens of thousands of fresh rows) during the next run.
  const made = new Map<string, string>(); // database URL → name, not dropped yet
  const dropNamed = async (databaseUrl: string) => {
    const name = made.get(databaseUrl);
    if (name === undefined) return;
    await adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    made.delete(databaseUrl);
  };
  const dropAll = async () => {
    for (const databaseUrl of [...made.keys()]) await dropNamed(databaseUrl);
  };
  try {
    const pid = await postmasterPid(url);
    const freshDatabase = async (options?: { readonly keepEarlier?: boolean }) => {
      if (!options?.keepEarlier) await dropAll();
      const name = `skh_burst_${randomUUID().replaceAll('-', '')}`;
      await adminQuery(url, `CREATE DATABASE ${name}`);
      const databaseUrl = new URL(url);
      databaseUrl.pathname = `/${name}`;
      made.set(databaseUrl.toString(), name);
      const target = { name: POSTGRES_NAME, databaseUrl: databaseUrl.toString() };
      return pid === undefined ? target : { ...target, postmasterPid: pid };
    };
    return {
      name: version,
      durability: settings.text,
      durable: settings.durable,
      dropAll,
      drop: async (target) => {
        if (target.databaseUrl !== undefined) await dropNamed(target.databaseUrl);
      },
      freshDatabase,
      freshDatabaseUrl: async () => (await freshDatabase()).databaseUrl,
      close: stop,
    };
  } catch (error) {
    stop();
    throw error;
  }
}
