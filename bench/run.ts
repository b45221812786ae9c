/**
 * On-device register benchmark: the built app, served by the real server, in headless Chromium
 * on a phone-sized screen, with a big seeded register in IndexedDB. See bench/README.md.
 *
 *   npm run bench                          full run (5,000 households, 10 timed repetitions)
 *   node --import tsx bench/run.ts --smoke 50 households, 1 repetition, no goals judged
 *
 * Options: --smoke, --dist (serve dist/ as it is instead of a fresh build), --seed=N,
 * --cpu-throttle=N (Chromium CPU slow-down factor, e.g. 4 for a mid-range phone).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, PHONE } from '../tests/support/browser';
import { startServerProcess, type ServerProcess } from '../tests/support/server-process';
import { foldForSearch, matchesSearch } from '../src/shared/text/fold';
import { countRows, FULL_REGISTER, generateRegister, SMOKE_REGISTER, STORE_NAMES, type GeneratedRegister, type StoreName } from './generate-register';
import { PROBE_SCRIPT, type Timing } from './page-probe';

const ROOT = path.resolve(import.meta.dirname, '..');
const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
const DATABASE_NAME = 'so-khuyen-hoc';
const SEED_CHUNK_ROWS = 2000;

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

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

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

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

/** Nearest-rank percentile (p90 of 10 samples is the 9th smallest). */
function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function readPackageVersion(name: string): string {
  const file = path.join(ROOT, 'node_modules', name, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
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
  const result = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`vite build failed (${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`);
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
    return { staticDir: path.join(ROOT, 'dist'), fresh: false, buildMs: null, note: `dist/ as built at ${fs.statSync(distIndex).mtime.toISOString()}` };
  }
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-bench-dist-'));
  log(`building the current source into ${outDir}`);
  const ms = viteBuild(outDir);
  return { staticDir: outDir, fresh: true, buildMs: ms, note: 'fresh build of the current source in a temporary directory' };
}

// ---------------------------------------------------------------------------------------------
// Seeding
// ---------------------------------------------------------------------------------------------

interface SeedChunk {
  store: StoreName;
  rows: unknown[];
}

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

/** One evaluate and one readwrite transaction per chunk, raw IndexedDB, no version given. */
async function seedDatabase(page: Page, register: GeneratedRegister): Promise<{ ms: number; chunks: number }> {
  const chunks: SeedChunk[] = [];
  for (const store of STORE_NAMES) {
    const rows: unknown[] = register.rows[store];
    for (let i = 0; i < rows.length; i += SEED_CHUNK_ROWS) chunks.push({ store, rows: rows.slice(i, i + SEED_CHUNK_ROWS) });
  }
  const started = performance.now();
  for (const chunk of chunks) {
    await page.evaluate(
      async ({ name, store, rows }) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open(name);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error ?? new Error('open failed'));
        });
        try {
          await new Promise<void>((resolve, reject) => {
            const tx = db.transaction(store, 'readwrite');
            const objectStore = tx.objectStore(store);
            for (const row of rows) objectStore.put(row);
            tx.oncomplete = () => resolve();
            tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
            tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
          });
        } finally {
          db.close();
        }
      },
      { name: DATABASE_NAME, store: chunk.store, rows: chunk.rows },
    );
  }
  return { ms: performance.now() - started, chunks: chunks.length };
}

// ---------------------------------------------------------------------------------------------
// Scenario data picked from the generated register
// ---------------------------------------------------------------------------------------------

interface SearchCase {
  /** The typed query (no diacritics) and how many households of the village it matches. */
  query: string;
  expected: number;
  /** The same query one character shorter, for the "one more character" keystroke. */
  prefix: string;
  prefixExpected: number;
}

interface Scenario {
  villageId: string;
  villageName: string;
  villageHouseholds: number;
  totalHouseholds: number;
  villageCount: number;
  search: SearchCase;
  /** Households to open in the edit form, with their members' names. */
  forms: { id: string; names: string[] }[];
  /** Citizens with no Công dân học tập assessment yet this year. */
  citizensToAssess: string[];
}

