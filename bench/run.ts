/**
 * `npm run bench`: ours against the field's anchors (PouchDB/CouchDB replication) in one run,
 * then the register screens. See bench/README.md.
 *
 *   npm run bench                                 full run (< 10 minutes on the 2-core machine)
 *   npm run bench -- --smoke                      tiny sizes, 1 repetition, nothing judged (< 2 min)
 *   npm run bench -- --only=upload,counts         a subset: upload, upload3g, faults, bootstrap,
 *                                                 burst, counts, register (the register screens:
 *                                                 in the smoke, not in the full run's default)
 *
 * Options: --dist (serve dist/ as it is), --seed=N, --reps=N (default 5), --budget=S (whole run,
 * seconds), --upload-records=N, --upload3g-records=N, --fault-records=N.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundlePageKit } from './compare/page/bundle';
import { runBootstrapComparison } from './compare/bootstrap';
import { countsProfile, runCountsComparison } from './compare/counts';
import { disposeTemplates, outboxTemplate, type CompareContext } from './compare/context';
import { runFaultComparison } from './compare/faults';
import { makeRow, type ScenarioRow } from './compare/result';
import { markdownTable, writeReport } from './compare/table';
import { runUpload } from './compare/upload';
import { chromiumVersion } from './harness/browser';
import {
  Deadline,
  errorText,
  log,
  prepareBuild,
  readPackageVersion,
  ROOT,
  round1,
  runMain,
  setLogPrefix,
} from './harness/common';
import { startPouchServer } from './harness/pouch-server';
import { openPostgresHost, type PostgresHost } from './burst/postgres';

const PARTS = ['upload', 'upload3g', 'faults', 'bootstrap', 'burst', 'counts', 'register'] as const;
type Part = (typeof PARTS)[number];

interface Options {
  smoke: boolean;
  useDist: boolean;
  seed: number;
  reps: number;
  budgetMs: number;
  only: Part[];
  uploadRecords: number;
  upload3gRecords: number;
  faultRecords: number;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const known = [
    '--smoke',
    '--dist',
    '--seed=',
    '--reps=',
    '--budget=',
    '--only=',
    '--upload-records=',
    '--upload3g-records=',
    '--fault-records=',
  ];
  const unknown = argv.filter((a) => !known.some((k) => (k.endsWith('=') ? a.startsWith(k) : a === k)));
  if (unknown.length > 0) throw new Error(`unknown option(s): ${unknown.join(' ')}`);
  const smoke = argv.includes('--smoke');
  const int = (name: string, fallback: number, min: number, max: number) => {
    const n = Number(value(name) ?? fallback);
    if (!(Number.isInteger(n) && n >= min && n <= max))
      throw new Error(`--${name} must be an integer in ${min}..${max}`);
    return n;
  };
  // The full run leaves out the register screens (npm run bench:register; they have no baseline).
  const only = (value('only') ?? PARTS.filter((p) => smoke || p !== 'register').join(','))
    .split(',')
    .map((x) => x.trim()) as Part[];
  if (only.some((x) => !PARTS.includes(x)))
    throw new Error(`--only takes a comma-separated list of: ${PARTS.join(', ')}`);
  return {
    smoke,
    useDist: argv.includes('--dist'),
    seed: int('seed', 20_240_611, 0, 2 ** 31),
    reps: int('reps', smoke ? 1 : 5, 1, 10),
    budgetMs: int('budget', smoke ? 110 : DEFAULT_BUDGET_S, 20, 3600) * 1000,
    only,
    uploadRecords: int('upload-records', smoke ? 200 : 25_000, 50, 25_000),
    upload3gRecords: int('upload3g-records', smoke ? 100 : 2_500, 50, 25_000),
    faultRecords: int('fault-records', smoke ? 200 : 2_500, 50, 25_000),
  };
}

/** Each part's share of the default budget (seconds, measured on the 2-core machine; see bench/README.md); a smoke run scales them down, and unused time passes on. */
const BUDGET_S: Record<Part, number> = {
  upload: 240,
  upload3g: 88,
  faults: 45,
  bootstrap: 142,
  burst: 40,
  counts: 15,
  register: 45,
};
/** The whole run's default budget: under 10 minutes, with the shares above plus the build and margins. */
const DEFAULT_BUDGET_S = 590;

