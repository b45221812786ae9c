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
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { buildApp } from '../src/server/http/app';
import { runMigrations } from '../src/server/store/migrations';
import { openPgliteStore } from '../src/server/store/pglite-store';
import type { Queryable, Store } from '../src/server/store/store';
import { toWire } from '../src/client/sync/push-outbox';
import { MAX_OPS_PER_PUSH, pushResponseSchema, type PushOp } from '../src/shared/protocol/sync.schema';
import { CHROMIUM_PATH, PHONE } from '../tests/support/browser';
import { enrollDevice, pushOps, type EnrolledDevice } from '../tests/support/sync-fixtures';
import { BENCH_COMMUNE, FULL_REGISTER, generateRegister, SMOKE_REGISTER } from './generate-register';
import { PROBE_SCRIPT } from './page-probe';
import { BENCH_COMMUNE_CODE, communeOps, pushWorkload } from './sync-data';
import { HOLD_KEY, SYNC_PROBE_SCRIPT, type FetchEvent, type SyncEvent, type TxEvent } from './sync-probe';

const ROOT = path.resolve(import.meta.dirname, '..');
const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
const DATABASE_NAME = 'so-khuyen-hoc';
const SEED_CHUNK_ROWS = 2000;
const GOAL_MS = 10_000;
/** Same flags as tests/support/browser.ts; that helper makes incognito contexts, whose IndexedDB lives in memory. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** The issue's 3G profile, as Chrome DevTools takes it (bytes per second, ms). */
const THROTTLE_3G = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };
const TEXT = {
  firstRun: 'Chọn xã của thiết bị',
  home: 'Trang chủ',
  syncNow: 'Đồng bộ ngay',
  idle: 'Đã đồng bộ.',
  pushing: 'Đang gửi về xã…',
  pullingCountPrefix: 'Đang nhận dữ liệu của xã: ',
  failures: ['Không có mạng. Sẽ tự gửi khi có mạng.', 'Đồng bộ chưa được. Sẽ tự thử lại.', 'Máy chủ xã không nhận thiết bị này nữa. Hãy liên hệ xã để lấy mã đăng ký mới.'],
};

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
  const known = ['--smoke', '--dist', '--no-3g', '--profile', '--seed=', '--reps=', '--only=', '--push-records=', '--push3g-records=', '--budget='];
  const unknown = argv.filter((a) => !known.some((k) => (k.endsWith('=') ? a.startsWith(k) : a === k)));
  if (unknown.length > 0) throw new Error(`unknown option(s): ${unknown.join(' ')}`);
  const smoke = flag('smoke');
  const seed = Number(value('seed') ?? 20_240_611);
  const repetitions = Number(value('reps') ?? (smoke ? 1 : 3));
  const pushRecords = Number(value('push-records') ?? (smoke ? 500 : 25_000));
  if (!(Number.isInteger(pushRecords) && pushRecords >= 100 && pushRecords <= 25_000)) throw new Error('--push-records must be 100..25000');
  const push3gRecords = Number(value('push3g-records') ?? (smoke ? pushRecords : 5_000));
  const budgetMs = Number(value('budget') ?? (smoke ? 45 : 350)) * 1000;
  let only: Scenario[] = value('only') ? (value('only') ?? '').split(',').map((x) => x.trim() as Scenario) : [...ALL_SCENARIOS];
  if (only.some((x) => !ALL_SCENARIOS.includes(x))) throw new Error(`--only takes a comma-separated list of: ${ALL_SCENARIOS.join(', ')}`);
  if (flag('no-3g')) only = only.filter((x) => !x.endsWith('3g'));
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  if (!(Number.isInteger(repetitions) && repetitions >= 1 && repetitions <= 10)) throw new Error('--reps must be 1..10');
  if (!(Number.isInteger(push3gRecords) && push3gRecords >= 100 && push3gRecords <= 25_000)) throw new Error('--push3g-records must be 100..25000');
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
// Small helpers
// ---------------------------------------------------------------------------------------------

const log = (message: string) => process.stderr.write(`[bench:sync] ${message}\n`);
const round = (n: number) => Math.round(n);
const round1 = (n: number) => Math.round(n * 10) / 10;
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

class Deadline {
  private readonly end: number;
  constructor(budgetMs: number) {
    this.end = Date.now() + budgetMs;
  }
  left(): number {
    return this.end - Date.now();
  }
  /** A wait's limit: `ms`, or what is left of the budget. Throws when nothing is left. */
  step(ms: number): number {
    const left = this.left();
    if (left <= 0) throw new Error('bench time budget exhausted');
    return Math.min(ms, left);
  }
}

