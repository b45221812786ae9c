/**
 * The phone of the sync scenarios: the built app in Chromium with a fresh on-disk profile, seeded
 * through raw IndexedDB, held offline until the bench clicks "Đồng bộ ngay", and watched through
 * the in-page probes (bench/probes.ts).
 */
import type { Page } from 'playwright-core';
import type { EnrolledDevice } from '../../tests/support/sync-fixtures';
import { BENCH_COMMUNE } from '../data';
import { openProfile, type Profile } from '../harness/browser';
import { round, round1, sleep, type Deadline } from '../harness/common';
import { median } from '../harness/stats';
import { HOLD_KEY, PROBE_SCRIPT, SYNC_PROBE_SCRIPT, type FetchEvent, type SyncEvent, type TxEvent } from '../probes';

export const SEED_CHUNK_ROWS = 2000;
export const TEXT = {
  firstRun: 'Chọn xã của thiết bị',
  home: 'Trang chủ',
  syncNow: 'Đồng bộ ngay',
  idle: 'Đã đồng bộ.',
  pushing: 'Đang gửi về xã…',
  pullingCountPrefix: 'Đang nhận dữ liệu của xã: ',
  failures: [
    'Không có mạng. Sẽ tự gửi khi có mạng.',
    'Đồng bộ chưa được. Sẽ tự thử lại.',
    'Máy chủ xã không nhận thiết bị này nữa. Hãy liên hệ xã để lấy mã đăng ký mới.',
  ],
};

export interface MainThread {
  taskMs: number;
  scriptMs: number;
  styleLayoutMs: number;
}

export const mainThreadSince = (after: MainThread, before: MainThread): MainThread => ({
  taskMs: round(after.taskMs - before.taskMs),
  scriptMs: round(after.scriptMs - before.scriptMs),
  styleLayoutMs: round(after.styleLayoutMs - before.styleLayoutMs),
});

export interface Device extends Profile {
  /** Main-thread time of the page so far (CDP Performance metrics), ms. */
  mainThread(): Promise<MainThread>;
  /** requestId → encodedDataLength of finished sync requests (CDP, headers included). */
  encoded: Map<string, { url: string; bytes: number }>;
  serviceWorker: string;
}

/** A new phone on a fresh profile (or a copy of `copyFrom`, a closed profile of the same origin). */
export async function openDevice(serverUrl: string, deadline: Deadline, copyFrom?: string): Promise<Device> {
  const profile = await openProfile(
    [PROBE_SCRIPT, SYNC_PROBE_SCRIPT],
    copyFrom === undefined ? undefined : { copyOf: copyFrom },
  );
  try {
    const { page, cdp } = profile;
    const encoded = new Map<string, { url: string; bytes: number }>();
    const urls = new Map<string, string>();
    cdp.on('Network.requestWillBeSent', (event) => {
      if (event.request.url.includes('/api/v1/sync/')) urls.set(event.requestId, event.request.url);
    });
    cdp.on('Network.loadingFinished', (event) => {
      const url = urls.get(event.requestId);
      if (url) encoded.set(event.requestId, { url, bytes: event.encodedDataLength });
    });
    await cdp.send('Performance.enable');
    const mainThread = async (): Promise<MainThread> => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const get = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
      return {
        taskMs: get('TaskDuration'),
        scriptMs: get('ScriptDuration'),
        styleLayoutMs: get('RecalcStyleDuration') + get('LayoutDuration'),
      };
    };
    await page.goto(serverUrl, { timeout: deadline.step(30_000) });
    await page.getByRole('heading', { level: 1, name: TEXT.firstRun }).waitFor({ timeout: deadline.step(30_000) });
    const serviceWorker = await serviceWorkerReady(page, deadline.step(10_000));
    return { ...profile, encoded, serviceWorker, mainThread };
  } catch (error) {
    await profile.close();
    throw error;
  }
}

