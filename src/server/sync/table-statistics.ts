import type { Store } from '../store/store';

/** Rows written before the planner's picture of `records` is renewed, at least… */
const MIN_ROWS_BETWEEN_ANALYZE = 1000;
/** …and at least this share of the rows it last counted. */
const GROWTH_BETWEEN_ANALYZE = 0.25;

interface Keeper {
  written: number;
  rowsAtLastAnalyze: number;
  running: Promise<void> | undefined;
}

/** One per store (per server process and database): the count is only a trigger, never data. */
const keepers = new WeakMap<Store, Keeper>();

/**
 * Keeps PostgreSQL's statistics of `records` in step with a fast-growing table: PGlite never
 * analyses by itself, and PostgreSQL's autovacuum waits a minute, while a sync day or a first
 * import adds tens of thousands of rows in seconds. With stale statistics the planner takes the
 * expression indexes for the commune alone and filters every row (13 ms → 0.5 ms per statement
 * at 30,000 rows once analysed). Runs ANALYZE after enough new rows, one at a time, after the
 * push that crossed the line has committed; a failure only means the next push tries again.
 */
export function noteRecordWrites(store: Store, rows: number): Promise<void> {
  const keeper = keepers.get(store) ?? { written: 0, rowsAtLastAnalyze: 0, running: undefined };
  keepers.set(store, keeper);
  keeper.written += rows;
  const threshold = Math.max(MIN_ROWS_BETWEEN_ANALYZE, GROWTH_BETWEEN_ANALYZE * keeper.rowsAtLastAnalyze);
  if (keeper.running || keeper.written < threshold) return keeper.running ?? Promise.resolve();
  keeper.written = 0;
  keeper.running = (async () => {
    await store.query('ANALYZE records');
    const [row] = await store.query<{ rows: number }>(
      `SELECT greatest(reltuples, 0)::float8 AS rows FROM pg_class WHERE relname = 'records'`,
    );
    keeper.rowsAtLastAnalyze = Number(row?.rows ?? 0);
  })()
    .catch(() => undefined)
    .finally(() => {
      keeper.running = undefined;
    });
  return keeper.running;
}
