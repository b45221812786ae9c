/**
 * On-device register benchmark: the built app, served by the real server, in headless Chromium
 * on a phone-sized screen, with a big seeded register in IndexedDB. See bench/README.md.
 *
 *   npm run bench:register                                    full run (5,000 households, 10 timed repetitions)
 *   node --import tsx bench/register/register-bench.ts --smoke 50 households, 1 repetition, no goals judged
 *   (`npm run bench` runs it too, as its `register` part)
 *
 * Options: --smoke, --dist (serve dist/ as it is instead of a fresh build), --seed=N,
 * --cpu-throttle=N (Chromium CPU slow-down factor, e.g. 4 for a mid-range phone).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, PHONE } from '../../tests/support/browser';
import { startServerProcess, type ServerProcess } from '../../tests/support/server-process';
import { log, readPackageVersion, RESULTS_DIR, ROOT, runMain } from '../harness/common';
import {
  countRows,
  FULL_REGISTER,
  generateRegister,
  SMOKE_REGISTER,
  STORE_NAMES,
  type GeneratedRegister,
} from '../generate-register';
import { PROBE_SCRIPT } from '../page-probe';
import { SEED_CHUNK_ROWS, seedStores } from '../sync/device';
import { markdownTable, runMetric, runMetrics, type MetricResult } from './metrics';
import {
  goHome,
  waitForHomeSettled,
  measureHouseholdForm,
  measureListFirstPaint,
  measureSaveAssessment,
  measureSearch,
  pickScenario,
  prepareCitizenAssessment,
  setSearch,
} from './screens';

const DATABASE_NAME = 'so-khuyen-hoc';

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

interface RunOptions {
  smoke: boolean;
  useDist: boolean;
  seed: number;
  cpuThrottle: number;
  warmups: number;
  repetitions: number;
  /** Whole-run budget; every wait is cut to what is left of it. */
  budgetMs: number;
  /** Longest single wait for one measured state. */
  stepTimeoutMs: number;
}

function parseOptions(argv: readonly string[]): RunOptions {
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const known = ['--smoke', '--dist', '--seed=', '--cpu-throttle='];
  const unknown = argv.filter((a) => !known.some((k) => (k.endsWith('=') ? a.startsWith(k) : a === k)));
  if (unknown.length > 0) throw new Error(`unknown option(s): ${unknown.join(' ')}`);
  const smoke = flag('smoke');
  const seed = Number(value('seed') ?? 20_240_611);
  const cpuThrottle = Number(value('cpu-throttle') ?? 1);
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  if (!(cpuThrottle >= 1 && cpuThrottle <= 20)) throw new Error('--cpu-throttle must be between 1 and 20');
  return {
    smoke,
    useDist: flag('dist'),
    seed,
    cpuThrottle,
    warmups: smoke ? 0 : 2,
    repetitions: smoke ? 1 : 10,
    budgetMs: smoke ? 60_000 : 270_000,
    stepTimeoutMs: smoke ? 10_000 : 15_000,
  };
}

class Deadline {
  private readonly end: number;
  constructor(
    budgetMs: number,
    private readonly stepMs: number,
  ) {
    this.end = Date.now() + budgetMs;
  }
  /** Timeout for the next wait: the step limit, or what is left of the budget. */
  step(): number {
    const left = this.end - Date.now();
    if (left <= 0) throw new Error('bench time budget exhausted');
    return Math.min(this.stepMs, left);
  }
}

// ---------------------------------------------------------------------------------------------
// Build
// ---------------------------------------------------------------------------------------------

interface BuildInfo {
  staticDir: string;
  fresh: boolean;
  buildMs: number | null;
  note: string;
}

function viteBuild(outDir: string): number {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  if (result.status !== 0)
    throw new Error(`vite build failed (${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`);
  return performance.now() - started;
}

/**
 * dist/ is shared with the other checkout users and may be older than src/. Unless --dist is
 * given, the bench builds the current source into a temporary directory and serves that, so it
 * always measures what is in src/ and never rewrites dist/ under someone's tests. dist/ itself
 * is built only when missing (startServerProcess requires it).
 */
