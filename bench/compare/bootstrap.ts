/**
 * Scenario 2: first download of a commune (5,000 households, 20,000 citizens, 300 clans,
 * 10 villages) onto a new device, a fresh on-disk Chromium profile per repetition.
 * - ours: the real app's first pull (click "Đồng bộ ngay" → idle) from our server, seeded once
 *   over HTTP by another device (bench/sync/scenarios.ts);
 * - PouchDB: `replicate.from` express-pouchdb, pre-filled once with the same records as docs
 *   (bulkDocs on the server's own PouchDB, not timed).
 * "Usable" is defined alike: the first batch of records is written to the device's database
 * (ours: the first pull page (250 records; the pages after it hold 1,000) applied; PouchDB: the first 'change' event, a batch of 100).
 */
import { trafficSince } from '../../tests/support/loopback-proxy';
import { communeOps, FULL_REGISTER, generateRegister, SMOKE_REGISTER } from '../data';
import { log, mib, num, round } from '../harness/common';
import { runBootstrap, seedCommune, type SeededCommune } from '../sync/scenarios';
import { startBenchServer } from '../sync/server';
import { alternate, asDoc, errorNote, openKitPage, postgresMissing, postgresOf, POUCH_KINDS } from './context';
import { pouchProxy, rowOf, type CompareContext } from './context';
import type { ScenarioRow } from './table';