interface BurstModule {
  runBurstScenarios(options: {
    smoke: boolean;
    deadlineMs: number;
    log: (line: string) => void;
    postgres?: PostgresHost | { readonly skipped: string };
  }): Promise<ScenarioRow[]>;
}

/** Scenario 3 and the Node half of 4 live in bench/burst/burst.ts (loaded only if it is there). */
async function runBurst(
  smoke: boolean,
  budgetMs: number,
  postgres: PostgresHost | { readonly skipped: string },
): Promise<ScenarioRow[]> {
  const file = path.join(ROOT, 'bench', 'burst', 'burst.ts');
  const missing = (why: string) => [
    makeRow(
      {
        scenario: '3-burst',
        id: 'burst-unavailable',
        label: 'Sync-day burst: scenario 3 not measured',
        unit: 'count',
        better: 'lower',
        ours: null,
        baseline: null,
        baselineName: null,
        note: why,
      },
      smoke,
    ),
  ];
  if (!fs.existsSync(file)) return missing('bench/burst/burst.ts is not there yet.');
  try {
    const burst = (await import(/* @vite-ignore */ new URL('./burst/burst.ts', import.meta.url).href)) as BurstModule;
    const rows = await burst.runBurstScenarios({
      smoke,
      deadlineMs: Date.now() + budgetMs,
      log: (line) => log(`burst: ${line}`),
      postgres,
    });
    return rows.length > 0 ? rows : missing(`no run fitted its ${Math.round(budgetMs / 1000)} s.`);
  } catch (error) {
    return missing(`failed: ${errorText(error)}`);
  }
}

/**
 * The register-screens bench (no baseline), as a child process; its table is printed after ours.
 * The smoke starts it at once, beside the rest (nothing is judged there), to stay short.
 */
function runRegister(options: Options, timeoutMs: number): Promise<{ ok: boolean; table: string }> {
  const args = [
    '--import',
    'tsx',
    'bench/register/register-bench.ts',
    ...(options.smoke ? ['--smoke'] : []),
    ...(options.useDist ? ['--dist'] : []),
    `--seed=${options.seed}`,
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let table = '';
  child.stdout.on('data', (chunk: Buffer) => (table += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, table });
    });
  });
}

function versions(chromium: string, postgres: PostgresHost | { readonly skipped: string }) {
  const v = (name: string) => {
    try {
      return readPackageVersion(name);
    } catch {
      return 'not installed';
    }
  };
  return {
    node: process.version,
    chromium,
    'pouchdb-browser': v('pouchdb-browser'),
    'pouchdb-node': v('pouchdb-node'),
    'express-pouchdb': v('express-pouchdb'),
    leveldown: v('leveldown'),
    '@electric-sql/pglite': v('@electric-sql/pglite'),
    postgresql:
      'skipped' in postgres ? `not measured (${postgres.skipped})` : `${postgres.version} (${postgres.durability})`,
    dexie: v('dexie'),
    fastify: v('fastify'),
    'playwright-core': v('playwright-core'),
  };
}

