import pg from 'pg';
import type { Queryable, Store } from './store';

const POOL_MAX_CONNECTIONS = 10;
const IDLE_TIMEOUT_MS = 30_000;

export async function openPostgresStore(connectionString: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString, max: POOL_MAX_CONNECTIONS, idleTimeoutMillis: IDLE_TIMEOUT_MS });
  // An idle connection the database ended (a restart, an administrator, a dropped database):
  // the pool discards it and opens another when needed. Unhandled, the event would stop the
  // whole server. Only the code and PostgreSQL's own text are logged, never a query or its data.
  pool.on('error', (error: Error & { code?: string }) => {
    console.warn(`PostgreSQL closed an idle connection (${error.code ?? 'no code'}): ${error.message}`);
  });
  // Fail at start, not at the first request, when the server cannot be reached.
  const probe = await pool.connect();
  probe.release();

  const run = (runner: pg.Pool | pg.PoolClient): Queryable => ({
    async query(sql, params) {
      const result = await runner.query(sql, params ? [...params] : undefined);
      return result.rows;
    },
    async exec(sql) {
      // No parameters: node-postgres sends it with the simple query protocol, which runs several statements.
      await runner.query(sql);
    },
  });
  const direct = run(pool);
  return {
    kind: 'postgres',
    query: direct.query,
    exec: direct.exec,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const value = await work(run(client));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
