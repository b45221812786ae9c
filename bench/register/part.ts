/**
 * The `register` part: the built app, served by the real server, in headless Chromium on a phone
 * screen, with a big seeded register in IndexedDB; warm-ups then timed repetitions of each screen,
 * median and p90 (nearest rank) of the paint times. See bench/README.md, "Register".
 */
import type { Browser } from 'playwright-core';
import { launchBrowser, PHONE } from '../../tests/support/browser';
import { countRows, FULL_REGISTER, generateRegister, SMOKE_REGISTER, STORE_NAMES } from '../data';
import { APP_VERSION, errorText, log, machine, readPackageVersion, round1, Deadline } from '../harness/common';
import { removeDataDir, startServerChild, type ServerChild } from '../harness/server-child';
import { median, percentile, type Stat } from '../harness/stats';
import { makeRow, type ScenarioRow } from '../compare/table';
import { DATABASE_NAME, PROBE_SCRIPT, type Timing } from '../probes';
import { SEED_CHUNK_ROWS, seedStores, serviceWorkerReady } from '../sync/device';
import * as screens from './screens';

export interface RegisterOptions {
  smoke: boolean;
  seed: number;
  /** Chromium's CPU slowed this many times (4: roughly a mid-range phone). */
  cpuThrottle: number;
  staticDir: string;
  buildNote: string;
}

interface Metric {
  id: string;
  label: string;
  goalMs: number;
  detail: string;
  /** false: shown for information against the goal, never judged (not one of the issue's goals). */
  judged?: boolean;
}

/** Every paint and DOM time of a metric (warm-ups apart), or why it could not be measured. */
interface Measured extends Metric {
  warmupsPaintMs: number[];
  samplesPaintMs: number[];
  samplesDomMs: number[];
  error?: string;
}

/**
 * Warm-ups then the timed repetitions of one action; `once` returns one Timing per metric (an
 * action may time several states). Errors are recorded, not thrown.
 */
async function measure(
  plan: { warmups: number; repetitions: number },
  metrics: readonly Metric[],
  once: (index: number) => Promise<Timing[]>,
): Promise<Measured[]> {
  const results = metrics.map((m) => ({ ...m, warmupsPaintMs: [], samplesPaintMs: [], samplesDomMs: [] }) as Measured);
  try {
    for (let i = 0; i < plan.warmups + plan.repetitions; i += 1) {
      const timings = await once(i);
      results.forEach((result, k) => {
        const timing = timings[k];
        if (!timing) throw new Error(`no timing for ${result.id}`);
        if (i < plan.warmups) result.warmupsPaintMs.push(round1(timing.paintMs));
        else {
          result.samplesPaintMs.push(round1(timing.paintMs));
          result.samplesDomMs.push(round1(timing.domMs));
        }
      });
    }
  } catch (error) {
    for (const result of results) result.error = errorText(error);
  }
  for (const r of results) {
    const got = `median ${round1(median(r.samplesPaintMs))} ms, p90 ${round1(percentile(r.samplesPaintMs, 0.9))} ms`;
    log(`${r.label}: ${r.error ? `ERROR ${r.error}` : `${got} (${r.samplesPaintMs.join(', ')})`}`);
  }
  return results;
}

/** A goal holds when both the median and the p90 of the paint times are under it. */
function rowOf(m: Measured, smoke: boolean): ScenarioRow {
  const under = (s: Stat) => s.median < m.goalMs && s.p90 < m.goalMs;
  return makeRow(
    {
      scenario: 'register',
      id: m.id,
      label: m.label,
      unit: 'ms',
      better: 'lower',
      ours: m.error ? null : m.samplesPaintMs,
      target: { text: `${m.judged === false ? '(info) ' : ''}< ${m.goalMs} ms`, holds: under },
      ...(m.error ? { note: `not measured: ${m.error}` } : {}),
    },
    smoke,
  );
}

/** `| metric | median ms | p90 ms | goal | pass? |`, as the register screens have always printed it. */
function markdownTable(rows: readonly ScenarioRow[], measured: readonly Measured[], smoke: boolean): string {
  const lines = ['| metric | median ms | p90 ms | goal | pass? |', '|---|---:|---:|---|---|'];
  rows.forEach((r, i) => {
    const m = measured[i];
    if (!m) return;
    const under = r.ours !== null && r.ours.median < m.goalMs && r.ours.p90 < m.goalMs;
    const verdict = m.error
      ? `error: ${m.error}`
      : smoke
        ? 'not judged (smoke)'
        : m.judged === false
          ? `info (${under ? 'under' : 'over'})`
          : r.met
            ? 'PASS'
            : 'FAIL';
    const [mid, p90] = r.ours ? [round1(r.ours.median), round1(r.ours.p90)] : ['–', '–'];
    lines.push(
      `| ${r.label} | ${mid} | ${p90} | ${m.judged === false ? '(info) ' : ''}< ${m.goalMs} ms | ${verdict} |`,
    );
  });
  return lines.join('\n');
}