export async function runBootstrapComparison(ctx: CompareContext, budgetMs: number): Promise<ScenarioRow[]> {
  const budgetEnd = Date.now() + budgetMs;
  const stepMs = Math.max(30_000, budgetMs);
  const sizes = ctx.smoke ? SMOKE_REGISTER : FULL_REGISTER;
  const register = generateRegister({ ...sizes, seed: ctx.seed, year: ctx.year });
  const { ops } = communeOps(register, new Date(Date.UTC(ctx.year, 0, 5)).toISOString());
  const docs = ops.map((op) => asDoc(op.entity, { id: op.recordId, communeCode: op.communeCode, data: op.data }));

  const side = () => ({
    firstMs: [] as number[],
    doneMs: [] as number[],
    bytes: [] as number[],
    idb: [] as number[],
    errors: [] as string[],
  });
  const ours = side();
  const pouch = side();
  const oursPg = { doneMs: [] as number[], errors: [] as string[] };
  const postgres = postgresOf(ctx);
  const server = await startBenchServer(ctx.staticDir);
  const pgServer = postgres
    ? await startBenchServer(ctx.staticDir, { databaseUrl: await postgres.freshDatabaseUrl() })
    : undefined;
  const proxy = await pouchProxy(ctx);
  let seeded: SeededCommune | undefined;
  const done = { rounds: 0 };
  try {
    // The three servers are filled side by side (set-up, not timed).
    const remote = new ctx.pouch.local('commune');
    const fillCouch = async () => {
      const started = performance.now();
      for (let i = 0; i < docs.length; i += 1000) await remote.bulkDocs(docs.slice(i, i + 1000));
      return performance.now() - started;
    };
    const [ourSeed, pgSeeded, couchMs] = await Promise.all([
      seedCommune(server, ctx),
      pgServer ? seedCommune(pgServer, ctx) : undefined,
      fillCouch(),
    ]);
    seeded = ourSeed;
    log(
      `bootstrap: our server seeded with ${num(seeded.total)} records in ${seeded.seedMs} ms${pgSeeded ? `, PostgreSQL in ${pgSeeded.seedMs} ms` : ''}; CouchDB side with ${num(docs.length)} docs in ${round(couchMs)} ms (at once, not timed)`,
    );
    const commune = seeded;
    done.rounds = await alternate('bootstrap', ctx.reps, budgetEnd, [
      {
        name: 'ours',
        errors: ours.errors,
        run: async () => {
          const b = await runBootstrap(ctx, server, commune, 'none', ctx.deadline.step(stepMs));
          ours.firstMs.push(b.firstPageMs);
          ours.doneMs.push(b.doneMs);
          ours.bytes.push(b.wire.up + b.wire.down);
          ours.idb.push(mib(b.usageDetails?.indexedDB ?? b.usageBytes ?? NaN));
          log(`bootstrap ours: usable ${b.firstPageMs} ms, done ${b.doneMs} ms, ${num(b.wire.down)} B down`);
        },
      },
      ...(pgServer && pgSeeded
        ? [
            {
              name: 'ours on PostgreSQL',
              errors: oursPg.errors,
              run: async () => {
                const b = await runBootstrap(ctx, pgServer, pgSeeded, 'none', ctx.deadline.step(stepMs));
                oursPg.doneMs.push(b.doneMs);
                log(`bootstrap ours on PostgreSQL: usable ${b.firstPageMs} ms, done ${b.doneMs} ms`);
              },
            },
          ]
        : []),
      {
        name: 'PouchDB',
        errors: pouch.errors,
        run: async () => {
          const page = await openKitPage(proxy.url, ctx.deadline);
          try {
            const before = proxy.snapshot();
            const remoteUrl = ctx.pouch.dbUrl('commune', proxy.url);
            const run = await page.kit('pouchReplicate', 'from', 'commune', remoteUrl, 1, ctx.deadline.step(stepMs));
            const traffic = trafficSince(proxy.stats, before, POUCH_KINDS);
            if (!Number.isFinite(run.ms)) throw new Error(`replication did not finish: ${run.errors.join('; ')}`);
            const local = await page.kit('pouchDocCount', 'commune');
            if (local !== docs.length) throw new Error(`the device holds ${local} docs, expected ${docs.length}`);
            const usage = await page.kit('storageUsage');
            pouch.firstMs.push(round(run.firstBatchMs ?? NaN));
            pouch.doneMs.push(round(run.ms));
            pouch.bytes.push(traffic.up + traffic.down);
            pouch.idb.push(mib(usage.indexedDB ?? usage.usage ?? NaN));
            log(
              `bootstrap PouchDB: usable ${round(run.firstBatchMs ?? NaN)} ms, done ${round(run.ms)} ms, ${num(traffic.down)} B down, ${traffic.requests} requests`,
            );
          } finally {
            await page.close();
          }
        },
      },
    ]);
  } finally {
    await proxy.close();
    await server.close();
    await pgServer?.close();
  }

  const what = seeded
    ? Object.entries(seeded.counts)
        .map(([k, v]) => `${num(v)} ${k}s`)
        .join(', ')
    : `${num(docs.length)} records`;
  const errors = [...ours.errors, ...oursPg.errors, ...pouch.errors];
  const budgetNote = done.rounds < ctx.reps ? ` ${done.rounds} of ${ctx.reps} repetitions fit the time budget.` : '';
  const base = {
    scenario: '2-bootstrap',
    better: 'lower',
    oursName: 'PGlite (disk)',
    baselineName: 'PouchDB replicate.from ← express-pouchdb (LevelDB)',
  } as const;
  const fiveTimes = { text: '≥ 5× PouchDB', ratio: 5 };
  return [
    rowOf(ctx, {
      ...base,
      id: 'bootstrap-total',
      label: `First download of a commune (${what}): total`,
      unit: 'ms',
      ours: ours.doneMs,
      baseline: pouch.doneMs,
      target: fiveTimes,
      note: `click → idle with every record stored (ours); replicate.from resolved (PouchDB).${budgetNote}${errorNote(errors)}`,
    }),
    rowOf(ctx, {
      ...base,
      id: 'bootstrap-total-postgres',
      label: 'First download: total, our server on PostgreSQL',
      unit: 'ms',
      ours: postgres ? oursPg.doneMs : null,
      oursName: postgres?.name ?? 'PostgreSQL',
      baseline: pouch.doneMs,
      target: fiveTimes,
      note: `the same commune seeded into a fresh PostgreSQL database.${postgresMissing(ctx)}`,
    }),
    rowOf(ctx, {
      ...base,
      id: 'bootstrap-usable',
      label: 'First download: until usable (first batch stored)',
      unit: 'ms',
      ours: ours.firstMs,
      baseline: pouch.firstMs,
      note: 'ours: first pull page (250 records; later pages 1,000) applied; PouchDB: first change event (a batch of 100 docs written).',
    }),
    rowOf(ctx, {
      ...base,
      id: 'bootstrap-bytes',
      label: 'First download: bytes on the wire (both ways, headers included)',
      unit: 'B',
      ours: ours.bytes,
      baseline: pouch.bytes,
    }),
    rowOf(ctx, {
      ...base,
      id: 'bootstrap-idb-size',
      label: 'First download: IndexedDB size afterwards',
      unit: 'MiB',
      ours: ours.idb,
      baseline: pouch.idb,
      note: 'navigator.storage.estimate().usageDetails.indexedDB of the fresh profile.',
    }),
  ];
}