function readPackageVersion(name: string): string {
  const file = path.join(ROOT, 'node_modules', name, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
}

// ---------------------------------------------------------------------------------------------
// Build (as bench/run.ts: the current source into a temporary directory, unless --dist)
// ---------------------------------------------------------------------------------------------

function prepareBuild(useDist: boolean, unminified: boolean): { staticDir: string; temporary: boolean; note: string } {
  const distIndex = path.join(ROOT, 'dist', 'index.html');
  if (useDist) {
    if (!fs.existsSync(distIndex)) throw new Error('--dist given but dist/ has no build');
    return { staticDir: path.join(ROOT, 'dist'), temporary: false, note: `dist/ as built at ${fs.statSync(distIndex).mtime.toISOString()}` };
  }
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-bench-sync-dist-'));
  const started = performance.now();
  const args = ['node_modules/vite/bin/vite.js', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn', ...(unminified ? ['--minify', 'false'] : [])];
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`vite build failed (${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`);
  return { staticDir: outDir, temporary: true, note: `fresh ${unminified ? 'UNMINIFIED ' : ''}build of the current source (${round(performance.now() - started)} ms)` };
}

// ---------------------------------------------------------------------------------------------
// Server: in process, PGlite on disk, every request measured, behind a byte-counting proxy
// ---------------------------------------------------------------------------------------------

type Kind = 'push' | 'pull' | 'other';

interface DbCounters {
  queries: number;
  queryMs: number;
  transactions: number;
  transactionMs: number;
  /** Per request kind and statement (its first words): how many and how long, for the profile. */
  bySql: Map<string, { n: number; ms: number }>;
  /** The kind of the request being served (requests come one at a time in this bench). */
  current: Kind;
}

/** A statement's short name: its first 70 characters, whitespace folded. */
function sqlKey(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().slice(0, 70);
}

/** The statements that took the most time between two snapshots of `bySql`. */
function topStatements(after: DbCounters['bySql'], before: DbCounters['bySql'], kind: Kind, count = 6) {
  return [...after]
    .filter(([key]) => key.startsWith(`${kind} | `))
    .map(([key, v]) => ({ sql: key.slice(kind.length + 3), n: v.n - (before.get(key)?.n ?? 0), ms: round(v.ms - (before.get(key)?.ms ?? 0)) }))
    .filter((v) => v.n > 0)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}

function cloneSql(map: DbCounters['bySql']): DbCounters['bySql'] {
  return new Map([...map].map(([k, v]) => [k, { ...v }]));
}

/** One API request as the server saw it (times: this process's performance.now()). */
interface RequestSample {
  kind: Kind;
  url: string;
  status: number;
  start: number;
  /** Body received, gunzipped and parsed (preHandler). */
  handler: number;
  end: number;
  /** Request body as sent (Content-Length: the gzip bytes when compressed). */
  requestBytes: number;
  requestEncoding: string;
  /** Response body as sent, and the JSON it carries. */
  responseBytes: number;
  responseJsonBytes: number;
  responseEncoding: string;
  queries: number;
  queryMs: number;
  transactionMs: number;
  /** The compressed answer, kept until the JSON size is computed after the timed run. */
  payload?: Buffer;
}

function timedStore(inner: Store, counters: DbCounters): Store {
  const timed = (runner: Queryable): Queryable => ({
    async query(sql, params) {
      const started = performance.now();
      try {
        return await runner.query(sql, params);
      } finally {
        const ms = performance.now() - started;
        counters.queries += 1;
        counters.queryMs += ms;
        const key = `${counters.current} | ${sqlKey(sql)}`;
        const entry = counters.bySql.get(key) ?? { n: 0, ms: 0 };
        entry.n += 1;
        entry.ms += ms;
        counters.bySql.set(key, entry);
      }
    },
  });
  const direct = timed(inner);
  return {
    kind: inner.kind,
    query: (sql, params) => direct.query(sql, params),
    async transaction(work) {
      const started = performance.now();
      try {
        return await inner.transaction((tx) => work(timed(tx)));
      } finally {
        counters.transactions += 1;
        counters.transactionMs += performance.now() - started;
      }
    },
    close: () => inner.close(),
  };
}

interface ProxyCounters {
  /** Bytes each way (HTTP headers included), by the API call they belong to. */
  up: Record<Kind, number>;
  down: Record<Kind, number>;
  connections: number;
}

const REQUEST_LINE = /^(?:GET|POST|PUT|DELETE|HEAD|PATCH|OPTIONS) (\S+)/;

function kindOfUrl(url: string): Kind {
  return url.includes('/api/v1/sync/push') ? 'push' : url.includes('/api/v1/sync/pull') ? 'pull' : 'other';
}

/**
 * A TCP proxy on 127.0.0.1 that counts the bytes each way. A chunk from the browser that starts
 * with a request line starts a new request on that connection (keep-alive, no pipelining), so
 * every byte is counted for the request it belongs to. Loopback only, one local port.
 */
async function startCountingProxy(targetPort: number) {
  const counters: ProxyCounters = { up: { push: 0, pull: 0, other: 0 }, down: { push: 0, pull: 0, other: 0 }, connections: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    counters.connections += 1;
    let kind: Kind = 'other';
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const cleanup = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('data', (chunk: Buffer) => {
      const line = REQUEST_LINE.exec(chunk.subarray(0, 512).toString('latin1'));
      if (line?.[1]) kind = kindOfUrl(line[1]);
      counters.up[kind] += chunk.length;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      counters.down[kind] += chunk.length;
      client.write(chunk);
    });
    for (const socket of [client, upstream]) {
      socket.on('error', cleanup);
      socket.on('close', cleanup);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    counters,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}

function wireSince(counters: ProxyCounters, before: ProxyCounters, kind: Kind) {
  return { up: counters.up[kind] - before.up[kind], down: counters.down[kind] - before.down[kind] };
}

function snapshot(counters: ProxyCounters): ProxyCounters {
  return { up: { ...counters.up }, down: { ...counters.down }, connections: counters.connections };
}

interface BenchServer {
  /** Through the counting proxy: what the browser uses. */
  url: string;
  /** Straight to the server: enrolment and seeding from Node, not counted. */
  directUrl: string;
  store: Store;
  db: DbCounters;
  proxy: ProxyCounters;
  samples: RequestSample[];
  close(): Promise<void>;
}

async function startBenchServer(staticDir: string): Promise<BenchServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-bench-sync-pg-'));
  let app: FastifyInstance | undefined;
  let raw: Store | undefined;
  try {
    raw = await openPgliteStore(dataDir);
    await runMigrations(raw);
    const db: DbCounters = { queries: 0, queryMs: 0, transactions: 0, transactionMs: 0, bySql: new Map(), current: 'other' };
    const store = timedStore(raw, db);
    app = await buildApp({ store, staticDir });
    const samples: RequestSample[] = [];
    const open = new WeakMap<object, RequestSample>();
    app.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/api/')) return;
      const now = performance.now();
      db.current = kindOfUrl(request.url);
      open.set(request, {
        kind: kindOfUrl(request.url),
        url: request.url.split('?')[0] ?? request.url,
        status: 0,
        start: now,
        handler: now,
        end: now,
        requestBytes: Number(request.headers['content-length'] ?? 0),
        requestEncoding: String(request.headers['content-encoding'] ?? 'identity'),
        responseBytes: 0,
        responseJsonBytes: 0,
        responseEncoding: 'identity',
        queries: -db.queries,
        queryMs: -db.queryMs,
        transactionMs: -db.transactionMs,
      });
    });
    app.addHook('preHandler', async (request) => {
      const sample = open.get(request);
      if (sample) sample.handler = performance.now();
    });
    // Added after buildApp's compression hook, so it sees the body as it goes on the wire.
    app.addHook('onSend', async (request, reply, payload) => {
      const sample = open.get(request);
      if (sample) {
        sample.responseEncoding = String(reply.getHeader('content-encoding') ?? 'identity');
        if (Buffer.isBuffer(payload)) {
          sample.responseBytes = payload.length;
          if (sample.responseEncoding === 'gzip') sample.payload = payload;
          else sample.responseJsonBytes = payload.length;
        } else if (typeof payload === 'string') {
          sample.responseBytes = sample.responseJsonBytes = Buffer.byteLength(payload);
        }
      }
      return payload;
    });
    app.addHook('onResponse', async (request, reply) => {
      const sample = open.get(request);
      if (!sample) return;
      sample.end = performance.now();
      sample.status = reply.statusCode;
      db.current = 'other';
      sample.queries += db.queries;
      sample.queryMs += db.queryMs;
      sample.transactionMs += db.transactionMs;
      samples.push(sample);
    });
    const directUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const proxy = await startCountingProxy(Number(new URL(directUrl).port));
    const started = { app, raw };
    return {
      url: `http://127.0.0.1:${proxy.port}`,
      directUrl,
      store,
      db,
      proxy: proxy.counters,
      samples,
      async close() {
        await proxy.close();
        await started.app.close().catch(() => undefined);
        await started.raw.close().catch(() => undefined);
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await raw?.close().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Fills in the JSON size of gzipped answers (after the timed part: gunzip costs time). */
function settlePayloads(samples: readonly RequestSample[]) {
  for (const s of samples) {
    if (s.payload) {
      s.responseJsonBytes = gunzipSync(s.payload).length;
      delete s.payload;
    }
  }
}

async function countServerRecords(store: Store): Promise<Record<string, number>> {
  const rows = await store.query<{ entity: string; n: string }>(
    'SELECT entity, count(*)::text AS n FROM records WHERE commune_code = $1 AND NOT deleted GROUP BY entity',
    [BENCH_COMMUNE_CODE],
  );
  return Object.fromEntries(rows.map((r) => [r.entity, Number(r.n)]));
}

// ---------------------------------------------------------------------------------------------
// The device: a fresh Chromium profile on disk per repetition
// ---------------------------------------------------------------------------------------------

interface Device {
  context: BrowserContext;
  /** Main-thread time of the page so far (CDP Performance metrics), ms. */
  mainThread(): Promise<MainThread>;
  page: Page;
  cdp: CDPSession;
  /** requestId → encodedDataLength of finished sync requests (CDP, headers included). */
  encoded: Map<string, { url: string; bytes: number }>;
  serviceWorker: string;
  close(): Promise<void>;
}

interface MainThread {
  taskMs: number;
  scriptMs: number;
  styleLayoutMs: number;
}

function mainThreadSince(after: MainThread, before: MainThread): MainThread {
  return { taskMs: round(after.taskMs - before.taskMs), scriptMs: round(after.scriptMs - before.scriptMs), styleLayoutMs: round(after.styleLayoutMs - before.styleLayoutMs) };
}

async function openDevice(serverUrl: string, deadline: Deadline): Promise<Device> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-bench-sync-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, ...PHONE });
  const close = async () => {
    await context.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true });
  };
  try {
    await context.addInitScript({ content: PROBE_SCRIPT });
    await context.addInitScript({ content: SYNC_PROBE_SCRIPT });
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    const encoded = new Map<string, { url: string; bytes: number }>();
    const urls = new Map<string, string>();
    cdp.on('Network.requestWillBeSent', (event) => {
      if (event.request.url.includes('/api/v1/sync/')) urls.set(event.requestId, event.request.url);
    });
    cdp.on('Network.loadingFinished', (event) => {
      const url = urls.get(event.requestId);
      if (url) encoded.set(event.requestId, { url, bytes: event.encodedDataLength });
    });
    await cdp.send('Network.enable');
    await cdp.send('Performance.enable');
    const mainThread = async (): Promise<MainThread> => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const get = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
      return { taskMs: get('TaskDuration'), scriptMs: get('ScriptDuration'), styleLayoutMs: get('RecalcStyleDuration') + get('LayoutDuration') };
    };
    await page.goto(serverUrl, { timeout: deadline.step(30_000) });
    await page.getByRole('heading', { level: 1, name: TEXT.firstRun }).waitFor({ timeout: deadline.step(30_000) });
    // The service worker precaches the app now; wait for it, so that traffic is not timed.
    const serviceWorker = await page
      .evaluate(
        (ms) => Promise.race([navigator.serviceWorker.ready.then(() => 'ready'), new Promise<string>((r) => setTimeout(() => r('not ready'), ms))]),
        deadline.step(10_000),
      )
      .catch(() => 'unavailable');
    return { context, page, cdp, encoded, serviceWorker, mainThread, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function chromiumVersion(): Promise<string> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  try {
    return browser.version();
  } finally {
    await browser.close();
  }
}