/** The service worker precaches the app on the first load: waited for, so that traffic is not timed. */
export function serviceWorkerReady(page: Page, timeoutMs: number): Promise<string> {
  return page
    .evaluate(
      (ms) =>
        Promise.race([
          navigator.serviceWorker.ready.then(() => 'ready'),
          new Promise<string>((r) => setTimeout(() => r('not ready'), ms)),
        ]),
      timeoutMs,
    )
    .catch(() => 'unavailable');
}

/**
 * Raw IndexedDB from the page, one transaction per chunk of SEED_CHUNK_ROWS. A chunk goes as a
 * JSON string (rows are plain JSON): ~3.5× faster than playwright's serialisation.
 */
export async function seedStores(page: Page, stores: readonly { store: string; rows: readonly unknown[] }[]) {
  const started = performance.now();
  for (const { store, rows } of stores) {
    for (let i = 0; i < rows.length; i += SEED_CHUNK_ROWS) {
      const json = JSON.stringify(rows.slice(i, i + SEED_CHUNK_ROWS));
      await page.evaluate((chunk) => window.benchProbe?.putRows(chunk.store, chunk.json), { store, json });
    }
  }
  return performance.now() - started;
}

export function settingRows(serverUrl: string, device: EnrolledDevice, year: number) {
  const at = new Date().toISOString();
  const { deviceId, token, scope } = device;
  return [
    { key: 'commune', value: { ...BENCH_COMMUNE }, updatedAt: at },
    { key: 'workingYear', value: year, updatedAt: at },
    { key: 'syncAccount', value: { serverUrl, deviceId, token, scope, enrolledAt: at }, updatedAt: at },
  ];
}

/** How long the page's IndexedDB must stay idle after the home screen shows before a timed start. */
const SETTLED_QUIET_MS = 200;

/**
 * Reloads with the sync hold on (the scheduler's start-up attempt sees "offline" and does nothing),
 * waits for the home screen with the expected unsynced count, then lets it settle.
 */
export async function reloadHeld(page: Page, expectedUnsynced: number, deadline: Deadline) {
  await page.evaluate((key) => sessionStorage.setItem(key, '1'), HOLD_KEY);
  await page.reload({ timeout: deadline.step(30_000) });
  await page.getByRole('heading', { level: 1, name: TEXT.home }).waitFor({ timeout: deadline.step(30_000) });
  await page.getByRole('button', { name: TEXT.syncNow }).waitFor({ timeout: deadline.step(30_000) });
  await page.waitForFunction(
    (expected) =>
      (document.querySelector('[data-testid="unsynced-count"]')?.textContent ?? '').replace(/\D/g, '') ===
      String(expected),
    expectedUnsynced,
    { timeout: deadline.step(30_000), polling: 100 },
  );
  // The home screen's other queries: until no IndexedDB transaction has run for a while.
  await page.waitForFunction((quietMs) => (window.syncProbe?.idbQuietMs() ?? 0) >= quietMs, SETTLED_QUIET_MS, {
    timeout: deadline.step(30_000),
    polling: 50,
  });
}

/** Lifts the hold, starts recording and clicks "Đồng bộ ngay": the timed start (page clock). */
export function startSync(page: Page): Promise<number> {
  return page.evaluate(() => {
    const probe = window.syncProbe;
    if (!probe) throw new Error('sync probe missing');
    probe.release();
    probe.record();
    return probe.clickSyncNow();
  });
}

export interface Observed {
  events: SyncEvent[];
  fetches: FetchEvent[];
  transactions: TxEvent[];
  /** ms from the click: push finished (status left "pushing"), first pull page applied, idle. */
  pushDoneMs: number | null;
  firstPageMs: number | null;
  idleMs: number | null;
  failure: string | null;
}

