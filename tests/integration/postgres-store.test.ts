import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { STORE_CASES, TEST_DATABASE_URL } from '../support/test-stores';

const postgres = STORE_CASES.find((c) => c.kind === 'postgres');

describe.skipIf(!postgres || !TEST_DATABASE_URL)('the PostgreSQL store', () => {
  it('keeps working when the database ends its idle connections (a restart, an administrator)', async () => {
    if (!postgres || !TEST_DATABASE_URL) return;
    const { store, dispose } = await postgres.open();
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      // Several connections at once, then idle in the pool.
      await Promise.all(Array.from({ length: 4 }, () => store.query('SELECT pg_sleep(0.05)')));
      const [{ db } = { db: '' }] = await store.query<{ db: string }>('SELECT current_database() AS db');
      const ended = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
        db,
      ]);
      expect(ended.rowCount).toBeGreaterThanOrEqual(2);
      // The terminated idle connections report their end asynchronously; let that arrive.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await store.query<{ n: number }>('SELECT 41 + 1 AS n')).toEqual([{ n: 42 }]);
    } finally {
      await admin.end();
      await dispose();
    }
  });
});