/** Raw IndexedDB from the page (no version given: the app's own), one transaction per chunk. */
async function seedStores(page: Page, stores: readonly { store: string; rows: readonly unknown[] }[]): Promise<number> {
  const started = performance.now();
  for (const { store, rows } of stores) {
    for (let i = 0; i < rows.length; i += SEED_CHUNK_ROWS) {
      await page.evaluate(
        async ({ name, store: storeName, chunk }) => {
          const db = await new Promise<IDBDatabase>((resolve, reject) => {
            const request = indexedDB.open(name);
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error ?? new Error('open failed'));
          });
          try {
            await new Promise<void>((resolve, reject) => {
              const tx = db.transaction(storeName, 'readwrite');
              const objectStore = tx.objectStore(storeName);
              for (const row of chunk) objectStore.put(row);
              tx.oncomplete = () => resolve();
              tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
              tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
            });
          } finally {
            db.close();
          }
        },
        { name: DATABASE_NAME, store, chunk: rows.slice(i, i + SEED_CHUNK_ROWS) },
      );
    }
  }
  return performance.now() - started;
}

function settingRows(serverUrl: string, device: EnrolledDevice, year: number) {
  const at = new Date().toISOString();
  return [
    { key: 'commune', value: { ...BENCH_COMMUNE }, updatedAt: at },
    { key: 'workingYear', value: year, updatedAt: at },
    { key: 'syncAccount', value: { serverUrl, deviceId: device.deviceId, token: device.token, scope: device.scope, enrolledAt: at }, updatedAt: at },
  ];
}

/**
 * Reloads with the sync hold on (the scheduler's start-up attempt sees "offline" and does nothing),
 * waits for the home screen with the expected unsynced count, then lets it settle.
 */
async function reloadHeld(page: Page, expectedUnsynced: number, deadline: Deadline) {
  await page.evaluate((key) => sessionStorage.setItem(key, '1'), HOLD_KEY);
  await page.reload({ timeout: deadline.step(30_000) });
  await page.getByRole('heading', { level: 1, name: TEXT.home }).waitFor({ timeout: deadline.step(30_000) });
  await page.getByRole('button', { name: TEXT.syncNow }).waitFor({ timeout: deadline.step(30_000) });
  await page.waitForFunction(
    (expected) => (document.querySelector('[data-testid="unsynced-count"]')?.textContent ?? '').replace(/\D/g, '') === String(expected),
    expectedUnsynced,
    { timeout: deadline.step(30_000), polling: 100 },
  );
  await sleep(500); // the home screen's other queries
}

/** Lifts the hold, starts recording and clicks "Đồng bộ ngay": the timed start (page clock). */
function startSync(page: Page): Promise<number> {
  return page.evaluate(() => {
    const probe = window.syncProbe;
    if (!probe) throw new Error('sync probe missing');
    probe.release();
    probe.record();
    return probe.clickSyncNow();
  });
}

interface Observed {
  events: SyncEvent[];
  fetches: FetchEvent[];
  transactions: TxEvent[];
  /** ms from the click: push finished (status left "pushing"), first pull page applied, idle. */
  pushDoneMs: number | null;
  firstPageMs: number | null;
  idleMs: number | null;
  failure: string | null;
}

