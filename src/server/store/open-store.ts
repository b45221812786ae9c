import path from 'node:path';
import type { Store } from './store';
import { openPgliteStore } from './pglite-store';
import { openPostgresStore } from './postgres-store';

export interface StoreConfig {
  /** postgres://… selects a PostgreSQL server; absent selects PGlite under `dataDir`. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
}

export function pgliteDirectory(dataDir: string): string {
  return path.join(dataDir, 'pglite');
}

export function openStore(config: StoreConfig): Promise<Store> {
  return config.databaseUrl ? openPostgresStore(config.databaseUrl) : openPgliteStore(pgliteDirectory(config.dataDir));
}

/** The database URL with its password hidden, for logs and the start banner. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(không đọc được địa chỉ)';
  }
}
