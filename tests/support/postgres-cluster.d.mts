/** Types of postgres-cluster.mjs (plain Node so tests/run-tests.mjs can use it before npm ci). */
export interface PostgresCluster {
  readonly url: string;
  readonly version: string;
  stop(): void;
}

/** A throwaway cluster on 127.0.0.1, or the reason there is none (no PostgreSQL binaries, no postgres user). */
export function startPostgresCluster(): Promise<PostgresCluster | { readonly skipped: string }>;