function observe(events: readonly SyncEvent[], fetches: readonly FetchEvent[], transactions: readonly TxEvent[], t0: number): Observed {
  const status = events.filter((e) => e.what === 'status' && e.t >= t0);
  const pushingAt = status.findIndex((e) => e.text === TEXT.pushing);
  const afterPush = pushingAt >= 0 ? status.slice(pushingAt + 1).find((e) => e.text !== TEXT.pushing) : undefined;
  const firstPage = status.find((e) => e.text.startsWith(TEXT.pullingCountPrefix));
  const pullStarted = status.findIndex((e) => e.text !== TEXT.pushing && e.text !== TEXT.idle);
  const idle = pullStarted >= 0 ? status.slice(pullStarted + 1).find((e) => e.text === TEXT.idle) : undefined;
  const failure = status.find((e) => TEXT.failures.includes(e.text));
  return {
    events: events.map((e) => ({ ...e, t: round1(e.t - t0) })),
    fetches: fetches.filter((f) => f.tCall >= t0).map((f) => ({ ...f, tCall: round1(f.tCall - t0), tHeaders: round1(f.tHeaders - t0), tBody: round1(f.tBody - t0) })),
    transactions: transactions.filter((x) => x.start >= t0).map((x) => ({ ...x, start: round1(x.start - t0), end: round1(x.end - t0) })),
    pushDoneMs: afterPush ? afterPush.t - t0 : null,
    firstPageMs: firstPage ? firstPage.t - t0 : null,
    idleMs: idle ? idle.t - t0 : null,
    failure: failure?.text ?? null,
  };
}

/** Polls the probe until `done` holds or a failure shows; bounded by `timeoutMs`. */
async function waitForSync(page: Page, t0: number, done: (o: Observed) => boolean, timeoutMs: number): Promise<Observed> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { events, fetches, transactions } = await page.evaluate(() => ({
      events: window.syncProbe?.events() ?? [],
      fetches: window.syncProbe?.fetches() ?? [],
      transactions: window.syncProbe?.transactions() ?? [],
    }));
    const observed = observe(events, fetches, transactions, t0);
    if (observed.failure) throw new Error(`sync failed: "${observed.failure}"`);
    if (done(observed)) return observed;
    if (Date.now() > until) {
      const lastStatus = observed.events.filter((e) => e.what === 'status').at(-1)?.text ?? 'none';
      throw new Error(`sync not finished within ${Math.round(timeoutMs / 1000)} s (last status: ${lastStatus})`);
    }
    await sleep(100);
  }
}

interface DeviceState {
  counts: Record<string, number>;
  pullCursor: string | null;
  usage: number | null;
  usageDetails: Record<string, number> | null;
}

async function deviceState(page: Page): Promise<DeviceState> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    const counts: Record<string, number> = {};
    let pullCursor: string | null;
    try {
      const stores = ['villages', 'households', 'citizens', 'clans', 'outbox', 'conflicts', 'rejections'];
      const tx = db.transaction([...stores, 'settings'], 'readonly');
      await Promise.all(
        stores.map(
          (s) =>
            new Promise<void>((resolve, reject) => {
              const request = tx.objectStore(s).count();
              request.onsuccess = () => {
                counts[s] = request.result;
                resolve();
              };
              request.onerror = () => reject(request.error ?? new Error('count failed'));
            }),
        ),
      );
      pullCursor = await new Promise<string | null>((resolve, reject) => {
        const request = tx.objectStore('settings').get('pullCursor');
        request.onsuccess = () => resolve((request.result as { value?: string } | undefined)?.value ?? null);
        request.onerror = () => reject(request.error ?? new Error('get failed'));
      });
    } finally {
      db.close();
    }
    const estimate = (await navigator.storage.estimate()) as StorageEstimate & { usageDetails?: Record<string, number> };
    return { counts, pullCursor, usage: estimate.usage ?? null, usageDetails: estimate.usageDetails ?? null };
  }, DATABASE_NAME);
}

/**
 * One full read of the households store, as the home screen's village counts do it
 * (src/client/db/summary.queries.ts reads every household); that live query runs again after
 * every sync transaction that touches households. Best of 2, ms.
 */
async function householdReadMs(page: Page): Promise<{ ms: number; households: number }> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    try {
      let best = Infinity;
      let households = 0;
      for (let i = 0; i < 2; i += 1) {
        const t = performance.now();
        const rows = await new Promise<{ deleted: number; data: { villageId: string } }[]>((resolve, reject) => {
          const request = db.transaction('households', 'readonly').objectStore('households').getAll();
          request.onsuccess = () => resolve(request.result as { deleted: number; data: { villageId: string } }[]);
          request.onerror = () => reject(request.error ?? new Error('getAll failed'));
        });
        const perVillage = new Map<string, number>();
        for (const h of rows) if (h.deleted === 0) perVillage.set(h.data.villageId, (perVillage.get(h.data.villageId) ?? 0) + 1);
        best = Math.min(best, performance.now() - t);
        households = [...perVillage.values()].reduce((a, b) => a + b, 0);
      }
      return { ms: best, households };
    } finally {
      db.close();
    }
  }, DATABASE_NAME);
}

/** JSON.stringify and CompressionStream gzip of one full push batch, in the page (median of 3). */
async function gzipCostInPage(page: Page, batchJson: string): Promise<{ jsonBytes: number; gzipBytes: number; stringifyMs: number; gzipMs: number }> {
  return page.evaluate(async (json) => {
    const value: unknown = JSON.parse(json);
    const stringify: number[] = [];
    const gzip: number[] = [];
    let gzipBytes = 0;
    for (let i = 0; i < 3; i += 1) {
      let t = performance.now();
      const text = JSON.stringify(value);
      stringify.push(performance.now() - t);
      t = performance.now();
      const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
      gzipBytes = (await new Response(stream).arrayBuffer()).byteLength;
      gzip.push(performance.now() - t);
    }
    const mid = (v: number[]) => [...v].sort((a, b) => a - b)[1] ?? NaN;
    return { jsonBytes: new TextEncoder().encode(json).length, gzipBytes, stringifyMs: mid(stringify), gzipMs: mid(gzip) };
  }, batchJson);
}

// ---------------------------------------------------------------------------------------------
// Traffic and profile of one timed sync
// ---------------------------------------------------------------------------------------------

interface Traffic {
  requests: number;
  requestBodyBytes: number;
  requestJsonBytes: number | null;
  responseBodyBytes: number;
  responseJsonBytes: number;
  /** CDP encodedDataLength of the responses (headers included). */
  cdpResponseBytes: number;
  /** onRequest → onResponse, summed; of which receiving + gunzipping + parsing the body. */
  serverMs: number;
  serverBodyInMs: number;
  transactionMs: number;
  queries: number;
  queryMs: number;
  topStatements: ReturnType<typeof topStatements>;
}

