/**
 * Sync benchmark: the built app in headless Chromium (phone screen, on-disk profile) syncing
 * with the real server (in this process, PGlite in a temporary directory on disk) over loopback,
 * through a byte-counting TCP proxy. See bench/README.md, section "Sync".
 *
 *   npm run bench:sync                               full run (about 5 minutes)
 *   node --import tsx bench/sync-bench.ts --smoke    500 records, small commune, 1 run (< 30 s)
 *
 * Options: --smoke, --dist (serve dist/ as it is instead of a fresh build), --seed=N,
 * --reps=N (timed repetitions, default 3), --no-3g (skip the throttled scenarios).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromiumVersion } from './harness/browser';
import {
  Deadline,
  errorText,
  log,
  prepareBuild,
  readPackageVersion,
  RESULTS_DIR,
  ROOT,
  round,
  round1,
  runMain,
  setLogPrefix,
  sum,
} from './harness/common';
import {
  runBootstrap,
  runPush,
  seedCommune,
  type BootstrapSample,
  type Context,
  type PushSample,
  type SeededCommune,
} from './sync/scenarios';
import type { BenchServer } from './sync/server';
import type { Traffic } from './sync/profile';
import { startBenchServer } from './sync/server';
import { markdownTable, row, type Row } from './sync/report';
import { pushWorkload } from './sync-data';

const GOAL_MS = 10_000;

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

const ALL_SCENARIOS = ['push', 'bootstrap', 'bootstrap3g', 'push3g'] as const;
type Scenario = (typeof ALL_SCENARIOS)[number];

interface RunOptions {
  smoke: boolean;
  useDist: boolean;
  seed: number;
  only: Scenario[];
  pushRecords: number;
  push3gRecords: number;
  pushVillages: number;
  warmupPushRecords: number;
  warmups: number;
  bootstrapWarmup: boolean;
  repetitions: number;
  budgetMs: number;
  /** Record a CPU profile of the page during each timed sync (unminified build; slower). */
  profile: boolean;
}

function parseOptions(argv: readonly string[]): RunOptions {
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const known = [
    '--smoke',
    '--dist',
    '--no-3g',
    '--profile',
    '--seed=',
    '--reps=',
    '--only=',
    '--push-records=',
    '--push3g-records=',
    '--budget=',
  ];
  const unknown = argv.filter((a) => !known.some((k) => (k.endsWith('=') ? a.startsWith(k) : a === k)));
  if (unknown.length > 0) throw new Error(`unknown option(s): ${unknown.join(' ')}`);
  const smoke = flag('smoke');
  const seed = Number(value('seed') ?? 20_240_611);
  const repetitions = Number(value('reps') ?? (smoke ? 1 : 3));
  const pushRecords = Number(value('push-records') ?? (smoke ? 500 : 25_000));
  if (!(Number.isInteger(pushRecords) && pushRecords >= 100 && pushRecords <= 25_000))
    throw new Error('--push-records must be 100..25000');
  const push3gRecords = Number(value('push3g-records') ?? (smoke ? pushRecords : 5_000));
  const budgetMs = Number(value('budget') ?? (smoke ? 45 : 350)) * 1000;
  let only: Scenario[] = value('only')
    ? (value('only') ?? '').split(',').map((x) => x.trim() as Scenario)
    : [...ALL_SCENARIOS];
  if (only.some((x) => !ALL_SCENARIOS.includes(x)))
    throw new Error(`--only takes a comma-separated list of: ${ALL_SCENARIOS.join(', ')}`);
  if (flag('no-3g')) only = only.filter((x) => !x.endsWith('3g'));
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  if (!(Number.isInteger(repetitions) && repetitions >= 1 && repetitions <= 10))
    throw new Error('--reps must be 1..10');
  if (!(Number.isInteger(push3gRecords) && push3gRecords >= 100 && push3gRecords <= 25_000))
    throw new Error('--push3g-records must be 100..25000');
  if (!(budgetMs >= 10_000)) throw new Error('--budget is in seconds, at least 10');
  return {
    smoke,
    useDist: flag('dist'),
    seed,
    only,
    pushRecords,
    push3gRecords,
    pushVillages: 10,
    warmupPushRecords: smoke ? 0 : 2_500,
    warmups: smoke ? 0 : 1,
    bootstrapWarmup: false,
    repetitions,
    budgetMs,
    profile: flag('profile'),
  };
}

