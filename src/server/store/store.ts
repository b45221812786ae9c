import type { DatabaseKind } from '../../shared/protocol/health.schema';

/** What a query runner offers: a pool, a PGlite instance or one transaction. */
export interface Queryable {
  query<Row extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<Row[]>;
  /**
   * Runs a script: one or more statements separated by `;`, without parameters and without results
   * (PGlite's `exec`, node-postgres's simple query protocol). Migrations use it.
   */
  exec(sql: string): Promise<void>;
}

/**
 * The server's only door to PostgreSQL. The same SQL runs on PGlite (embedded default) and on
 * a real PostgreSQL server: write nothing newer than PostgreSQL 15.
 */
export interface Store extends Queryable {
  readonly kind: DatabaseKind;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Waits for running work, then releases the database (PGlite flushes its files). */
  close(): Promise<void>;
}