function traffic(
  samples: readonly RequestSample[],
  kind: 'push' | 'pull',
  encoded: readonly { url: string; bytes: number }[],
  requestJsonBytes: number | null,
  statements: ReturnType<typeof topStatements>,
): Traffic {
  const mine = samples.filter((s) => s.kind === kind);
  return {
    requests: mine.length,
    requestBodyBytes: sum(mine.map((s) => s.requestBytes)),
    requestJsonBytes,
    responseBodyBytes: sum(mine.map((s) => s.responseBytes)),
    responseJsonBytes: sum(mine.map((s) => s.responseJsonBytes)),
    cdpResponseBytes: sum(encoded.filter((e) => e.url.includes(`/sync/${kind}`)).map((e) => e.bytes)),
    serverMs: round(sum(mine.map((s) => s.end - s.start))),
    serverBodyInMs: round(sum(mine.map((s) => s.handler - s.start))),
    transactionMs: round(sum(mine.map((s) => s.transactionMs))),
    queries: sum(mine.map((s) => s.queries)),
    queryMs: round(sum(mine.map((s) => s.queryMs))),
    topStatements: statements,
  };
}

/** The page's view: time from fetch() to the parsed answer (network + server), and the rest. */
function fetchProfile(fetches: readonly FetchEvent[], kind: 'push' | 'pull', startMs: number, endMs: number | null) {
  const mine = fetches.filter((f) => f.kind === kind);
  const first = mine[0];
  if (!first || endMs === null) return null;
  const inFlight = sum(mine.map((f) => f.tBody - f.tCall));
  const span = endMs - Math.min(startMs, first.tCall);
  return { requests: mine.length, spanMs: round(span), fetchToParsedMs: round(inFlight), deviceMs: round(span - inFlight) };
}

type TxGroup = 'takeBatch' | 'applyResults' | 'pullPage' | 'other';

/** The app's readwrite IndexedDB transactions by role (object stores tell which code opened them). */
function transactionProfile(transactions: readonly TxEvent[], from: number, to: number | null) {
  const groups: Record<TxGroup, number[]> = { takeBatch: [], applyResults: [], pullPage: [], other: [] };
  for (const t of transactions) {
    if (t.start < from || (to !== null && t.start > to) || !Number.isFinite(t.end)) continue;
    const group: TxGroup = t.stores.includes('conflicts') ? 'applyResults' : t.stores === 'outbox,settings' ? 'takeBatch' : t.stores.includes('villages') ? 'pullPage' : 'other';
    groups[group].push(t.end - t.start);
  }
  return Object.fromEntries(
    Object.entries(groups)
      .filter(([, list]) => list.length > 0)
      .map(([group, list]) => [group, { n: list.length, totalMs: round(sum(list)), medianMs: round1(median(list)) }]),
  ) as Partial<Record<TxGroup, { n: number; totalMs: number; medianMs: number }>>;
}

interface ProfileSummary {
  file: string;
  sampledMs: number;
  /** Self time by function (name, file:line). */
  self: { fn: string; ms: number }[];
  /** Time with the function on the stack, by function name. */
  inclusive: { fn: string; ms: number }[];
}

async function startProfile(cdp: CDPSession) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
}