export async function runRegisterPart(options: RegisterOptions, budgetMs: number) {
  const { smoke } = options;
  const plan = { warmups: smoke ? 0 : 2, repetitions: smoke ? 1 : 10 };
  const deadline = new Deadline(Math.min(budgetMs, smoke ? 60_000 : 270_000));
  const step = () => deadline.step(smoke ? 10_000 : 15_000);
  const startedAt = new Date();
  const year = startedAt.getFullYear();
  const sizes = smoke ? SMOKE_REGISTER : FULL_REGISTER;
  log(
    `register: ${sizes.households} households, ${sizes.citizens} citizens, ${sizes.clans} clans (seed ${options.seed})`,
  );
  const generateStarted = performance.now();
  const register = generateRegister({ ...sizes, seed: options.seed, year });
  const generateMs = performance.now() - generateStarted;
  const scenario = screens.pickScenario(register, plan.warmups + plan.repetitions);
  const totalRows = countRows(register.rows);
  let server: ServerChild | undefined;
  let browser: Browser | undefined;
  try {
    server = await startServerChild({ staticDir: options.staticDir });
    browser = await launchBrowser();
    const context = await browser.newContext(PHONE);
    await context.addInitScript({ content: PROBE_SCRIPT });
    const page = await context.newPage();
    if (options.cpuThrottle > 1) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: options.cpuThrottle });
    }

    // 1. First run, online: the app creates its database and installs its service worker.
    await page.goto(server.url, { timeout: step() });
    await page.getByRole('heading', { level: 1, name: 'Chọn xã của thiết bị' }).waitFor({ timeout: step() });
    const serviceWorker = await serviceWorkerReady(page, Math.min(10_000, step()));
    const dbInfo = await page.evaluate(async () => {
      const db = await window.benchProbe?.openDb();
      if (!db) throw new Error('bench probe missing');
      db.close();
      return { version: db.version, stores: [...db.objectStoreNames] };
    });
    const missingStores = STORE_NAMES.filter((s) => !dbInfo.stores.includes(s));
    if (missingStores.length > 0)
      throw new Error(`the app's database (version ${dbInfo.version}) lacks stores: ${missingStores.join(', ')}`);

    // 2. Seed, then reload so the app reads the register from IndexedDB.
    log(`register: seeding ${totalRows} rows in chunks of ${SEED_CHUNK_ROWS}`);
    const stores = STORE_NAMES.map((store) => ({ store, rows: register.rows[store] as readonly unknown[] }));
    const chunks = stores.reduce((n, s) => n + Math.ceil(s.rows.length / SEED_CHUNK_ROWS), 0);
    const seedMs = await seedStores(page, stores);
    const storage = await page.evaluate(async () => {
      const estimate = await navigator.storage.estimate();
      return { usage: estimate.usage ?? null, quota: estimate.quota ?? null };
    });
    log(`register: seeded in ${Math.round(seedMs)} ms; storage usage ${storage.usage} bytes`);
    await page.reload({ timeout: step() });
    await screens.waitForHomeSettled(page, scenario, step());
    const controlled = await page.evaluate(() => navigator.serviceWorker.controller !== null);

    // 3. Measure.
    const metric = (spec: Metric, once: (i: number) => Promise<Timing>) =>
      measure(plan, [spec], async (i) => [await once(i)]);
    const metrics: Measured[] = [];
    const list = `#/ → #/thon/<id> (${scenario.villageName}, ${scenario.villageHouseholds} households)`;
    metrics.push(
      ...(await measure(
        plan,
        [
          {
            id: 'listFirstPaint',
            label: 'Household list first paint',
            goalMs: 300,
            detail: `${list} until the first .virtual-row is painted`,
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
          const timings = await screens.measureListFirstPaint(page, scenario, step());
          await screens.goHome(page, scenario, step());
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
    await page.locator('.virtual-row').first().waitFor({ timeout: step() });
    const searchQuery = {
      id: 'searchQuery',
      label: `Search keystroke → result ("" → "${s.query}")`,
      goalMs: 50,
      detail: `count ${scenario.villageHouseholds} → ${s.expected}`,
    };
    metrics.push(
      ...(await metric(searchQuery, async () => {
        await screens.setSearch(page, '', all, step());
        return screens.measureSearch(page, s.query, countText(s.expected), step());
      })),
    );
    const oneMore = {
      id: 'searchOneMoreChar',
      label: `Search one more character ("${s.prefix}" → "${s.query}")`,
      goalMs: 50,
      detail: `count ${s.prefixExpected} → ${s.expected}`,
    };
    metrics.push(
      ...(await metric(oneMore, async () => {
        await screens.setSearch(page, s.prefix, countText(s.prefixExpected), step());
        return screens.measureSearch(page, s.query, countText(s.expected), step());
      })),
    );
    await screens.setSearch(page, '', all, step());
    await screens.goHome(page, scenario, step());
    const form = {
      id: 'openHouseholdForm',
      label: 'Open household form (members loaded)',
      goalMs: 150,
      detail: '#/ → #/ho/<id>/sua until every member name input holds its stored name',
    };
    metrics.push(
      ...(await metric(form, async (i) => {
        const household = scenario.forms[i];
        if (!household) throw new Error('no household left to open');
        const timing = await screens.measureHouseholdForm(page, household, step());
        await screens.goHome(page, scenario, step());
        return timing;
      })),
    );
    const save = {
      id: 'saveAssessment',
      label: 'Save an assessment (Công dân học tập)',
      goalMs: 50,
      detail: 'click "Lưu đánh giá" until "Đã lưu đánh giá trên máy." is painted (10 scores typed first, untimed)',
    };
    metrics.push(
      ...(await metric(save, async (i) => {
        const citizenId = scenario.citizensToAssess[i];
        if (!citizenId) throw new Error('no citizen left to assess');
        await screens.prepareCitizenAssessment(page, citizenId, year, step());
        return screens.measureSaveAssessment(page, step());
      })),
    );

    // 4. Report.
    const chromium = browser.version();
    const rows = metrics.map((m) => rowOf(m, smoke));
    const rowsPerSecond = Math.round(totalRows / (seedMs / 1000));
    const report = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      options: { seed: options.seed, cpuThrottle: options.cpuThrottle, ...plan },
      pass: 'a goal holds when the median and the p90 (nearest rank) of the paint times are both under it',
      versions: {
        node: process.version,
        chromium,
        playwrightCore: readPackageVersion('playwright-core'),
        dexie: readPackageVersion('dexie'),
        react: readPackageVersion('react'),
        app: APP_VERSION,
      },
      machine: machine(),
      build: options.buildNote,
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
      seeding: { ms: Math.round(seedMs), chunks, chunkRows: SEED_CHUNK_ROWS, rowsPerSecond },
      storage: { usageBytes: storage.usage, quotaBytes: storage.quota },
      timing:
        'paint = from the action (hash change, input event, click) to the first task after the animation frame that renders the awaited state; dom = until the state is first seen in the DOM',
      metrics,
      rows,
    };
    const mb = (n: number | null) => (n === null ? 'unknown' : `${(n / 1024 / 1024).toFixed(1)} MiB`);
    const output = [
      `## Register benchmark (${smoke ? 'smoke' : 'full'}) — ${report.startedAt}`,
      '',
      `Register: ${sizes.households} households, ${sizes.citizens} citizens, ${sizes.clans} clans, ${register.rows.assessments.length} assessments, ${register.rows.villages.length} villages (${totalRows} rows). ` +
        `Biggest village: ${scenario.villageName} (${scenario.villageHouseholds} households).`,
      `Seeding: ${report.seeding.ms} ms in ${chunks} chunks (${rowsPerSecond} rows/s); storage usage after seeding: ${mb(storage.usage)}.`,
      `Chromium ${chromium}, Node ${process.version}, CPU throttle ×${options.cpuThrottle}, ${plan.repetitions} timed run(s) after ${plan.warmups} warm-up(s); ${options.buildNote}.`,
      '',
      markdownTable(rows, metrics, smoke),
      '',
      `Median DOM-ready ms (before paint): ${metrics.map((m) => `${m.id} ${m.error ? '–' : round1(median(m.samplesDomMs))}`).join(', ')}.`,
    ].join('\n');
    return { report, rows, output, failed: metrics.some((m) => m.error !== undefined) };
  } finally {
    await browser?.close().catch(() => undefined);
    if (server) {
      await server.stop().catch(() => undefined);
      removeDataDir(server.dataDir);
    }
  }
}