function pickScenario(register: GeneratedRegister, needed: number): Scenario {
  const { rows } = register;
  const counts = new Map<string, number>();
  for (const h of rows.households) counts.set(h.data.villageId, (counts.get(h.data.villageId) ?? 0) + 1);
  const [villageId, villageHouseholds] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  const village = rows.villages.find((v) => v.id === villageId);
  if (!village) throw new Error('no village in the register');
  const households = rows.households.filter((h) => h.data.villageId === villageId);

  // A rare given name, folded: matches a few households, and dropping its last letter matches more.
  const givenNames = new Set<string>();
  for (const h of households) for (const n of register.memberNames.get(h.id) ?? []) givenNames.add(n.split(' ').at(-1) ?? '');
  const matches = (q: string) => households.filter((h) => matchesSearch(h.searchText, q)).length;
  const candidates = [...givenNames]
    .map((g) => foldForSearch(g))
    .filter((q) => q.length >= 4)
    .map((q) => ({ query: q, expected: matches(q), prefix: q.slice(0, -1), prefixExpected: matches(q.slice(0, -1)) }))
    .filter((c) => c.expected >= 1 && c.prefixExpected !== c.expected)
    .sort((a, b) => Number(b.expected >= 2 && b.expected <= 8) - Number(a.expected >= 2 && a.expected <= 8) || a.expected - b.expected || a.query.localeCompare(b.query));
  const search = candidates[0];
  if (!search) throw new Error('no search query fits the register');

  const forms = households
    .filter((h) => (register.memberNames.get(h.id)?.length ?? 0) >= 4)
    .slice(0, needed)
    .map((h) => ({ id: h.id, names: register.memberNames.get(h.id) ?? [] }));
  const assessed = new Set(rows.assessments.filter((a) => a.data.title === 'learning_citizen').map((a) => a.data.subjectId));
  const householdIds = new Set(households.map((h) => h.id));
  const citizensToAssess = rows.citizens
    .filter((c) => householdIds.has(c.data.householdId) && c.data.birthYear <= register.options.year - 18 && !assessed.has(c.id))
    .slice(0, needed)
    .map((c) => c.id);
  if (forms.length < needed || citizensToAssess.length < needed) throw new Error('register too small for the repetitions');
  return {
    villageId,
    villageName: village.data.name,
    villageHouseholds,
    totalHouseholds: rows.households.length,
    villageCount: rows.villages.length,
    search,
    forms,
    citizensToAssess,
  };
}

// ---------------------------------------------------------------------------------------------
// Measurements (each returns one Timing, taken inside the page)
// ---------------------------------------------------------------------------------------------

/** The home screen has finished loading: every village row shows its household count. */
async function waitForHomeSettled(page: Page, scenario: Scenario, timeout: number) {
  await page.waitForFunction(
    ({ villages, total }) => {
      if (document.querySelector('h1')?.textContent !== 'Trang chủ') return false;
      const rows = document.querySelectorAll('table.counts tbody tr');
      if (rows.length !== villages) return false;
      let sum = 0;
      for (const row of rows) sum += Number(row.querySelector('td')?.textContent ?? 0);
      return sum === total;
    },
    { villages: scenario.villageCount, total: scenario.totalHouseholds },
    { timeout, polling: 'raf' },
  );
}

async function goHome(page: Page, scenario: Scenario, timeout: number) {
  await page.evaluate(() => {
    window.location.hash = '#/';
  });
  await waitForHomeSettled(page, scenario, timeout);
}

/**
 * #/ → the household list: [first row painted, first Gia đình học tập badge (Đạt / Chưa đạt)
 * painted]. The list renders as soon as the households are read; the year's results come from a
 * separate query, and until then every row says "Chưa đánh giá".
 */
function measureListFirstPaint(page: Page, scenario: Scenario, timeout: number): Promise<Timing[]> {
  return page.evaluate(
    ({ hash, timeoutMs }) => {
      const probe = window.benchProbe;
      if (!probe) throw new Error('bench probe missing');
      if (document.querySelector('.virtual-row')) throw new Error('a list row is already on screen');
      const t0 = performance.now();
      window.location.hash = hash;
      return Promise.all([
        probe.waitFor(t0, () => document.querySelector('.virtual-row') !== null, timeoutMs),
        probe.waitFor(t0, () => document.querySelector('.virtual-row .badge.pass, .virtual-row .badge.fail') !== null, timeoutMs),
      ]);
    },
    { hash: `#/thon/${scenario.villageId}`, timeoutMs: timeout },
  );
}

/** Untimed: types `value` into the search box and waits for its count. */
async function setSearch(page: Page, value: string, statusText: string, timeout: number) {
  await page.evaluate(
    ({ value, statusText, timeoutMs }) => {
      const probe = window.benchProbe;
      if (!probe) throw new Error('bench probe missing');
      const input = document.getElementById('household-search');
      if (input instanceof HTMLInputElement && input.value === value && probe.hasStatus(statusText)) return;
      const t0 = performance.now();
      probe.setInputValue('household-search', value);
      return probe.waitFor(t0, () => probe.hasStatus(statusText), timeoutMs).then(() => undefined);
    },
    { value, statusText, timeoutMs: timeout },
  );
}