/** Stops the page's CPU profile, writes it to bench/results/ and sums it up. */
async function stopProfile(cdp: CDPSession, label: string): Promise<ProfileSummary> {
  const { profile } = await cdp.send('Profiler.stop');
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `sync-profile-${label}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
  fs.writeFileSync(file, JSON.stringify(profile));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (id: number) => {
    const f = nodes.get(id)?.callFrame;
    return f ? f.functionName || `(anonymous ${path.basename(f.url)}:${f.lineNumber + 1})` : '?';
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  samples.forEach((id, i) => {
    const ms = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    total += ms;
    const f = nodes.get(id)?.callFrame;
    const where = f && f.url ? ` ${path.basename(f.url)}:${f.lineNumber + 1}` : '';
    const key = `${name(id)}${where}`;
    self.set(key, (self.get(key) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const fn = name(at);
      if (seen.has(fn)) continue;
      seen.add(fn);
      inclusive.set(fn, (inclusive.get(fn) ?? 0) + ms);
    }
  });
  const top = (m: Map<string, number>, count: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([fn, ms]) => ({ fn, ms: round(ms) }));
  return { file: path.relative(ROOT, file), sampledMs: round(total), self: top(self, 25), inclusive: top(inclusive, 60) };
}

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------

interface Context {
  options: RunOptions;
  deadline: Deadline;
  staticDir: string;
  year: number;
}

type Throttle = '3g' | 'none';
const NO_THROTTLE = { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 };

interface PushSample {
  records: number;
  throttle: Throttle;
  /** Click → push finished: status left "pushing" (the outbox was then checked empty and the server full). */
  pushMs: number;
  /** Click → idle again: the push, then the pull that brings the same records back (null: not waited for). */
  fullSyncMs: number | null;
  outboxAfter: number;
  serverRecords: Record<string, number>;
  seedMs: number;
  wallMs: number;
  push: Traffic;
  pull: Traffic;
  /** Proxy bytes (headers included) of the pushes, of the pulls after them, of anything else. */
  wire: { up: number; down: number };
  wirePull: { up: number; down: number };
  wireOther: { up: number; down: number };
  devicePush: ReturnType<typeof fetchProfile>;
  devicePull: ReturnType<typeof fetchProfile>;
  idbPush: ReturnType<typeof transactionProfile>;
  idbPull: ReturnType<typeof transactionProfile>;
  mainThreadPush: MainThread;
  mainThreadPull: MainThread | null;
  gzipBatch: Awaited<ReturnType<typeof gzipCostInPage>>;
  /** One read of every household, as the home screen's counts re-run after each batch (ms). */
  homeReadMs: number;
  batches: { requestBytes: number; serverMs: number; transactionMs: number; queries: number }[];
  observed: Pick<Observed, 'events' | 'fetches' | 'transactions'>;
  serviceWorker: string;
  /** With --profile: the page's CPU profile until the push finished. */
  profile?: ProfileSummary;
}

async function runPush(ctx: Context, records: number, throttle: Throttle, waitForPullBack: boolean, timeoutMs: number): Promise<PushSample> {
  const { deadline, options } = ctx;
  const wallStart = Date.now();
  const workload = pushWorkload({ seed: options.seed + records, households: records, villages: options.pushVillages, startMs: Date.UTC(ctx.year, 0, 5) });
  const total = workload.outbox.length;
  const server = await startBenchServer(ctx.staticDir);
  let device: Device | undefined;
  try {
    device = await openDevice(server.url, deadline);
    const { page, cdp } = device;
    const enrolled = await enrollDevice(server.directUrl, server.store, { communeCode: BENCH_COMMUNE_CODE, deviceName: 'Máy đo hiệu năng' });
    const seedMs = await seedStores(page, [
      { store: 'settings', rows: settingRows(server.url, enrolled, ctx.year) },
      { store: 'villages', rows: workload.villages },
      { store: 'households', rows: workload.households },
      { store: 'outbox', rows: workload.outbox },
    ]);
    await reloadHeld(page, total, deadline);
    if (throttle === '3g') await cdp.send('Network.emulateNetworkConditions', THROTTLE_3G);
    const firstSample = server.samples.length;
    const wire0 = snapshot(server.proxy);
    const sql0 = cloneSql(server.db.bySql);
    device.encoded.clear();
    const main0 = await device.mainThread();
    if (options.profile) await startProfile(cdp);
    const t0 = await startSync(page);
    const pushed = await waitForSync(page, t0, (o) => o.pushDoneMs !== null, deadline.step(timeoutMs));
    const main1 = await device.mainThread();
    const profile = options.profile ? await stopProfile(cdp, `push-${throttle}-${records}`) : undefined;
    const serverRecords = await countServerRecords(server.store);
    let finished: Observed = pushed;
    if (waitForPullBack) {
      try {
        finished = await waitForSync(page, t0, (o) => o.idleMs !== null, deadline.step(timeoutMs));
      } catch (error) {
        log(`  the pull after the push was not timed: ${errorText(error)}`);
      }
    }
    const main2 = await device.mainThread();
    if (throttle === '3g') await cdp.send('Network.emulateNetworkConditions', NO_THROTTLE);
    const samples = server.samples.slice(firstSample);
    settlePayloads(samples);
    const state = await deviceState(page);
    const encoded = [...device.encoded.values()];
    // The JSON the device gzipped, rebuilt here batch by batch (the same ops, seqs and envelope).
    const wireOps = workload.outbox.map((op, i) => toWire({ ...op, wireSeq: i + 1 }));
    let requestJsonBytes = 0;
    for (let i = 0; i < wireOps.length; i += MAX_OPS_PER_PUSH) {
      requestJsonBytes += Buffer.byteLength(JSON.stringify({ protocol: 1, deviceId: enrolled.deviceId, ops: wireOps.slice(i, i + MAX_OPS_PER_PUSH) }));
    }
    const fullBatch = wireOps.slice(Math.min(MAX_OPS_PER_PUSH, Math.max(0, wireOps.length - MAX_OPS_PER_PUSH)), Math.min(wireOps.length, MAX_OPS_PER_PUSH * 2));
    const gzipBatch = await gzipCostInPage(page, JSON.stringify({ protocol: 1, deviceId: enrolled.deviceId, ops: fullBatch }));
    const homeRead = await householdReadMs(page);
    if (homeRead.households !== workload.households.length) throw new Error(`IndexedDB holds ${homeRead.households} households, expected ${workload.households.length}`);
    const homeReadMs = round(homeRead.ms);
    const pushDone = pushed.pushDoneMs;
    const idle = finished.idleMs;
    const sample: PushSample = {
      records: total,
      throttle,
      pushMs: round(pushDone ?? NaN),
      fullSyncMs: idle === null ? null : round(idle),
      outboxAfter: state.counts.outbox ?? -1,
      serverRecords,
      seedMs: round(seedMs),
      wallMs: Date.now() - wallStart,
      push: traffic(samples, 'push', encoded, requestJsonBytes, topStatements(server.db.bySql, sql0, 'push')),
      pull: traffic(samples, 'pull', encoded, null, topStatements(server.db.bySql, sql0, 'pull')),
      wire: wireSince(server.proxy, wire0, 'push'),
      wirePull: wireSince(server.proxy, wire0, 'pull'),
      wireOther: wireSince(server.proxy, wire0, 'other'),
      devicePush: fetchProfile(finished.fetches, 'push', 0, pushDone),
      devicePull: fetchProfile(finished.fetches, 'pull', pushDone ?? 0, idle),
      idbPush: transactionProfile(finished.transactions, 0, pushDone),
      idbPull: transactionProfile(finished.transactions, pushDone ?? 0, idle),
      mainThreadPush: mainThreadSince(main1, main0),
      mainThreadPull: idle === null ? null : mainThreadSince(main2, main1),
      gzipBatch,
      homeReadMs,
      batches: samples
        .filter((x) => x.kind === 'push')
        .map((x) => ({ requestBytes: x.requestBytes, serverMs: round(x.end - x.start), transactionMs: round(x.transactionMs), queries: x.queries })),
      observed: { events: finished.events, fetches: finished.fetches, transactions: finished.transactions },
      serviceWorker: device.serviceWorker,
      ...(profile ? { profile } : {}),
    };
    const onServer = sum(Object.values(serverRecords));
    if (sample.outboxAfter !== 0) throw new Error(`outbox holds ${sample.outboxAfter} ops after the push`);
    if (onServer !== total) throw new Error(`server holds ${onServer} records, expected ${total}`);
    return sample;
  } finally {
    await device?.close();
    await server.close();
  }
}

interface BootstrapSample {
  throttle: Throttle;
  /** Click → the first pull page is in IndexedDB (its count on screen): the app is usable. */
  firstPageMs: number;
  /** Click → idle with every record in IndexedDB. */
  doneMs: number;
  wallMs: number;
  rows: Record<string, number>;
  pullCursorStable: boolean;
  usageBytes: number | null;
  usageDetails: Record<string, number> | null;
  pull: Traffic;
  /** Proxy bytes (headers included) of the pulls, and of anything else during the bootstrap. */
  wire: { up: number; down: number };
  wireOther: { up: number; down: number };
  device: ReturnType<typeof fetchProfile>;
  idb: ReturnType<typeof transactionProfile>;
  mainThread: MainThread;
  pages: { responseBytes: number; serverMs: number; queryMs: number; fetchToParsedMs: number | null; deviceMs: number | null }[];
  observed: Pick<Observed, 'events' | 'fetches' | 'transactions'>;
  serviceWorker: string;
  /** With --profile: the page's CPU profile of the whole bootstrap. */
  profile?: ProfileSummary;
}

interface SeededCommune {
  counts: Record<string, number>;
  total: number;
  seedMs: number;
  batches: number;
  medianBatchMs: number;
  topStatements: ReturnType<typeof topStatements>;
}

/** A seeding device pushes the whole commune over HTTP, 500 ops per request (gzip). */
async function seedCommune(server: BenchServer, ctx: Context): Promise<SeededCommune> {
  const sizes = ctx.options.smoke ? SMOKE_REGISTER : FULL_REGISTER;
  const register = generateRegister({ ...sizes, seed: ctx.options.seed, year: ctx.year });
  const { ops, counts } = communeOps(register, new Date(Date.UTC(ctx.year, 0, 5)).toISOString());
  const seeder = await enrollDevice(server.directUrl, server.store, { communeCode: BENCH_COMMUNE_CODE, deviceName: 'Máy nhập liệu của xã' });
  const sql0 = cloneSql(server.db.bySql);
  const started = performance.now();
  const batchMs: number[] = [];
  for (let i = 0; i < ops.length; i += MAX_OPS_PER_PUSH) {
    if (ctx.deadline.left() <= 0) throw new Error('bench time budget exhausted while seeding');
    const t = performance.now();
    const batch: PushOp[] = ops.slice(i, i + MAX_OPS_PER_PUSH);
    const answer = await pushOps(server.directUrl, seeder.token, { protocol: 1, deviceId: seeder.deviceId, ops: batch }, { gzip: true });
    if (answer.status !== 200) throw new Error(`seeding push failed: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    const bad = pushResponseSchema.parse(answer.body).results.find((r) => r.status !== 'applied');
    if (bad) throw new Error(`seeding op not applied: ${JSON.stringify(bad).slice(0, 300)}`);
    batchMs.push(performance.now() - t);
  }
  const seedMs = performance.now() - started;
  const onServer = await countServerRecords(server.store);
  for (const [entity, n] of Object.entries(counts)) {
    if (onServer[entity] !== n) throw new Error(`server holds ${onServer[entity] ?? 0} ${entity} records, expected ${n}`);
  }
  return { counts, total: ops.length, seedMs: round(seedMs), batches: batchMs.length, medianBatchMs: round(median(batchMs)), topStatements: topStatements(server.db.bySql, sql0, 'push') };
}