function prepareBuild(options: RunOptions): BuildInfo {
  const distIndex = path.join(ROOT, 'dist', 'index.html');
  if (!fs.existsSync(distIndex)) {
    log('dist/ has no build: building it');
    const ms = viteBuild(path.join(ROOT, 'dist'));
    return { staticDir: path.join(ROOT, 'dist'), fresh: true, buildMs: ms, note: 'dist/ was missing and was built' };
  }
  if (options.useDist) {
    return {
      staticDir: path.join(ROOT, 'dist'),
      fresh: false,
      buildMs: null,
      note: `dist/ as built at ${fs.statSync(distIndex).mtime.toISOString()}`,
    };
  }
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-bench-dist-'));
  log(`building the current source into ${outDir}`);
  const ms = viteBuild(outDir);
  return {
    staticDir: outDir,
    fresh: true,
    buildMs: ms,
    note: 'fresh build of the current source in a temporary directory',
  };
}

// ---------------------------------------------------------------------------------------------
// Seeding
// ---------------------------------------------------------------------------------------------

async function databaseInfo(page: Page): Promise<{ version: number; stores: string[] }> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    const info = { version: db.version, stores: [...db.objectStoreNames] };
    db.close();
    return info;
  }, DATABASE_NAME);
}

/** Raw IndexedDB from the page (no version given: the app's own), one transaction per chunk of SEED_CHUNK_ROWS. */
async function seedDatabase(page: Page, register: GeneratedRegister): Promise<{ ms: number; chunks: number }> {
  const stores = STORE_NAMES.map((store) => ({ store, rows: register.rows[store] as readonly unknown[] }));
  const chunks = stores.reduce((n, s) => n + Math.ceil(s.rows.length / SEED_CHUNK_ROWS), 0);
  return { ms: await seedStores(page, stores), chunks };
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const deadline = new Deadline(options.budgetMs, options.stepTimeoutMs);
  const startedAt = new Date();
  const year = startedAt.getFullYear();
  const sizes = options.smoke ? SMOKE_REGISTER : FULL_REGISTER;
  const needed = options.warmups + options.repetitions;

  log(
    `generating the register (seed ${options.seed}, ${sizes.households} households, ${sizes.citizens} citizens, ${sizes.clans} clans)`,
  );
  const generateStarted = performance.now();
  const register = generateRegister({ ...sizes, seed: options.seed, year });
  const generateMs = performance.now() - generateStarted;
  const scenario = pickScenario(register, needed);
  const totalRows = countRows(register.rows);

  const build = prepareBuild(options);
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  try {
    server = await startServerProcess({ STATIC_DIR: build.staticDir });
    browser = await launchBrowser();
    const chromiumVersion = browser.version();
    const context = await browser.newContext(PHONE);
    await context.addInitScript({ content: PROBE_SCRIPT });
    const page = await context.newPage();
    if (options.cpuThrottle > 1) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: options.cpuThrottle });
    }

    // 1. First run, online: the app creates its database and installs its service worker.
    log(`opening ${server.url}`);
    await page.goto(server.url, { timeout: deadline.step() });
    await page.getByRole('heading', { level: 1, name: 'Chọn xã của thiết bị' }).waitFor({ timeout: deadline.step() });
    const serviceWorker = await page
      .evaluate(
        (ms) =>
          Promise.race([
            navigator.serviceWorker.ready.then(() => 'ready'),
            new Promise<string>((r) => setTimeout(() => r('not ready'), ms)),
          ]),
        Math.min(10_000, deadline.step()),
      )
      .catch(() => 'unavailable');
    const dbInfo = await databaseInfo(page);
    const missingStores = STORE_NAMES.filter((s) => !dbInfo.stores.includes(s));
    if (missingStores.length > 0)
      throw new Error(`the app's database (version ${dbInfo.version}) lacks stores: ${missingStores.join(', ')}`);

    // 2. Seed, then reload so the app reads the register from IndexedDB.
    log(`seeding ${totalRows} rows in chunks of ${SEED_CHUNK_ROWS}`);
    const seeding = await seedDatabase(page, register);
    const storage = await page.evaluate(async () => {
      const estimate = await navigator.storage.estimate();
      return { usage: estimate.usage ?? null, quota: estimate.quota ?? null };
    });
    log(`seeded in ${Math.round(seeding.ms)} ms; storage usage ${storage.usage} bytes`);
    await page.reload({ timeout: deadline.step() });
    await waitForHomeSettled(page, scenario, deadline.step());
    const controlled = await page.evaluate(() => navigator.serviceWorker.controller !== null);

    // 3. Measure.
    const metrics: MetricResult[] = [];
    metrics.push(
      ...(await runMetrics(
        options,
        [
          {
            id: 'listFirstPaint',
            label: 'Household list first paint',
            goalMs: 300,
            detail: `#/ → #/thon/<id> (${scenario.villageName}, ${scenario.villageHouseholds} households) until the first .virtual-row is painted`,
          },
          {
            id: 'listResultsPaint',
            label: 'Household list with result badges',
            goalMs: 300,
            judged: false,
            detail: "same navigation, until the first Đạt / Chưa đạt badge is painted (the year's results loaded)",
          },
        ],
        async () => {
          const timings = await measureListFirstPaint(page, scenario, deadline.step());
          await goHome(page, scenario, deadline.step());
          return timings;
        },
      )),
    );

    const s = scenario.search;
    const all = `${scenario.villageHouseholds} / ${scenario.villageHouseholds} hộ`;
    const countText = (n: number) => `${n} / ${scenario.villageHouseholds} hộ`;
    await page.evaluate((hash) => {
      window.location.hash = hash;
    }, `#/thon/${scenario.villageId}`);
    await page.locator('.virtual-row').first().waitFor({ timeout: deadline.step() });
    metrics.push(
      await runMetric(
        options,
        {
          id: 'searchQuery',
          label: `Search keystroke → result ("" → "${s.query}")`,
          goalMs: 50,
          detail: `count ${scenario.villageHouseholds} → ${s.expected}`,
        },
        async () => {
          await setSearch(page, '', all, deadline.step());
          return measureSearch(page, s.query, countText(s.expected), deadline.step());
        },
      ),
    );
    metrics.push(
      await runMetric(
        options,
        {
          id: 'searchOneMoreChar',
          label: `Search one more character ("${s.prefix}" → "${s.query}")`,
          goalMs: 50,
          detail: `count ${s.prefixExpected} → ${s.expected}`,
        },
        async () => {
          await setSearch(page, s.prefix, countText(s.prefixExpected), deadline.step());
          return measureSearch(page, s.query, countText(s.expected), deadline.step());
        },
      ),
    );
    await setSearch(page, '', all, deadline.step());

    await goHome(page, scenario, deadline.step());
    metrics.push(
      await runMetric(
        options,
        {
          id: 'openHouseholdForm',
          label: 'Open household form (members loaded)',
          goalMs: 150,
          detail: '#/ → #/ho/<id>/sua until every member name input holds its stored name',
        },
        async (i) => {
          const household = scenario.forms[i];
          if (!household) throw new Error('no household left to open');
          const timing = await measureHouseholdForm(page, household, deadline.step());
          await goHome(page, scenario, deadline.step());
          return timing;
        },
      ),
    );

    metrics.push(
      await runMetric(
        options,
        {
          id: 'saveAssessment',
          label: 'Save an assessment (Công dân học tập)',
          goalMs: 50,
          detail: 'click "Lưu đánh giá" until "Đã lưu đánh giá trên máy." is painted (10 scores typed first, untimed)',
        },
        async (i) => {
          const citizenId = scenario.citizensToAssess[i];
          if (!citizenId) throw new Error('no citizen left to assess');
          await prepareCitizenAssessment(page, citizenId, year, deadline.step());
          return measureSaveAssessment(page, deadline.step());
        },
      ),
    );

    // 4. Report.
    const report = {
      kind: 'register',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      mode: options.smoke ? 'smoke' : 'full',
      options: {
        seed: options.seed,
        cpuThrottle: options.cpuThrottle,
        warmups: options.warmups,
        repetitions: options.repetitions,
      },
      versions: {
        node: process.version,
        chromium: chromiumVersion,
        playwrightCore: readPackageVersion('playwright-core'),
        dexie: readPackageVersion('dexie'),
        react: readPackageVersion('react'),
        app: (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
      },
      machine: {
        platform: `${os.platform()} ${os.release()}`,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        memoryBytes: os.totalmem(),
      },
      build: {
        fresh: build.fresh,
        buildMs: build.buildMs === null ? null : Math.round(build.buildMs),
        note: build.note,
      },
      register: {
        year,
        rows: Object.fromEntries(STORE_NAMES.map((store) => [store, register.rows[store].length])),
        totalRows,
        generateMs: Math.round(generateMs),
        biggestVillage: { id: scenario.villageId, name: scenario.villageName, households: scenario.villageHouseholds },
        search: s,
      },
      database: { name: DATABASE_NAME, indexedDbVersion: dbInfo.version, stores: dbInfo.stores },
      serviceWorker: { readyBeforeSeeding: serviceWorker, controlsPageAfterReload: controlled },
      seeding: {
        ms: Math.round(seeding.ms),
        chunks: seeding.chunks,
        chunkRows: SEED_CHUNK_ROWS,
        rowsPerSecond: Math.round(totalRows / (seeding.ms / 1000)),
      },
      storage: { usageBytes: storage.usage, quotaBytes: storage.quota },
      timing:
        'paint = from the action (hash change, input event, click) to the first task after the animation frame that renders the awaited state; dom = until the state is first seen in the DOM',
      metrics,
    };
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
    const prefix = `${options.smoke ? 'smoke-register' : 'register'}${options.cpuThrottle > 1 ? `-cpu${options.cpuThrottle}x` : ''}`;
    const file = path.join(RESULTS_DIR, `${prefix}-${stamp}.json`);
    const json = `${JSON.stringify(report, null, 2)}\n`;
    fs.writeFileSync(file, json);
    fs.writeFileSync(path.join(RESULTS_DIR, `latest-${prefix}.json`), json);

    const mb = (n: number | null) => (n === null ? 'unknown' : `${(n / 1024 / 1024).toFixed(1)} MiB`);
    const out = [
      `## Register benchmark (${report.mode}) — ${report.startedAt}`,
      '',
      `Register: ${sizes.households} households, ${sizes.citizens} citizens, ${sizes.clans} clans, ${register.rows.assessments.length} assessments, ${register.rows.villages.length} villages (${totalRows} rows). ` +
        `Biggest village: ${scenario.villageName} (${scenario.villageHouseholds} households).`,
      `Seeding: ${report.seeding.ms} ms in ${seeding.chunks} chunks (${report.seeding.rowsPerSecond} rows/s); storage usage after seeding: ${mb(storage.usage)}.`,
      `Chromium ${chromiumVersion}, Node ${process.version}, CPU throttle ×${options.cpuThrottle}, ${options.repetitions} timed run(s) after ${options.warmups} warm-up(s); ${build.note}.`,
      '',
      markdownTable(metrics, options.smoke),
      '',
      `Median DOM-ready ms (before paint): ${metrics.map((m) => `${m.id} ${m.medianDomMs ?? '–'}`).join(', ')}.`,
      `Results: ${path.relative(ROOT, file)}`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
    return metrics.some((m) => m.error !== undefined) ? 1 : 0;
  } finally {
    await browser?.close().catch(() => undefined);
    if (server) {
      await server.kill().catch(() => undefined);
      fs.rmSync(server.dataDir, { recursive: true, force: true });
    }
    if (build.fresh && build.staticDir.startsWith(os.tmpdir()))
      fs.rmSync(build.staticDir, { recursive: true, force: true });
  }
}

runMain(main);