function measureSearch(page: Page, value: string, statusText: string, timeout: number): Promise<Timing> {
  return page.evaluate(
    ({ value, statusText, timeoutMs }) => {
      const probe = window.benchProbe;
      if (!probe) throw new Error('bench probe missing');
      if (probe.hasStatus(statusText)) throw new Error(`the count already reads "${statusText}"`);
      const t0 = performance.now();
      probe.setInputValue('household-search', value);
      return probe.waitFor(t0, () => probe.hasStatus(statusText), timeoutMs);
    },
    { value, statusText, timeoutMs: timeout },
  );
}

function measureHouseholdForm(page: Page, household: { id: string; names: string[] }, timeout: number): Promise<Timing> {
  return page.evaluate(
    ({ hash, expected, timeoutMs }) => {
      const probe = window.benchProbe;
      if (!probe) throw new Error('bench probe missing');
      const expectedSorted = [...expected].sort().join('\n');
      const t0 = performance.now();
      window.location.hash = hash;
      return probe.waitFor(
        t0,
        () => {
          const inputs = document.querySelectorAll<HTMLInputElement>('input[id^="member-"][id$="-fullName"]');
          return inputs.length === expected.length && [...inputs].map((i) => i.value).sort().join('\n') === expectedSorted;
        },
        timeoutMs,
      );
    },
    { hash: `#/ho/${household.id}/sua`, expected: household.names, timeoutMs: timeout },
  );
}

/** Untimed: opens the Công dân học tập screen of a citizen and types 10 scores. */
async function prepareCitizenAssessment(page: Page, citizenId: string, year: number, timeout: number) {
  await page.evaluate((hash) => {
    window.location.hash = hash;
  }, `#/danh-gia/learning_citizen/${citizenId}/${year}`);
  await page.getByRole('heading', { level: 1, name: /^Công dân học tập/ }).waitFor({ timeout });
  const inputs = page.getByRole('textbox', { name: /Điểm$/ });
  await inputs.nth(9).waitFor({ timeout });
  const count = await inputs.count();
  if (count !== 10) throw new Error(`expected 10 points inputs, found ${count}`);
  for (let i = 0; i < count; i += 1) await inputs.nth(i).fill(String(7 + (i % 4)), { timeout });
}

function measureSaveAssessment(page: Page, timeout: number): Promise<Timing> {
  return page.evaluate(
    ({ timeoutMs }) => {
      const probe = window.benchProbe;
      if (!probe) throw new Error('bench probe missing');
      const saved = 'Đã lưu đánh giá trên máy.';
      if (probe.hasStatus(saved)) throw new Error('already saved');
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Lưu đánh giá');
      if (!button) throw new Error('no "Lưu đánh giá" button');
      const t0 = performance.now();
      button.click();
      return probe.waitFor(t0, () => probe.hasStatus(saved), timeoutMs);
    },
    { timeoutMs: timeout },
  );
}

// ---------------------------------------------------------------------------------------------
// Metrics and report
// ---------------------------------------------------------------------------------------------

interface MetricSpec {
  id: string;
  label: string;
  goalMs: number;
  detail: string;
  /** false: shown for information against the goal, never judged (not one of the issue's goals). */
  judged?: boolean;
}

interface MetricResult extends Required<MetricSpec> {
  warmupsPaintMs: number[];
  samplesPaintMs: number[];
  samplesDomMs: number[];
  medianMs: number | null;
  p90Ms: number | null;
  medianDomMs: number | null;
  /** median and p90 both under the goal; null when not judged (smoke, info metric, or error). */
  pass: boolean | null;
  error?: string;
}

/**
 * Runs warm-ups then the timed repetitions of one scenario; `once` returns one Timing per spec
 * (a scenario may time several states of the same action). Errors are recorded, not thrown.
 */
async function runMetrics(options: RunOptions, specs: readonly MetricSpec[], once: (index: number) => Promise<Timing[]>): Promise<MetricResult[]> {
  const results: MetricResult[] = specs.map((spec) => ({
    judged: true,
    ...spec,
    warmupsPaintMs: [],
    samplesPaintMs: [],
    samplesDomMs: [],
    medianMs: null,
    p90Ms: null,
    medianDomMs: null,
    pass: null,
  }));
  try {
    for (let i = 0; i < options.warmups + options.repetitions; i += 1) {
      const timings = await once(i);
      results.forEach((result, k) => {
        const timing = timings[k];
        if (!timing) throw new Error(`no timing for ${result.id}`);
        if (i < options.warmups) result.warmupsPaintMs.push(round1(timing.paintMs));
        else {
          result.samplesPaintMs.push(round1(timing.paintMs));
          result.samplesDomMs.push(round1(timing.domMs));
        }
      });
    }
    for (const result of results) {
      result.medianMs = round1(median(result.samplesPaintMs));
      result.p90Ms = round1(percentile(result.samplesPaintMs, 90));
      result.medianDomMs = round1(median(result.samplesDomMs));
      if (!options.smoke && result.judged) result.pass = result.medianMs < result.goalMs && result.p90Ms < result.goalMs;
    }
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    for (const result of results) result.error = message;
  }
  for (const r of results) {
    log(`${r.label}: ${r.error ? `ERROR ${r.error}` : `median ${r.medianMs} ms, p90 ${r.p90Ms} ms (${r.samplesPaintMs.join(', ')})`}`);
  }
  return results;
}

