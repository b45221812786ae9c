/**
 * `npm run bench`: ours against the field's anchors (PouchDB/CouchDB replication), the sync-day
 * burst, the register screens and the sync goals, as parts of one run. See bench/README.md.
 *
 *   npm run bench                          the comparison and the burst (< 10 minutes on the 2-core machine)
 *   npm run bench -- --smoke               tiny sizes, 1 repetition, nothing judged (with the register screens)
 *   npm run bench -- --only=register,sync  a subset of: upload, upload3g, faults, bootstrap, burst, counts,
 *                                          register, sync (the last two only when asked, or in the smoke)
 *   npm run bench -- --readme              README.md's tables from bench/results/latest.json, nothing run
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runBootstrapComparison } from './compare/bootstrap';
import { countsProfile, runCountsComparison } from './compare/counts';
import { disposeTemplates, outboxTemplate, type CompareContext } from './compare/context';
import { runFaultComparison } from './compare/faults';
import { bundlePageKit } from './compare/page/bundle';
import { markdownTable, missingRow, type ScenarioRow } from './compare/table';
import { runUpload } from './compare/upload';
import { chromiumVersion } from './harness/browser';
import { Deadline, errorText, fileStamp, loadAverage, log, machine, num, prepareBuild } from './harness/common';
import { readPackageVersion, RESULTS_DIR, ROOT, writeResult } from './harness/common';
import { openPostgresHost, type PostgresHost } from './harness/postgres';
import { startPouchServer } from './harness/pouch-server';
import { updateReadme } from './readme-table';
import { runRegisterPart } from './register/part';
import { runSyncPart, SYNC_SCENARIOS, type SyncScenario } from './sync/part';

const PARTS = ['upload', 'upload3g', 'faults', 'bootstrap', 'burst', 'counts', 'register', 'sync'] as const;
type Part = (typeof PARTS)[number];
/** Each part's share of the default budget (seconds, measured on the 2-core machine; see bench/README.md); a smoke run scales them down, and unused time passes on. */
const BUDGET_S: Record<Part, number> = {
  upload: 240,
  upload3g: 88,
  faults: 45,
  bootstrap: 142,
  burst: 40,
  counts: 15,
  register: 45,
  sync: 350,
};
/** The whole run's default budget: under 10 minutes, with the shares above plus the build and margins. */
const DEFAULT_BUDGET_S = 590;
/** Parts that compare ours with a baseline (the burst's rows go in the same table). */
const TABLE_PARTS: readonly Part[] = ['upload', 'upload3g', 'faults', 'bootstrap', 'burst', 'counts'];

const OPTIONS = {
  smoke: { type: 'boolean' },
  dist: { type: 'boolean' },
  readme: { type: 'boolean' },
  profile: { type: 'boolean' },
  'no-3g': { type: 'boolean' },
  only: { type: 'string' },
  seed: { type: 'string' },
  reps: { type: 'string' },
  budget: { type: 'string' },
  'upload-records': { type: 'string' },
  'upload3g-records': { type: 'string' },
  'fault-records': { type: 'string' },
  'push-records': { type: 'string' },
  'push3g-records': { type: 'string' },
  'sync-scenarios': { type: 'string' },
  'cpu-throttle': { type: 'string' },
} as const;