function observe(events: SyncEvent[], fetches: FetchEvent[], transactions: TxEvent[], t0: number): Observed {
  const status = events.filter((e) => e.what === 'status' && e.t >= t0);
  const pushingAt = status.findIndex((e) => e.text === TEXT.pushing);
  const afterPush = pushingAt >= 0 ? status.slice(pushingAt + 1).find((e) => e.text !== TEXT.pushing) : undefined;
  const firstPage = status.find((e) => e.text.startsWith(TEXT.pullingCountPrefix));
  const pullStarted = status.findIndex((e) => e.text !== TEXT.pushing && e.text !== TEXT.idle);
  const idle = pullStarted >= 0 ? status.slice(pullStarted + 1).find((e) => e.text === TEXT.idle) : undefined;
  const failure = status.find((e) => TEXT.failures.includes(e.text));
  const at = (t: number) => round1(t - t0);
  return {
    events: events.map((e) => ({ ...e, t: at(e.t) })),
    fetches: fetches
      .filter((f) => f.tCall >= t0)
      .map((f) => ({ ...f, tCall: at(f.tCall), tHeaders: at(f.tHeaders), tBody: at(f.tBody) })),
    transactions: transactions.filter((x) => x.start >= t0).map((x) => ({ ...x, start: at(x.start), end: at(x.end) })),
    pushDoneMs: afterPush ? afterPush.t - t0 : null,
    firstPageMs: firstPage ? firstPage.t - t0 : null,
    idleMs: idle ? idle.t - t0 : null,
    failure: failure?.text ?? null,
  };
}

/** Polls the probe until `done` holds or a failure shows; bounded by `timeoutMs`. */
export async function waitForSync(page: Page, t0: number, done: (o: Observed) => boolean, timeoutMs: number) {
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

const COUNTED = ['villages', 'households', 'citizens', 'clans', 'outbox', 'conflicts', 'rejections'];

/** Row counts, the pull cursor and navigator.storage.estimate() of the device. */
export function deviceState(page: Page) {
  return page.evaluate(async (stores) => {
    const probe = window.benchProbe;
    if (!probe) throw new Error('bench probe missing');
    const { counts, pullCursor } = await probe.state(stores);
    const estimate = (await navigator.storage.estimate()) as StorageEstimate & {
      usageDetails?: Record<string, number>;
    };
    return { counts, pullCursor, usage: estimate.usage ?? null, usageDetails: estimate.usageDetails ?? null };
  }, COUNTED);
}

/**
 * One full read of the households store, as the home screen's village counts do it
 * (src/client/db/summary.queries.ts reads every household); that live query runs again after
 * every sync transaction that touches households. Best of 2, ms.
 */
export function householdReadMs(page: Page): Promise<{ ms: number; households: number }> {
  return page.evaluate(async () => {
    const db = await window.benchProbe?.openDb();
    if (!db) throw new Error('bench probe missing');
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
        for (const h of rows)
          if (h.deleted === 0) perVillage.set(h.data.villageId, (perVillage.get(h.data.villageId) ?? 0) + 1);
        best = Math.min(best, performance.now() - t);
        households = [...perVillage.values()].reduce((a, b) => a + b, 0);
      }
      return { ms: best, households };
    } finally {
      db.close();
    }
  });
}

/** JSON.stringify and CompressionStream gzip of one full push batch, in the page (median of 3). */
export async function gzipCostInPage(page: Page, batchJson: string) {
  const runs = await page.evaluate(async (json) => {
    const value: unknown = JSON.parse(json);
    const out: { stringifyMs: number; gzipMs: number; gzipBytes: number }[] = [];
    for (let i = 0; i < 3; i += 1) {
      let t = performance.now();
      const text = JSON.stringify(value);
      const stringifyMs = performance.now() - t;
      t = performance.now();
      const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
      const gzipBytes = (await new Response(stream).arrayBuffer()).byteLength;
      out.push({ stringifyMs, gzipMs: performance.now() - t, gzipBytes });
    }
    return out;
  }, batchJson);
  return {
    jsonBytes: Buffer.byteLength(batchJson),
    gzipBytes: runs.at(-1)?.gzipBytes ?? 0,
    stringifyMs: median(runs.map((r) => r.stringifyMs)),
    gzipMs: median(runs.map((r) => r.gzipMs)),
  };
}
