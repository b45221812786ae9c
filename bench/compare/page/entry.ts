/**
 * The comparison bench's page kit, bundled once per run (bench/compare/page/bundle.ts) and served
 * by the baseline's HTTP server: PouchDB for the browser (pouchdb-browser, IndexedDB adapter),
 * and the app's own Dexie database and home-screen count query. Playwright calls these through
 * `window.benchKit`. Every loop is bounded in count and time.
 */
import PouchDB from 'pouchdb-browser';
import type { PouchDatabase, PouchDoc } from 'pouchdb-bench-types';
import { openDatabase, type AppDatabase } from '../../../src/client/db/db';
import { readVillageCounts } from '../../../src/client/db/summary.queries';
import { countByVillage, type VillageCounts } from '../../../src/domain/rollups/village-rollup';
import type { Title } from '../../../src/shared/schemas/assessment.schema';

const locals = new Map<string, PouchDatabase>();
const local = (name: string) => {
  const existing = locals.get(name);
  if (existing) return existing;
  const db = new PouchDB(name);
  locals.set(name, db);
  return db;
};

export interface ReplicationRun {
  ms: number;
  /** ms until the first batch of documents was written locally / remotely ('change' event). */
  firstBatchMs: number | null;
  attempts: number;
  docsWritten: number;
  errors: string[];
}

/** Sums the village counts, so a check can compare both sides at a glance. */
function totals(counts: Map<string, VillageCounts>) {
  let households = 0;
  let familyAssessed = 0;
  let familyPassed = 0;
  for (const c of counts.values()) {
    households += c.households;
    familyAssessed += c.familyAssessed;
    familyPassed += c.familyPassed;
  }
  return { villages: counts.size, households, familyAssessed, familyPassed };
}

const COUNTS_DESIGN = {
  _id: '_design/counts',
  views: {
    household_village: {
      map: "function (doc) { if (doc.entity === 'household' && !doc.deleted) emit(doc._id, doc.data.villageId); }",
    },
    family_result: {
      map: "function (doc) { if (doc.entity === 'assessment' && !doc.deleted) emit([doc.data.title, doc.data.year], [doc.data.subjectId, doc.data.result.passed]); }",
    },
  },
};

async function pouchVillageCounts(db: PouchDatabase, year: number) {
  const title: Title = 'learning_family';
  const [households, results] = await Promise.all([
    db.query('counts/household_village'),
    db.query('counts/family_result', { key: [title, year] }),
  ]);
  return countByVillage(
    households.rows.map((r) => ({ id: String(r.key), villageId: String(r.value) })),
    results.rows.map((r) => {
      const [subjectId, passed] = r.value as [string, boolean];
      return { subjectId, title, year, passed };
    }),
    year,
  );
}

let appDb: AppDatabase | undefined;

const kit = {
  /** Writes docs into a local PouchDB (IndexedDB), 500 per bulkDocs; returns ms. */
  async pouchSeed(name: string, docs: readonly PouchDoc[]): Promise<number> {
    const t = performance.now();
    const db = local(name);
    for (let i = 0; i < docs.length; i += 500) await db.bulkDocs(docs.slice(i, i + 500));
    return performance.now() - t;
  },

  async pouchDocCount(name: string): Promise<number> {
    return (await local(name).info()).doc_count;
  },

  /**
   * replicate.to / replicate.from with PouchDB's defaults (batch_size 100, batches_limit 10).
   * After a failure (a reset connection) it starts again at once, resuming from its checkpoint,
   * at most `maxAttempts` times and until `timeoutMs`.
   */
  async pouchReplicate(
    direction: 'to' | 'from',
    name: string,
    remote: string,
    maxAttempts: number,
    timeoutMs: number,
  ): Promise<ReplicationRun> {
    const db = local(name);
    const t0 = performance.now();
    const run: ReplicationRun = { ms: NaN, firstBatchMs: null, attempts: 0, docsWritten: 0, errors: [] };
    while (run.attempts < maxAttempts && performance.now() - t0 < timeoutMs) {
      run.attempts += 1;
      const replication = direction === 'to' ? db.replicate.to(remote) : db.replicate.from(remote);
      const timer = setTimeout(() => replication.cancel(), Math.max(1, timeoutMs - (performance.now() - t0)));
      replication.on('change', () => {
        run.firstBatchMs ??= performance.now() - t0;
      });
      try {
        const result = await replication;
        run.docsWritten += result.docs_written;
        if (result.ok) {
          run.ms = performance.now() - t0;
          clearTimeout(timer);
          return run;
        }
        run.errors.push(`not ok: ${result.doc_write_failures} write failures`);
      } catch (error) {
        run.errors.push(error instanceof Error ? error.message : JSON.stringify(error).slice(0, 200));
      } finally {
        clearTimeout(timer);
      }
    }
    return run;
  },

  /** navigator.storage.estimate(): the whole origin, and IndexedDB alone where Chromium says. */
  async storageUsage(): Promise<{ usage: number | null; indexedDB: number | null }> {
    const estimate = (await navigator.storage.estimate()) as StorageEstimate & {
      usageDetails?: Record<string, number>;
    };
    return { usage: estimate.usage ?? null, indexedDB: estimate.usageDetails?.indexedDB ?? null };
  },

  /** The app's own database (its Dexie schema), filled table by table. */
  async dexieSeed(tables: Record<string, readonly unknown[]>): Promise<number> {
    const t = performance.now();
    const db = await openDatabase();
    try {
      for (const [table, rows] of Object.entries(tables)) {
        for (let i = 0; i < rows.length; i += 2000) await db.table(table).bulkPut(rows.slice(i, i + 2000));
      }
    } finally {
      db.close();
    }
    return performance.now() - t;
  },

  /** The home screen's query (readVillageCounts), timed; the first call after a load opens the database first. */
  async oursCounts(year: number) {
    let openMs = 0;
    if (!appDb) {
      const t = performance.now();
      appDb = await openDatabase();
      openMs = performance.now() - t;
    }
    const t = performance.now();
    const counts = await readVillageCounts(appDb, year);
    return { openMs, ms: performance.now() - t, totals: totals(counts) };
  },

  /** Saves the design doc and runs both views once (builds their indexes); returns ms. */
  async pouchCountsIndex(name: string): Promise<number> {
    const db = local(name);
    await db.put(COUNTS_DESIGN);
    const t = performance.now();
    await pouchVillageCounts(db, 0);
    return performance.now() - t;
  },

  async pouchCounts(name: string, year: number) {
    const t = performance.now();
    const counts = await pouchVillageCounts(local(name), year);
    return { ms: performance.now() - t, totals: totals(counts) };
  },
};

export type BenchKit = typeof kit;

declare global {
  interface Window {
    benchKit?: BenchKit;
  }
}

window.benchKit = kit;
