import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Queryable, Store } from './store';

/** The data directory's folders and files are the server user's alone: they hold every record. */
const PRIVATE_DIR_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes `dir` and everything under it private to this user. PGlite unpacks its initial cluster with
 * files 0666 and folders 0755 whatever the umask (the files PostgreSQL itself creates later are
 * 0600), so this runs once PGlite has started; the top folder is 0700 before, so nobody else can
 * reach a file in between.
 */
function makePrivate(dir: string) {
  fs.chmodSync(dir, PRIVATE_DIR_MODE);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) makePrivate(full);
    else if (entry.isFile()) fs.chmodSync(full, PRIVATE_FILE_MODE);
  }
}

/**
 * Embedded PostgreSQL (wasm). `dataDir` undefined keeps everything in memory (tests).
 * PGlite allows one process per data directory: main.ts holds a lock file for it.
 */
export async function openPgliteStore(dataDir?: string): Promise<Store> {
  if (dataDir !== undefined) {
    fs.mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    makePrivate(dataDir);
  }
  const db = await PGlite.create(dataDir === undefined ? {} : { dataDir });
  if (dataDir !== undefined) makePrivate(dataDir);
  const run = (runner: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query(sql, params) {
      const result = await runner.query<never>(sql, params ? [...params] : undefined);
      return result.rows;
    },
    async exec(sql) {
      await runner.exec(sql);
    },
  });
  const direct = run(db);
  return {
    kind: 'pglite',
    query: direct.query,
    exec: direct.exec,
    transaction: (work) => db.transaction((tx) => work(run(tx))),
    close: () => db.close(),
  };
}
