import { PGlite } from '@electric-sql/pglite';
import type { Queryable, Store } from './store';

/**
 * Embedded PostgreSQL (wasm). `dataDir` undefined keeps everything in memory (tests).
 * PGlite allows one process per data directory: main.ts holds a lock file for it.
 */
export async function openPgliteStore(dataDir?: string): Promise<Store> {
  const db = await PGlite.create(dataDir === undefined ? {} : { dataDir });
  const run = (runner: Pick<PGlite, 'query'>): Queryable => ({
    async query(sql, params) {
      const result = await runner.query<never>(sql, params ? [...params] : undefined);
      return result.rows;
    },
  });
  const direct = run(db);
  return {
    kind: 'pglite',
    query: direct.query,
    transaction: (work) => db.transaction((tx) => work(run(tx))),
    close: () => db.close(),
  };
}