async function runBootstrap(ctx: Context, server: BenchServer, seeded: SeededCommune, throttle: Throttle, timeoutMs: number): Promise<BootstrapSample> {
  const { deadline } = ctx;
  const wallStart = Date.now();
  const device = await openDevice(server.url, deadline);
  try {
    const { page, cdp } = device;
    const enrolled = await enrollDevice(server.directUrl, server.store, { communeCode: BENCH_COMMUNE_CODE, deviceName: 'Máy mới' });
    await seedStores(page, [{ store: 'settings', rows: settingRows(server.url, enrolled, ctx.year) }]);
    await reloadHeld(page, 0, deadline);
    if (throttle === '3g') await cdp.send('Network.emulateNetworkConditions', THROTTLE_3G);
    const firstSample = server.samples.length;
    const wire0 = snapshot(server.proxy);
    const sql0 = cloneSql(server.db.bySql);
    device.encoded.clear();
    const main0 = await device.mainThread();
    if (ctx.options.profile) await startProfile(cdp);
    const t0 = await startSync(page);
    const done = await waitForSync(page, t0, (o) => o.idleMs !== null, deadline.step(timeoutMs));
    const main1 = await device.mainThread();
    const profile = ctx.options.profile ? await stopProfile(cdp, `bootstrap-${throttle}`) : undefined;
    const wire = wireSince(server.proxy, wire0, 'pull');
    const wireOther = wireSince(server.proxy, wire0, 'other');
    if (throttle === '3g') await cdp.send('Network.emulateNetworkConditions', NO_THROTTLE);
    const samples = server.samples.slice(firstSample);
    settlePayloads(samples);
    const state = await deviceState(page);
    await sleep(1000);
    const again = await deviceState(page);
    const rows = { villages: state.counts.villages ?? 0, households: state.counts.households ?? 0, citizens: state.counts.citizens ?? 0, clans: state.counts.clans ?? 0 };
    const got = sum(Object.values(rows));
    if (got !== seeded.total) throw new Error(`IndexedDB holds ${got} records after the bootstrap, expected ${seeded.total} (${JSON.stringify(rows)})`);
    const pulls = samples.filter((s) => s.kind === 'pull');
    const pullFetches = done.fetches.filter((f) => f.kind === 'pull');
    const idle = done.idleMs ?? NaN;
    return {
      throttle,
      firstPageMs: round(done.firstPageMs ?? NaN),
      doneMs: round(idle),
      wallMs: Date.now() - wallStart,
      rows,
      pullCursorStable: state.pullCursor !== null && state.pullCursor === again.pullCursor,
      usageBytes: again.usage,
      usageDetails: again.usageDetails,
      pull: traffic(samples, 'pull', [...device.encoded.values()], null, topStatements(server.db.bySql, sql0, 'pull')),
      wire,
      wireOther,
      device: fetchProfile(done.fetches, 'pull', 0, done.idleMs),
      idb: transactionProfile(done.transactions, 0, done.idleMs),
      mainThread: mainThreadSince(main1, main0),
      pages: pulls.map((s, i) => {
        const f = pullFetches[i];
        const next = pullFetches[i + 1];
        return {
          responseBytes: s.responseBytes,
          serverMs: round(s.end - s.start),
          queryMs: round(s.queryMs),
          fetchToParsedMs: f ? round(f.tBody - f.tCall) : null,
          deviceMs: f ? round((next ? next.tCall : idle) - f.tBody) : null,
        };
      }),
      observed: { events: done.events, fetches: done.fetches, transactions: done.transactions },
      serviceWorker: device.serviceWorker,
      ...(profile ? { profile } : {}),
    };
  } finally {
    await device.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

interface Row {
  id: string;
  label: string;
  samplesMs: number[];
  warmupsMs: number[];
  goalMs: number | null;
  /** null: not judged (information, smoke, or nothing measured). */
  pass: boolean | null;
  error?: string;
}

function row(id: string, label: string, samplesMs: number[], warmupsMs: number[], goalMs: number | null, smoke: boolean, error?: string): Row {
  const judged = goalMs !== null && !smoke && samplesMs.length > 0;
  return { id, label, samplesMs, warmupsMs, goalMs, pass: judged ? Math.max(...samplesMs) < (goalMs ?? 0) : null, ...(error ? { error } : {}) };
}

function markdownTable(rows: readonly Row[], smoke: boolean): string {
  const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines = ['| scenario | median | max | n | goal | pass? |', '|---|---:|---:|---:|---|---|'];
  for (const r of rows) {
    const has = r.samplesMs.length > 0;
    const verdict = !has ? (r.error ? `not measured: ${r.error}` : 'not measured') : r.pass === null ? (smoke && r.goalMs !== null ? 'not judged (smoke)' : 'info') : r.pass ? 'PASS' : 'FAIL';
    lines.push(
      `| ${r.label} | ${has ? sec(median(r.samplesMs)) : '–'} | ${has ? sec(Math.max(...r.samplesMs)) : '–'} | ${r.samplesMs.length} | ${r.goalMs === null ? '–' : `< ${r.goalMs / 1000} s`} | ${verdict}${r.error && has ? ` (later: ${r.error})` : ''} |`,
    );
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main: what must be measured first, then more repetitions while the budget allows
// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
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
  const boot = { seeded: undefined as SeededCommune | undefined, warmups: [] as BootstrapSample[], samples: [] as BootstrapSample[], errors: [] as string[] };
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
  const bootLabel = (b: BootstrapSample) => `first page ${b.firstPageMs} ms, done ${b.doneMs} ms (server ${b.pull.serverMs} ms, device ${b.device?.deviceMs ?? '–'} ms), usage ${b.usageBytes} B`;
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
        log(`  ${boot.seeded.total} records in ${boot.seeded.seedMs} ms (${boot.seeded.batches} pushes, median ${boot.seeded.medianBatchMs} ms each)`);
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
      const bootLeft = want('bootstrap') && bootstrapServer && seeded && boot.samples.length > 0 && boot.samples.length < options.repetitions;
      const pushLeft = want('push') && push.samples.length > 0 && push.samples.length < options.repetitions;
      const bootCost = (boot.samples[0]?.wallMs ?? Infinity) * 1.15;
      const pushCost = ((push.samples[0]?.wallMs ?? Infinity) - ((push.samples[0]?.fullSyncMs ?? 0) - (push.samples[0]?.pushMs ?? 0))) * 1.15;
      if (bootLeft && bootstrapServer && seeded && deadline.left() - reserveMs > bootCost && (boot.samples.length <= push.samples.length || !pushLeft || deadline.left() - reserveMs < pushCost)) {
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
          log(`push ${push.samples.length + 1}: ${options.pushRecords} records, unthrottled (not waiting for the pull back)`);
          const p = await runPush(ctx, options.pushRecords, 'none', false, stepMs);
          log(`  ${pushLabel(p)}`);
          push.samples.push(p);
        });
        if (!ok) break;
      } else {
        const skipped = [bootLeft ? `bootstrap (${boot.samples.length}/${options.repetitions} done, ~${round(bootCost / 1000)} s each)` : '', pushLeft ? `push (${push.samples.length}/${options.repetitions} done, ~${round(pushCost / 1000)} s each)` : '']
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
    rows.push(row('push', `Push ${n(options.pushRecords)} households + ${options.pushVillages} villages, click → outbox empty, unthrottled`, push.samples.map((s) => s.pushMs), push.warmups.map((s) => s.pushMs), GOAL_MS, smoke, push.errors[0]));
    rows.push(row('pushThenPull', '  same, until idle (the pull that follows brings them back)', push.samples.filter((s) => s.fullSyncMs !== null).map((s) => s.fullSyncMs ?? 0), [], null, smoke));
  }
  if (want('push3g')) {
    rows.push(row('push3g', `Push ${n(options.push3gRecords)} households + ${options.pushVillages} villages, 3G`, push3g.samples.map((s) => s.pushMs), [], null, smoke, push3g.errors[0]));
    const p = push3g.samples[0];
    if (p && options.push3gRecords !== options.pushRecords) {
      const scale = (options.pushRecords + options.pushVillages) / p.records;
      rows.push(row('push3gExtrapolated', `  → ${n(options.pushRecords)} at the same rate (linear extrapolation ×${round1(scale)}, not measured)`, [round(p.pushMs * scale)], [], null, smoke));
    }
  }
  const communeLabel = boot.seeded ? Object.entries(boot.seeded.counts).map(([k, v]) => `${n(v)} ${k}s`).join(', ') : 'commune';
  if (want('bootstrap')) {
    rows.push(row('bootstrap', `Bootstrap (${communeLabel}), click → pull finished, unthrottled`, boot.samples.map((s) => s.doneMs), boot.warmups.map((s) => s.doneMs), GOAL_MS, smoke, boot.errors[0]));
    rows.push(row('bootstrapFirstPage', '  same, first page of 1,000 applied ("usable")', boot.samples.map((s) => s.firstPageMs), boot.warmups.map((s) => s.firstPageMs), null, smoke));
  }
  if (want('bootstrap3g')) {
    rows.push(row('bootstrap3g', 'Bootstrap, 3G', boot3g.samples.map((s) => s.doneMs), [], null, smoke, boot3g.errors[0] ?? (boot.seeded ? undefined : boot.errors[0])));
    rows.push(row('bootstrap3gFirstPage', '  same, first page applied', boot3g.samples.map((s) => s.firstPageMs), [], null, smoke));
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
          pullBackResponseBodyPerRecord: p1.fullSyncMs === null ? null : perRecord(p1.pull.responseBodyBytes, p1.records),
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
    pushData: { householdDataBytes: pushWorkload({ seed: options.seed + options.pushRecords, households: Math.min(options.pushRecords, 2000), villages: options.pushVillages, startMs: 0 }).householdDataBytes },
    commune: boot.seeded ?? null,
    results: { push, push3g, bootstrap: boot, bootstrap3g: boot3g },
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const prefix = smoke ? 'smoke-sync' : 'sync';
  const file = path.join(RESULTS_DIR, `${prefix}-${stamp}.json`);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  fs.writeFileSync(file, json);
  if (options.only.length === ALL_SCENARIOS.length) fs.writeFileSync(path.join(RESULTS_DIR, `latest-${prefix}.json`), json);

  const mib = (x: number | null | undefined) => (x === null || x === undefined ? 'unknown' : `${(x / 1024 / 1024).toFixed(1)} MiB`);
  const sec = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);
  const top = (t: Traffic) => t.topStatements.slice(0, 3).map((x) => `"${x.sql.slice(0, 40)}…" ${x.n}× ${sec(x.ms)}`).join('; ');
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
        (bytes.push.pullBackResponseBodyPerRecord === null ? '' : ` The pull after it downloads the same records again: ${bytes.push.pullBackResponseBodyPerRecord} B/record.`)
      : null,
    bytes.pull
      ? `Bytes per record, pull (bootstrap): ${bytes.pull.responseBodyPerRecord} B response body as sent (gzip of ${bytes.pull.responseJsonPerRecord} B JSON); CDP encodedDataLength ${bytes.pull.cdpEncodedPerRecord} B; on the wire ${bytes.pull.wireDownPerRecord} B down + ${bytes.pull.wireUpPerRecord} B up.`
      : null,
    b1
      ? `After the bootstrap: ${JSON.stringify(b1.rows)}; pullCursor stable: ${b1.pullCursorStable}; navigator.storage.estimate().usage ${mib(b1.usageBytes)}` +
        (b1.usageDetails ? ` (${Object.entries(b1.usageDetails).map(([k, v]) => `${k} ${mib(v)}`).join(', ')})` : '') +
        '.'
      : null,
    p1
      ? `Where the push time goes (run 1, ${p1.push.requests} requests): server ${sec(p1.push.serverMs)} (DB ${sec(p1.push.queryMs)} in ${n(p1.push.queries)} queries: ${top(p1.push)}); ` +
        `device ${sec(p1.devicePush?.deviceMs)} between answers (IndexedDB: outbox read ${sec(p1.idbPush.takeBatch?.totalMs)}, results applied ${sec(p1.idbPush.applyResults?.totalMs)}; main thread busy ${sec(p1.mainThreadPush.taskMs)}, of it script ${sec(p1.mainThreadPush.scriptMs)}; ` +
        `gzip of one 500-op batch ${round1(p1.gzipBatch.gzipMs)} ms, ${n(p1.gzipBatch.jsonBytes)} → ${n(p1.gzipBatch.gzipBytes)} B; ` +
        `the home screen re-reads all ${n(p1.records - options.pushVillages)} households after each batch, ${p1.homeReadMs} ms a read in IndexedDB alone).`
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

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`[bench:sync] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
