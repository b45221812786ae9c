/** Types of postgres-cluster.mjs (plain Node so tests/run-tests.mjs can use it before npm ci). */
export interface PostgresCluster {
  readonly url: string;
  readonly version: string;
  stop(): void;
}

/**
 * A throwaway cluster on 127.0.0.1, or the reason there is none (no PostgreSQL binaries, no postgres user).
 * Without fsync unless `durable` (PostgreSQL's default durability, for the benchmark).
 */
export function startPostgresCluster(options?: {
  readonly durable?: boolean;
}): Promise<PostgresCluster | { readonly skipped: string }>;