function parseOptions(args: string[]) {
  const { values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false });
  const smoke = values.smoke === true;
  const int = (name: keyof typeof OPTIONS, fallback: number, min: number, max: number) => {
    const n = Number(values[name] ?? fallback);
    if (!(Number.isInteger(n) && n >= min && n <= max))
      throw new Error(`--${name} must be an integer in ${min}..${max}`);
    return n;
  };
  const list = <T extends string>(name: keyof typeof OPTIONS, all: readonly T[], fallback: readonly T[]) => {
    const given = values[name];
    const chosen = typeof given === 'string' ? given.split(',').map((x) => x.trim() as T) : [...fallback];
    if (chosen.some((x) => !all.includes(x)))
      throw new Error(`--${name} takes a comma-separated list of: ${all.join(', ')}`);
    return chosen;
  };
  // The full run leaves out the register screens and the sync goals (no baseline; ask for them).
  const only = list(
    'only',
    PARTS,
    PARTS.filter((p) => p !== 'sync' && (smoke || p !== 'register')),
  );
  const syncScenarios = list('sync-scenarios', SYNC_SCENARIOS, SYNC_SCENARIOS).filter(
    (s: SyncScenario) => values['no-3g'] !== true || !s.endsWith('3g'),
  );
  const pushRecords = int('push-records', smoke ? 500 : 25_000, 100, 25_000);
  return {
    smoke,
    useDist: values.dist === true,
    readme: values.readme === true,
    profile: values.profile === true,
    seed: int('seed', 20_240_611, 0, 2 ** 31),
    /** undefined: each part's own default (the comparison 5, the sync goals 3). */
    reps: values.reps === undefined ? undefined : int('reps', 0, 1, 10),
    budgetMs: int('budget', smoke ? 110 : DEFAULT_BUDGET_S, 20, 3600) * 1000,
    only,
    uploadRecords: int('upload-records', smoke ? 200 : 25_000, 50, 25_000),
    upload3gRecords: int('upload3g-records', smoke ? 100 : 2_500, 50, 25_000),
    faultRecords: int('fault-records', smoke ? 200 : 2_500, 50, 25_000),
    sync: {
      only: syncScenarios,
      pushRecords,
      push3gRecords: int('push3g-records', smoke ? pushRecords : 5_000, 100, 25_000),
    },
    cpuThrottle: int('cpu-throttle', 1, 1, 20),
  };
}
type Options = ReturnType<typeof parseOptions>;

function versions(chromium: string, postgres: PostgresHost | { readonly skipped: string }) {
  const names = ['pouchdb-browser', 'pouchdb-node', 'express-pouchdb', 'leveldown', '@electric-sql/pglite'];
  return {
    node: process.version,
    chromium,
    ...Object.fromEntries(names.map((name) => [name, readPackageVersion(name)])),
    postgresql:
      'skipped' in postgres ? `not measured (${postgres.skipped})` : `${postgres.name} (${postgres.durability})`,
    dexie: readPackageVersion('dexie'),
    fastify: readPackageVersion('fastify'),
    'playwright-core': readPackageVersion('playwright-core'),
  };
}

interface PartOutput {
  rows: ScenarioRow[];
  /** What the part measured beyond its rows (register and sync), for the results file. */
  report?: unknown;
  /** The part's own Markdown (register and sync print their own tables). */
  output?: string;
  failed?: boolean;
}
/** What the run measured per part, merged into the latest results (a part's entry replaced when measured again). */
interface PartResult {
  startedAt: string;
  seconds: number;
  /** The machine's 1-minute load average when the part started and ended. */
  loadAverage1m: number[];
  rows: ScenarioRow[];
  report?: unknown;
}

function writeResults(report: { mode: string; parts: Partial<Record<Part, PartResult>> } & Record<string, unknown>) {
  const name = report.mode === 'smoke' ? 'latest-smoke.json' : 'latest.json';
  writeResult(`${report.mode}-${fileStamp(new Date(String(report.startedAt)))}.json`, report);
  let earlier: Partial<Record<Part, PartResult>> = {};
  try {
    earlier =
      (JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, name), 'utf8')) as { parts?: typeof earlier }).parts ?? {};
  } catch {
    // no results yet
  }
  const parts = { ...earlier, ...report.parts };
  return writeResult(name, { ...report, parts, rows: TABLE_PARTS.flatMap((p) => parts[p]?.rows ?? []) });
}

