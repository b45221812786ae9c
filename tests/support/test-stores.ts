import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openPgliteStore } from '../../src/server/store/pglite-store';
import { openPostgresStore } from '../../src/server/store/postgres-store';
import type { Store } from '../../src/server/store/store';
import type { DatabaseKind } from '../../src/shared/protocol/health.schema';

export interface StoreCase {
  readonly kind: DatabaseKind;
  /** A new, empty database of this kind; `dispose` removes it. */
  open(): Promise<{ store: Store; dispose: () => Promise<void> }>;
}

/** Set by `npm test` when it started a throwaway cluster (tests/run-tests.mjs). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

const pgliteCase: StoreCase = {
  kind: 'pglite',
  async open() {
    const store = await openPgliteStore();
    return { store, dispose: () => store.close() };
  },
};

function postgresCase(adminUrl: string): StoreCase {
  return {
    kind: 'postgres',
    async open() {
      const name = `skh_test_${randomUUID().replaceAll('-', '')}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const store = await openPostgresStore(url.toString());
      return {
        store,
        async dispose() {
          await store.close();
          const cleanup = new pg.Client({ connectionString: adminUrl });
          await cleanup.connect();
          await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await cleanup.end();
        },
      };
    },
  };
}

/**
 * Every store the server supports on this machine: PGlite always, PostgreSQL when `npm test`
 * started a cluster (it says plainly when it could not).
 */
export const STORE_CASES: readonly StoreCase[] = TEST_DATABASE_URL
  ? [pgliteCase, postgresCase(TEST_DATABASE_URL)]
  : [pgliteCase];