// ---------------------------------------------------------------------------------------------
// Main: what must be measured first, then more repetitions while the budget allows
// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  setLogPrefix('[bench:sync]');
  const options = parseOptions(process.argv.slice(2));
  const deadline = new Deadline(options.budgetMs);
  const startedAt = new Date();
  const loadAtStart = os.loadavg().map(round1);
  const year = startedAt.getFullYear();
  const build = prepareBuild(options.useDist, options.profile);
  log(`${build.note}; budget ${options.budgetMs / 1000} s`);
  const ctx: Context = { options, deadline, staticDir: build.staticDir, year };
  const chromium = await chromiumVersion();
  const stepMs = options.smoke ? 20_000 : 150_000;
  const throttledStepMs = options.smoke ? 30_000 : 240_000;
  const want = (what: Scenario) => options.only.includes(what);

  const push = { warmups: [] as PushSample[], samples: [] as PushSample[], errors: [] as string[] };
  const push3g = { samples: [] as PushSample[], errors: [] as string[] };
  const boot = {
    seeded: undefined as SeededCommune | undefined,
    warmups: [] as BootstrapSample[],
    samples: [] as BootstrapSample[],
    errors: [] as string[],
  };
  const boot3g = { samples: [] as BootstrapSample[], errors: [] as string[] };
  let failed = false;
  /** Runs one step; a failure is recorded and the run goes on with the next scenario. */
  const attempt = async (errors: string[], what: string, step: () => Promise<void>) => {
    try {
      await step();
      return true;
    } catch (error) {
      errors.push(errorText(error));
      failed = true;
      log(`${what}: ERROR ${errorText(error)}`);
      return false;
    }
  };
  const pushLabel = (p: PushSample) =>
    `push ${p.pushMs} ms (server ${p.push.serverMs} ms, device ${p.devicePush?.deviceMs ?? '–'} ms)${p.fullSyncMs === null ? '' : `, idle after the pull back ${p.fullSyncMs} ms`}`;
  const bootLabel = (b: BootstrapSample) =>
    `first page ${b.firstPageMs} ms, done ${b.doneMs} ms (server ${b.pull.serverMs} ms, device ${b.device?.deviceMs ?? '–'} ms), usage ${b.usageBytes} B`;
  let bootstrapServer: BenchServer | undefined;

  try {
    // 1. Push, unthrottled: a smaller warm-up, then one timed run waiting for the pull back too.
    if (want('push')) {
      for (let i = 0; i < options.warmups && options.warmupPushRecords > 0; i += 1) {
        await attempt(push.errors, 'push warm-up', async () => {
          log(`push warm-up: ${options.warmupPushRecords} records`);
          const w = await runPush(ctx, options.warmupPushRecords, 'none', true, stepMs);
          log(`  ${pushLabel(w)}`);
          push.warmups.push(w);
        });
      }
      await attempt(push.errors, 'push', async () => {
        log(`push 1: ${options.pushRecords} records + ${options.pushVillages} villages, unthrottled`);
        const p = await runPush(ctx, options.pushRecords, 'none', true, stepMs);
        log(`  ${pushLabel(p)}`);
        push.samples.push(p);
      });
    }

    // 2. Bootstrap, unthrottled: one server seeded over HTTP, a new device and profile per run.
    if (want('bootstrap') || want('bootstrap3g')) {
      bootstrapServer = await startBenchServer(ctx.staticDir);
      const server = bootstrapServer;
      await attempt(boot.errors, 'bootstrap seeding', async () => {
        log('bootstrap: seeding the server over HTTP');
        boot.seeded = await seedCommune(server, ctx);
        log(
          `  ${boot.seeded.total} records in ${boot.seeded.seedMs} ms (${boot.seeded.batches} pushes, median ${boot.seeded.medianBatchMs} ms each)`,
        );
      });
    }
    const seeded = boot.seeded;
    if (bootstrapServer && seeded && want('bootstrap')) {
      const server = bootstrapServer;
      if (options.bootstrapWarmup) {
        await attempt(boot.errors, 'bootstrap warm-up', async () => {
          log('bootstrap warm-up');
          const w = await runBootstrap(ctx, server, seeded, 'none', stepMs);
          log(`  ${bootLabel(w)}`);
          boot.warmups.push(w);
        });
      }
      await attempt(boot.errors, 'bootstrap', async () => {
        log('bootstrap 1, unthrottled');
        const b = await runBootstrap(ctx, server, seeded, 'none', stepMs);
        log(`  ${bootLabel(b)}`);
        boot.samples.push(b);
      });
    }

    // 3. 3G: one bootstrap, then one push (of fewer records in the default run: see --push3g-records).
    if (bootstrapServer && seeded && want('bootstrap3g')) {
      const server = bootstrapServer;
      await attempt(boot3g.errors, 'bootstrap 3G', async () => {
        log('bootstrap, 3G');
        const b = await runBootstrap(ctx, server, seeded, '3g', throttledStepMs);
        log(`  ${bootLabel(b)}`);
        boot3g.samples.push(b);
      });
    }
    if (want('push3g')) {
      await attempt(push3g.errors, 'push 3G', async () => {
        log(`push, 3G: ${options.push3gRecords} records + ${options.pushVillages} villages`);
        const p = await runPush(ctx, options.push3gRecords, '3g', false, throttledStepMs);
        log(`  ${pushLabel(p)}`);
        push3g.samples.push(p);
      });
    }

    // 4. More timed repetitions while they fit in the budget (estimated from the first run).
    const reserveMs = 15_000;
    for (;;) {
      const bootLeft =
        want('bootstrap') &&
        bootstrapServer &&
        seeded &&
        boot.samples.length > 0 &&
        boot.samples.length < options.repetitions;
      const pushLeft = want('push') && push.samples.length > 0 && push.samples.length < options.repetitions;
      const bootCost = (boot.samples[0]?.wallMs ?? Infinity) * 1.15;
      const pushCost =
        ((push.samples[0]?.wallMs ?? Infinity) -
          ((push.samples[0]?.fullSyncMs ?? 0) - (push.samples[0]?.pushMs ?? 0))) *
        1.15;
      if (
        bootLeft &&
        bootstrapServer &&
        seeded &&
        deadline.left() - reserveMs > bootCost &&
        (boot.samples.length <= push.samples.length || !pushLeft || deadline.left() - reserveMs < pushCost)
      ) {
        const server = bootstrapServer;
        const ok = await attempt(boot.errors, 'bootstrap', async () => {
          log(`bootstrap ${boot.samples.length + 1}, unthrottled`);
          const b = await runBootstrap(ctx, server, seeded, 'none', stepMs);
          log(`  ${bootLabel(b)}`);
          boot.samples.push(b);
        });
        if (!ok) break;
      } else if (pushLeft && deadline.left() - reserveMs > pushCost) {
        const ok = await attempt(push.errors, 'push', async () => {
          log(
            `push ${push.samples.length + 1}: ${options.pushRecords} records, unthrottled (not waiting for the pull back)`,
          );
          const p = await runPush(ctx, options.pushRecords, 'none', false, stepMs);
          log(`  ${pushLabel(p)}`);
          push.samples.push(p);
        });
        if (!ok) break;
      } else {
        const skipped = [
          bootLeft
            ? `bootstrap (${boot.samples.length}/${options.repetitions} done, ~${round(bootCost / 1000)} s each)`
            : '',
          pushLeft
            ? `push (${push.samples.length}/${options.repetitions} done, ~${round(pushCost / 1000)} s each)`
            : '',
        ]
          .filter(Boolean)
          .join(', ');
        if (skipped) log(`budget: ${round(deadline.left() / 1000)} s left, no more repetitions of ${skipped}`);
        break;
      }
    }
  } finally {
    await bootstrapServer?.close();
    if (build.temporary) fs.rmSync(build.staticDir, { recursive: true, force: true });
  }

  // Table.
  const smoke = options.smoke;
  const rows: Row[] = [];
  const n = (x: number) => x.toLocaleString('en');
  if (want('push')) {
    rows.push(
      row(
        'push',
        `Push ${n(options.pushRecords)} households + ${options.pushVillages} villages, click → outbox empty, unthrottled`,
        push.samples.map((s) => s.pushMs),
        push.warmups.map((s) => s.pushMs),
        GOAL_MS,
        smoke,
        push.errors[0],
      ),
    );
    rows.push(
      row(
        'pushThenPull',
        '  same, until idle (the pull that follows brings them back)',
        push.samples.filter((s) => s.fullSyncMs !== null).map((s) => s.fullSyncMs ?? 0),
        [],
        null,
        smoke,
      ),
    );
  }
  if (want('push3g')) {
    rows.push(
      row(
        'push3g',
        `Push ${n(options.push3gRecords)} households + ${options.pushVillages} villages, 3G`,
        push3g.samples.map((s) => s.pushMs),
        [],
        null,
        smoke,
        push3g.errors[0],
      ),
    );
    const p = push3g.samples[0];
    if (p && options.push3gRecords !== options.pushRecords) {
      const scale = (options.pushRecords + options.pushVillages) / p.records;
      rows.push(
        row(
          'push3gExtrapolated',
          `  → ${n(options.pushRecords)} at the same rate (linear extrapolation ×${round1(scale)}, not measured)`,
          [round(p.pushMs * scale)],
          [],
          null,
          smoke,
        ),
      );
    }
  }
  const communeLabel = boot.seeded
    ? Object.entries(boot.seeded.counts)
        .map(([k, v]) => `${n(v)} ${k}s`)
        .join(', ')
    : 'commune';
  if (want('bootstrap')) {
    rows.push(
      row(
        'bootstrap',
        `Bootstrap (${communeLabel}), click → pull finished, unthrottled`,
        boot.samples.map((s) => s.doneMs),
        boot.warmups.map((s) => s.doneMs),
        GOAL_MS,
        smoke,
        boot.errors[0],
      ),
    );
    rows.push(
      row(
        'bootstrapFirstPage',
        '  same, first page (250 records) applied ("usable")',
        boot.samples.map((s) => s.firstPageMs),
        boot.warmups.map((s) => s.firstPageMs),
        null,
        smoke,
      ),
    );
  }
  if (want('bootstrap3g')) {
    rows.push(
      row(
        'bootstrap3g',
        'Bootstrap, 3G',
        boot3g.samples.map((s) => s.doneMs),
        [],
        null,
        smoke,
        boot3g.errors[0] ?? (boot.seeded ? undefined : boot.errors[0]),
      ),
    );
    rows.push(
      row(
        'bootstrap3gFirstPage',
        '  same, first page applied',
        boot3g.samples.map((s) => s.firstPageMs),
        [],
        null,
        smoke,
      ),
    );
  }

  // Bytes per record, from the first timed run of each.
  const perRecord = (bytes: number, records: number) => round1(bytes / records);
  const p1 = push.samples[0] ?? push3g.samples[0];
  const b1 = boot.samples[0] ?? boot3g.samples[0];
  const bytes = {
    push: p1
      ? {
          records: p1.records,
          requestBodyPerRecord: perRecord(p1.push.requestBodyBytes, p1.records),
          requestJsonPerRecord: perRecord(p1.push.requestJsonBytes ?? 0, p1.records),
          responseBodyPerRecord: perRecord(p1.push.responseBodyBytes, p1.records),
          responseJsonPerRecord: perRecord(p1.push.responseJsonBytes, p1.records),
          wireUpPerRecord: perRecord(p1.wire.up, p1.records),
          wireDownPerRecord: perRecord(p1.wire.down, p1.records),
          pullBackResponseBodyPerRecord:
            p1.fullSyncMs === null ? null : perRecord(p1.pull.responseBodyBytes, p1.records),
        }
      : null,
    pull: b1
      ? (() => {
          const records = sum(Object.values(b1.rows));
          return {
            records,
            responseBodyPerRecord: perRecord(b1.pull.responseBodyBytes, records),
            responseJsonPerRecord: perRecord(b1.pull.responseJsonBytes, records),
            cdpEncodedPerRecord: perRecord(b1.pull.cdpResponseBytes, records),
            wireDownPerRecord: perRecord(b1.wire.down, records),
            wireUpPerRecord: perRecord(b1.wire.up, records),
          };
        })()
      : null,
  };

  const report = {
    kind: 'sync',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    mode: smoke ? 'smoke' : 'full',
    options,
    versions: {
      node: process.version,
      chromium,
      playwrightCore: readPackageVersion('playwright-core'),
      dexie: readPackageVersion('dexie'),
      pglite: readPackageVersion('@electric-sql/pglite'),
      fastify: readPackageVersion('fastify'),
      app: (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    },
    machine: {
      platform: `${os.platform()} ${os.release()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryBytes: os.totalmem(),
      /** 1/5/15-minute load averages: other work on the machine skews the numbers. */
      loadAverage: { atStart: loadAtStart, atEnd: os.loadavg().map(round1) },
    },
    build: build.note,
    setup: SETUP,
    pass: 'PASS when every timed repetition (so the max) is under the goal',
    rows,
    bytesPerRecord: bytes,
    pushData: {
      householdDataBytes: pushWorkload({
        seed: options.seed + options.pushRecords,
        households: Math.min(options.pushRecords, 2000),
        villages: options.pushVillages,
        startMs: 0,
      }).householdDataBytes,
    },
    commune: boot.seeded ?? null,
    results: { push, push3g, bootstrap: boot, bootstrap3g: boot3g },
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const prefix = smoke ? 'smoke-sync' : 'sync';
  const file = path.join(RESULTS_DIR, `${prefix}-${stamp}.json`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  fs.writeFileSync(file, json);
  if (options.only.length === ALL_SCENARIOS.length)
    fs.writeFileSync(path.join(RESULTS_DIR, `latest-${prefix}.json`), json);

  const mib = (x: number | null | undefined) =>
    x === null || x === undefined ? 'unknown' : `${(x / 1024 / 1024).toFixed(1)} MiB`;
  const sec = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);
  const top = (t: Traffic) =>
    t.topStatements
      .slice(0, 3)
      .map((x) => `"${x.sql.slice(0, 40)}…" ${x.n}× ${sec(x.ms)}`)
      .join('; ');
  const out: (string | null)[] = [
    `## Sync benchmark (${report.mode}) — ${report.startedAt}`,
    '',
    `Chromium ${chromium}, Node ${process.version}, ${os.cpus().length} CPUs (${report.machine.cpuModel}, load average ${loadAtStart[0]} at start, ${report.machine.loadAverage.atEnd[0]} at end); loopback; server in process on PGlite (disk); ${build.note}. ` +
      `Push data: ${report.pushData.householdDataBytes.mean} B of JSON per household on average.`,
    '',
    markdownTable(rows, smoke),
    '',
    bytes.push
      ? `Bytes per record, push: ${bytes.push.requestBodyPerRecord} B request body as sent (gzip of ${bytes.push.requestJsonPerRecord} B JSON), ${bytes.push.responseBodyPerRecord} B response body (JSON ${bytes.push.responseJsonPerRecord} B); ` +
        `on the wire with HTTP headers ${bytes.push.wireUpPerRecord} B up + ${bytes.push.wireDownPerRecord} B down.` +
        (bytes.push.pullBackResponseBodyPerRecord === null
          ? ''
          : ` The pull after it downloads the same records again: ${bytes.push.pullBackResponseBodyPerRecord} B/record.`)
      : null,
    bytes.pull
      ? `Bytes per record, pull (bootstrap): ${bytes.pull.responseBodyPerRecord} B response body as sent (gzip of ${bytes.pull.responseJsonPerRecord} B JSON); CDP encodedDataLength ${bytes.pull.cdpEncodedPerRecord} B; on the wire ${bytes.pull.wireDownPerRecord} B down + ${bytes.pull.wireUpPerRecord} B up.`
      : null,
    b1
      ? `After the bootstrap: ${JSON.stringify(b1.rows)}; pullCursor stable: ${b1.pullCursorStable}; navigator.storage.estimate().usage ${mib(b1.usageBytes)}` +
        (b1.usageDetails
          ? ` (${Object.entries(b1.usageDetails)
              .map(([k, v]) => `${k} ${mib(v)}`)
              .join(', ')})`
          : '') +
        '.'
      : null,
    p1
      ? `Where the push time goes (run 1, ${p1.push.requests} requests): server ${sec(p1.push.serverMs)} (DB ${sec(p1.push.queryMs)} in ${n(p1.push.queries)} queries: ${top(p1.push)}); ` +
        `device ${sec(p1.devicePush?.deviceMs)} between answers (IndexedDB: outbox read ${sec(p1.idbPush.takeBatch?.totalMs)}, results applied ${sec(p1.idbPush.applyResults?.totalMs)}; main thread busy ${sec(p1.mainThreadPush.taskMs)}, of it script ${sec(p1.mainThreadPush.scriptMs)}; ` +
        (p1.gzipBatch
          ? `gzip of one 500-op batch ${round1(p1.gzipBatch.gzipMs)} ms, ${n(p1.gzipBatch.jsonBytes)} → ${n(p1.gzipBatch.gzipBytes)} B; `
          : '') +
        `reading all ${n(p1.records - options.pushVillages)} households afterwards takes ${p1.homeReadMs} ms in IndexedDB alone, for scale; the home screen counts them by index, at most once every 5 s while a sync writes).`
      : null,
    b1
      ? `Where the bootstrap time goes (run 1, ${b1.pull.requests} pages): server ${sec(b1.pull.serverMs)} (${top(b1.pull)}); fetch → parsed page ${sec(b1.device?.fetchToParsedMs)}; ` +
        `device ${sec(b1.device?.deviceMs)} applying pages (IndexedDB page transactions ${sec(b1.idb.pullPage?.totalMs)}; main thread busy ${sec(b1.mainThread.taskMs)}, script ${sec(b1.mainThread.scriptMs)}).`
      : null,
    `Results: ${path.relative(ROOT, file)}`,
  ];
  process.stdout.write(`${out.filter((l) => l !== null).join('\n')}\n`);
  return failed ? 1 : 0;
}

const SETUP =
  'The server runs in this process (buildApp, PGlite in a temporary directory on disk, a fresh one for every push run); the browser reaches it through a byte-counting loopback TCP proxy. ' +
  'Chromium gets a fresh on-disk profile per run (incognito contexts would keep IndexedDB in memory). The device is enrolled over HTTP, its settings and unsynced data written to IndexedDB, ' +
  'and the page reloaded with navigator.onLine reading false so the scheduler does not start; the timed sync starts with a click on "Đồng bộ ngay". ' +
  '3G = CDP Network.emulateNetworkConditions (150 ms, 1.6 Mbit/s down, 750 kbit/s up) from the click to the end.';

runMain(main);