async function main(): Promise<number> {
  setLogPrefix('[bench]');
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const deadline = new Deadline(options.budgetMs);
  const want = (part: Part) => options.only.includes(part);
  const scale = options.smoke ? options.budgetMs / 1000 / 120 : options.budgetMs / 1000 / DEFAULT_BUDGET_S;
  /**
   * A part's time: what is left of the run minus the shares of the parts after it. So a part gets
   * its share plus whatever the parts before it did not use, and is cut when they overran.
   */
  const budget = (part: Part) => {
    const later = PARTS.slice(PARTS.indexOf(part) + 1)
      .filter(want)
      .reduce((sum, p) => sum + BUDGET_S[p] * 1000 * scale, 0);
    const floor = options.smoke && part === 'burst' ? 30_000 : 10_000;
    return Math.max(floor, deadline.left() - 5_000 - later);
  };
  const loadAtStart = os.loadavg().map(round1);
  const rows: ScenarioRow[] = [];
  const build = prepareBuild(options.useDist, false);
  const page = await bundlePageKit();
  const pouch = await startPouchServer(page.dir);
  // Ours runs on PGlite and on PostgreSQL: with PostgreSQL's default durability in a measuring run
  // (the test cluster runs without fsync, so then a throwaway one is started), any cluster in the smoke.
  const needsPostgres = (['upload', 'upload3g', 'faults', 'bootstrap', 'burst'] as const).some(want);
  const postgresHost = needsPostgres
    ? await openPostgresHost({ durable: !options.smoke }).catch((error: unknown) => ({ skipped: errorText(error) }))
    : { skipped: 'not needed by the parts asked for' };
  const postgres =
    'skipped' in postgresHost
      ? postgresHost
      : {
          name: postgresHost.version,
          async freshDatabaseUrl() {
            // Never an empty URL: the bench server would quietly run on PGlite under a PostgreSQL label.
            const { databaseUrl } = await postgresHost.freshDatabase();
            if (!databaseUrl) throw new Error('PostgreSQL gave no database URL');
            return databaseUrl;
          },
        };
  log(
    `${build.note}; page kit bundled in ${Math.round(page.ms)} ms; PostgreSQL: ${'skipped' in postgresHost ? `none (${postgresHost.skipped})` : `${postgresHost.version} (${postgresHost.durability})`}; budget ${options.budgetMs / 1000} s`,
  );
  const chromium = await chromiumVersion();
  const year = new Date().getFullYear();
  const ctx: CompareContext = {
    smoke: options.smoke,
    seed: options.seed,
    year,
    deadline,
    staticDir: build.staticDir,
    pouch,
    reps: options.reps,
    sync: { seed: options.seed, pushVillages: 10, smoke: options.smoke, profile: false },
    postgres,
    templates: new Map(),
    // Done during upload's set-up, beside its own: upload3g and faults upload the same 2,510 (and
    // upload3g needs a second copy: its two runs of ours, PGlite and PostgreSQL, go side by side);
    // counts fills its profile (≈ 20-40 s of untimed work that would otherwise run alone later).
    setupAhead: [
      ...(want('upload3g') ? [() => outboxTemplate(ctx, options.upload3gRecords, 0)] : []),
      ...(want('upload3g') && !('skipped' in postgresHost)
        ? [() => outboxTemplate(ctx, options.upload3gRecords, 1)]
        : []),
      ...(want('faults') ? [() => outboxTemplate(ctx, options.faultRecords, 0)] : []),
      ...(want('counts') ? [() => countsProfile(ctx)] : []),
    ],
  };
  const timings: Record<string, number> = {};
  let failed = false;
  const part = async (name: Part, work: () => Promise<ScenarioRow[]>) => {
    if (!want(name)) return;
    if (deadline.left() < 10_000) {
      log(`${name}: skipped, the run's time is up`);
      rows.push(
        makeRow(
          {
            scenario: name,
            id: `${name}-skipped`,
            label: `${name}: not run (time budget)`,
            unit: 'count',
            better: 'lower',
            ours: null,
            baseline: null,
            baselineName: null,
          },
          options.smoke,
        ),
      );
      return;
    }
    const t = Date.now();
    log(`== ${name} (budget ${Math.round(budget(name) / 1000)} s)`);
    try {
      rows.push(...(await work()));
    } catch (error) {
      failed = true;
      log(`${name}: ERROR ${errorText(error)}`);
      rows.push(
        makeRow(
          {
            scenario: name,
            id: `${name}-failed`,
            label: `${name}: failed`,
            unit: 'count',
            better: 'lower',
            ours: null,
            baseline: null,
            baselineName: null,
            note: errorText(error),
          },
          options.smoke,
        ),
      );
    }
    timings[name] = Math.round((Date.now() - t) / 1000);
  };
  let register = { ok: true, table: '' };
  // In the smoke the register child runs beside the rest; in a full run after it, alone.
  const early = want('register') && options.smoke ? runRegister(options, 60_000) : null;
  const registerRun = want('register') ? (timeoutMs: number) => early ?? runRegister(options, timeoutMs) : null;
  try {
    await part('upload', () =>
      runUpload(ctx, {
        throttle: 'none',
        records: options.uploadRecords,
        budgetMs: budget('upload'),
        odkSampleMs: options.smoke ? 300 : 2_000,
      }),
    );
    await part('upload3g', () => {
      const scaleNote =
        options.upload3gRecords < options.uploadRecords
          ? `3G: ${options.upload3gRecords.toLocaleString('en')} records (not ${options.uploadRecords.toLocaleString('en')}) to fit the run's 10 minutes`
          : undefined;
      return runUpload(ctx, {
        throttle: '3g',
        records: options.upload3gRecords,
        budgetMs: budget('upload3g'),
        odkSampleMs: options.smoke ? 1_500 : 6_000,
        ...(scaleNote ? { scaleNote } : {}),
      });
    });
    await part('faults', () => runFaultComparison(ctx, options.faultRecords, budget('faults')));
    await part('bootstrap', () => runBootstrapComparison(ctx, budget('bootstrap')));
    // The comparisons are done with PostgreSQL: their last database would keep autovacuum busy.
    if (!('skipped' in postgresHost)) await postgresHost.dropAll().catch(() => undefined);
    await part('burst', () => runBurst(options.smoke, budget('burst'), postgresHost));
    await part('counts', () => runCountsComparison(ctx, budget('counts')));
    if (registerRun) {
      const t = Date.now();
      log('== register (child process)');
      register = await registerRun(Math.max(options.smoke ? 40_000 : 90_000, deadline.left()));
      timings.register = Math.round((Date.now() - t) / 1000);
      if (!register.ok) failed = true;
    }
  } finally {
    await disposeTemplates(ctx);
    if (!('skipped' in postgresHost)) postgresHost.close();
    await pouch.close();
    page.close();
    if (build.temporary) fs.rmSync(build.staticDir, { recursive: true, force: true });
  }

  const totalS = Math.round((Date.now() - started) / 1000);
  const report = {
    kind: 'compare',
    mode: options.smoke ? 'smoke' : 'full',
    startedAt: new Date(started).toISOString(),
    totalSeconds: totalS,
    partSeconds: timings,
    options,
    versions: versions(chromium, postgresHost),
    machine: {
      platform: `${os.platform()} ${os.release()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryBytes: os.totalmem(),
      loadAverage: { atStart: loadAtStart, atEnd: os.loadavg().map(round1) },
    },
    build: build.note,
    rows,
  };
  const file = writeReport(report);
  const versionLine = Object.entries(report.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  process.stdout.write(
    [
      `## Benchmark: ours vs PouchDB/CouchDB (${report.mode}) — ${report.startedAt}`,
      '',
      `${versionLine}. ${report.machine.cpus} CPUs (${report.machine.cpuModel}), load average ${loadAtStart[0]} at start, ${report.machine.loadAverage.atEnd[0]} at end. Whole run ${totalS} s (${Object.entries(
        timings,
      )
        .map(([k, v]) => `${k} ${v} s`)
        .join(', ')}).`,
      '',
      markdownTable(rows),
      '',
      `Results: ${path.relative(ROOT, file)}`,
      register.table ? `\n${register.table}` : '',
    ].join('\n') + '\n',
  );
  return failed ? 1 : 0;
}

runMain(main);