async function runMetric(options: RunOptions, spec: MetricSpec, once: (index: number) => Promise<Timing>): Promise<MetricResult> {
  const [result] = await runMetrics(options, [spec], async (i) => [await once(i)]);
  if (!result) throw new Error('runMetrics returned nothing');
  return result;
}

function markdownTable(metrics: readonly MetricResult[], smoke: boolean): string {
  const lines = ['| metric | median ms | p90 ms | goal | pass? |', '|---|---:|---:|---|---|'];
  for (const m of metrics) {
    const under = m.medianMs !== null && m.p90Ms !== null && m.medianMs < m.goalMs && m.p90Ms < m.goalMs;
    const verdict = m.error
      ? `error: ${m.error}`
      : smoke
        ? 'not judged (smoke)'
        : !m.judged
          ? `info (${under ? 'under' : 'over'})`
          : m.pass
            ? 'PASS'
            : 'FAIL';
    lines.push(`| ${m.label} | ${m.medianMs ?? '–'} | ${m.p90Ms ?? '–'} | ${m.judged ? '' : '(info) '}< ${m.goalMs} ms | ${verdict} |`);
  }
  return lines.join('\n');
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

  log(`generating the register (seed ${options.seed}, ${sizes.households} households, ${sizes.citizens} citizens, ${sizes.clans} clans)`);
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
      .evaluate((ms) => Promise.race([navigator.serviceWorker.ready.then(() => 'ready'), new Promise<string>((r) => setTimeout(() => r('not ready'), ms))]), Math.min(10_000, deadline.step()))
      .catch(() => 'unavailable');
    const dbInfo = await databaseInfo(page);
    const missingStores = STORE_NAMES.filter((s) => !dbInfo.stores.includes(s));
    if (missingStores.length > 0) throw new Error(`the app's database (version ${dbInfo.version}) lacks stores: ${missingStores.join(', ')}`);

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
            detail: 'same navigation, until the first Đạt / Chưa đạt badge is painted (the year\'s results loaded)',
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
        { id: 'searchQuery', label: `Search keystroke → result ("" → "${s.query}")`, goalMs: 50, detail: `count ${scenario.villageHouseholds} → ${s.expected}` },
        async () => {
          await setSearch(page, '', all, deadline.step());
          return measureSearch(page, s.query, countText(s.expected), deadline.step());
        },
      ),
    );
    metrics.push(
      await runMetric(
        options,
        { id: 'searchOneMoreChar', label: `Search one more character ("${s.prefix}" → "${s.query}")`, goalMs: 50, detail: `count ${s.prefixExpected} → ${s.expected}` },
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
        { id: 'openHouseholdForm', label: 'Open household form (members loaded)', goalMs: 150, detail: '#/ → #/ho/<id>/sua until every member name input holds its stored name' },
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
        { id: 'saveAssessment', label: 'Save an assessment (Công dân học tập)', goalMs: 50, detail: 'click "Lưu đánh giá" until "Đã lưu đánh giá trên máy." is painted (10 scores typed first, untimed)' },
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
      options: { seed: options.seed, cpuThrottle: options.cpuThrottle, warmups: options.warmups, repetitions: options.repetitions },
      versions: {
        node: process.version,
        chromium: chromiumVersion,
        playwrightCore: readPackageVersion('playwright-core'),
        dexie: readPackageVersion('dexie'),
        react: readPackageVersion('react'),
        app: (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
      },
      machine: { platform: `${os.platform()} ${os.release()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryBytes: os.totalmem() },
      build: { fresh: build.fresh, buildMs: build.buildMs === null ? null : Math.round(build.buildMs), note: build.note },
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
      seeding: { ms: Math.round(seeding.ms), chunks: seeding.chunks, chunkRows: SEED_CHUNK_ROWS, rowsPerSecond: Math.round(totalRows / (seeding.ms / 1000)) },
      storage: { usageBytes: storage.usage, quotaBytes: storage.quota },
      timing: 'paint = from the action (hash change, input event, click) to the first task after the animation frame that renders the awaited state; dom = until the state is first seen in the DOM',
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
    if (build.fresh && build.staticDir.startsWith(os.tmpdir())) fs.rmSync(build.staticDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