async function main(options: Options): Promise<number> {
  const started = Date.now();
  const deadline = new Deadline(options.budgetMs);
  const want = (part: Part) => options.only.includes(part);
  const scale = options.budgetMs / 1000 / (options.smoke ? 120 : DEFAULT_BUDGET_S);
  /**
   * A part's time: what is left of the run minus the shares of the parts after it. So a part gets
   * its share plus whatever the parts before it did not use, and is cut when they overran.
   */
  const budget = (part: Part) => {
    const later = PARTS.slice(PARTS.indexOf(part) + 1)
      .filter(want)
      .reduce((total, p) => total + BUDGET_S[p] * 1000 * scale, 0);
    const floor = options.smoke && part === 'burst' ? 30_000 : 10_000;
    return Math.max(floor, deadline.left() - 5_000 - later);
  };
  const loadAtStart = loadAverage();
  const rows: ScenarioRow[] = [];
  const parts: Partial<Record<Part, PartResult>> = {};
  const outputs: string[] = [];
  // --profile: the page's CPU profiles of the sync part want readable names (an unminified build).
  const build = prepareBuild(options.useDist, options.profile && want('sync'));
  const needsPouch = (['upload', 'upload3g', 'faults', 'bootstrap', 'counts'] as const).some(want);
  const page = needsPouch ? await bundlePageKit() : undefined;
  const pouch = page ? await startPouchServer(page.dir) : undefined;
  // Ours runs on PGlite and on PostgreSQL: with PostgreSQL's default durability in a measuring run
  // (the test cluster runs without fsync, so then a throwaway one is started), any cluster in the smoke.
  const needsPostgres = (['upload', 'upload3g', 'faults', 'bootstrap', 'burst'] as const).some(want);
  const postgresHost = needsPostgres
    ? await openPostgresHost({ durable: !options.smoke }).catch((error: unknown) => ({ skipped: errorText(error) }))
    : { skipped: 'not needed by the parts asked for' };
  const chromium = await chromiumVersion();
  const { postgresql } = versions(chromium, postgresHost);
  const kit = page ? `; page kit bundled in ${Math.round(page.ms)} ms` : '';
  log(`${build.note}${kit}; PostgreSQL: ${postgresql}; budget ${options.budgetMs / 1000} s`);
  const sync = {
    seed: options.seed,
    smoke: options.smoke,
    year: new Date().getFullYear(),
    pushVillages: 10,
    deadline,
    staticDir: build.staticDir,
  };
  const ctx: CompareContext | undefined = pouch && {
    ...sync,
    profile: false,
    detail: false,
    pouch,
    reps: options.reps ?? (options.smoke ? 1 : 5),
    postgres: postgresHost,
    templates: new Map(),
    // Done during upload's set-up, beside its own: upload3g and faults upload the same 2,510 (and
    // upload3g needs a second copy: its two runs of ours, PGlite and PostgreSQL, go side by side);
    // counts fills its profile (≈ 20-40 s of untimed work that would otherwise run alone later).
    setupAhead: [],
  };
  if (ctx) {
    if (want('upload3g')) ctx.setupAhead.push(() => outboxTemplate(ctx, options.upload3gRecords, 0));
    if (want('upload3g') && !('skipped' in postgresHost))
      ctx.setupAhead.push(() => outboxTemplate(ctx, options.upload3gRecords, 1));
    if (want('faults')) ctx.setupAhead.push(() => outboxTemplate(ctx, options.faultRecords, 0));
    if (want('counts')) ctx.setupAhead.push(() => countsProfile(ctx));
  }
  let failed = false;
  /**
   * Runs a part within its budget; a failure is a row saying so, and the run goes on. Register and
   * sync print their own tables (`output`); the others' rows go in the comparison's table.
   */
  const part = async (name: Part, work: () => Promise<ScenarioRow[] | PartOutput>) => {
    if (!want(name)) return;
    // (The smoke's register screens started at once, beside the rest: their result is awaited.)
    if (deadline.left() < 10_000 && !(name === 'register' && early)) {
      log(`${name}: skipped, the run's time is up`);
      rows.push(missingRow(name, `${name}-skipped`, `${name}: not run (time budget)`, options.smoke));
      return;
    }
    const t = Date.now();
    const load = loadAverage()[0] ?? NaN;
    log(`== ${name} (budget ${Math.round(budget(name) / 1000)} s)`);
    let result: PartOutput;
    try {
      const out = await work();
      result = Array.isArray(out) ? { rows: out } : out;
    } catch (error) {
      log(`${name}: ERROR ${errorText(error)}`);
      result = { rows: [missingRow(name, `${name}-failed`, `${name}: failed`, options.smoke, errorText(error))] };
      result.failed = true;
    }
    if (result.failed) failed = true;
    if (result.output) outputs.push(result.output);
    if (TABLE_PARTS.includes(name) || !result.output) rows.push(...result.rows);
    const seconds = Math.round((Date.now() - t) / 1000);
    const loadAverage1m = [load, loadAverage()[0] ?? NaN];
    parts[name] = {
      startedAt: new Date(t).toISOString(),
      seconds,
      loadAverage1m,
      rows: result.rows,
      report: result.report,
    };
  };
  const registerOptions = { ...options, staticDir: build.staticDir, buildNote: build.note };
  // In the smoke the register screens run beside the rest (nothing is judged there); in a full run after it, alone.
  const early = want('register') && options.smoke ? runRegisterPart(registerOptions, 60_000) : undefined;
  early?.catch(() => undefined);
  const ctxOf = () => {
    if (!ctx) throw new Error('no comparison context');
    return ctx;
  };
  const budget3g = `3G: ${num(options.upload3gRecords)} records (not ${num(options.uploadRecords)}) to fit the run's 10 minutes`;
  try {
    await part('upload', () =>
      runUpload(ctxOf(), {
        throttle: 'none',
        records: options.uploadRecords,
        budgetMs: budget('upload'),
        odkSampleMs: options.smoke ? 300 : 2_000,
      }),
    );
    await part('upload3g', () =>
      runUpload(ctxOf(), {
        throttle: '3g',
        records: options.upload3gRecords,
        budgetMs: budget('upload3g'),
        odkSampleMs: options.smoke ? 1_500 : 6_000,
        ...(options.upload3gRecords < options.uploadRecords ? { scaleNote: budget3g } : {}),
      }),
    );
    await part('faults', () => runFaultComparison(ctxOf(), options.faultRecords, budget('faults')));
    await part('bootstrap', () => runBootstrapComparison(ctxOf(), budget('bootstrap')));
    // The comparisons are done with PostgreSQL: their last database would keep autovacuum busy.
    if (!('skipped' in postgresHost)) await postgresHost.dropAll().catch(() => undefined);
    await part('burst', () => runBurst(options.smoke, budget('burst'), postgresHost, options.profile));
    await part('counts', () => runCountsComparison(ctxOf(), budget('counts')));
    const registerMs = Math.max(options.smoke ? 40_000 : 90_000, deadline.left());
    await part('register', () => early ?? runRegisterPart(registerOptions, registerMs));
    await part('sync', () =>
      runSyncPart(
        { ...sync, profile: options.profile, detail: true },
        { ...options.sync, repetitions: options.reps ?? (options.smoke ? 1 : 3) },
        new Deadline(budget('sync')),
        { chromium, buildNote: build.note },
      ),
    );
  } finally {
    await early?.catch(() => undefined);
    if (ctx) await disposeTemplates(ctx);
    if (!('skipped' in postgresHost)) postgresHost.close();
    await pouch?.close();
    page?.close();
    if (build.temporary) fs.rmSync(build.staticDir, { recursive: true, force: true });
  }

  const totalS = Math.round((Date.now() - started) / 1000);
  const timings = Object.entries(parts).map(([k, v]) => `${k} ${v.seconds} s`);
  const report = {
    kind: 'bench',
    mode: options.smoke ? 'smoke' : 'full',
    startedAt: new Date(started).toISOString(),
    totalSeconds: totalS,
    options,
    versions: versions(chromium, postgresHost),
    machine: { ...machine(), loadAverage: { atStart: loadAtStart, atEnd: loadAverage() } },
    build: build.note,
    parts,
  };
  const file = writeResults(report);
  const versionLine = Object.entries(report.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const { cpus, cpuModel, loadAverage: load } = report.machine;
  const comparison = TABLE_PARTS.some(want) && [
    `## Benchmark: ours vs PouchDB/CouchDB (${report.mode}) — ${report.startedAt}`,
    '',
    `${versionLine}. ${cpus} CPUs (${cpuModel}), load average ${load.atStart[0]} at start, ${load.atEnd[0]} at end. Whole run ${totalS} s (${timings.join(', ')}).`,
    '',
    markdownTable(rows),
    '',
  ];
  const out = [...(comparison || []), ...outputs.flatMap((o) => [o, '']), `Results: ${file}`];
  process.stdout.write(`${out.join('\n')}\n`);
  return failed ? 1 : 0;
}

/** Scenario 3 and the Node half of 4 (bench/burst/burst.ts); one row says so when no run fits its time. */
async function runBurst(
  smoke: boolean,
  budgetMs: number,
  postgres: PostgresHost | { readonly skipped: string },
  profile: boolean,
): Promise<ScenarioRow[]> {
  const missing = (why: string) => [
    missingRow('3-burst', 'burst-unavailable', 'Sync-day burst: scenario 3 not measured', smoke, why),
  ];
  try {
    const { runBurstScenarios } = await import('./burst/burst');
    const rows = await runBurstScenarios({
      smoke,
      profile,
      deadlineMs: Date.now() + budgetMs,
      log: (line) => log(`burst: ${line}`),
      postgres,
    });
    return rows.length > 0 ? rows : missing(`no run fitted its ${Math.round(budgetMs / 1000)} s.`);
  } catch (error) {
    return missing(`failed: ${errorText(error)}`);
  }
}

try {
  const options = parseOptions(process.argv.slice(2));
  process.exitCode = options.readme ? await updateReadme(path.join(ROOT, 'README.md')) : await main(options);
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
}
