import Dexie from 'dexie';
import type { AppDatabase } from './db';

/**
 * Calls `onChange` after a committed write to any of `tables` (in this tab or another), without
 * running a query. For summaries over a whole table, where a live query would both re-run on
 * every sync batch and track every key it read. Returns the unsubscribe function.
 */
export function watchTables(db: AppDatabase, tables: readonly string[], onChange: () => void): () => void {
  const prefixes = tables.map((table) => `idb://${db.name}/${table}/`);
  const listener = (parts: Record<string, unknown>) => {
    if (Object.keys(parts).some((part) => prefixes.some((prefix) => part.startsWith(prefix)))) onChange();
  };
  Dexie.on.storagemutated.subscribe(listener);
  return () => Dexie.on.storagemutated.unsubscribe(listener);
}
