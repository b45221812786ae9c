/**
 * Ours on the phone, each on a fresh device: push an outbox of N records (a fresh server per run)
 * and bootstrap a seeded commune (one server, a new device per run). Used by the comparison's
 * upload, faults and bootstrap parts and by the sync part (which also reports where the time goes).
 */
import fs from 'node:fs';
import net from 'node:net';
import { toWire } from '../../src/client/sync/push-outbox';
import { MAX_OPS_PER_PUSH, pushResponseSchema } from '../../src/shared/protocol/sync.schema';
import { enrollDevice, pushOps } from '../../tests/support/sync-fixtures';
import { BENCH_COMMUNE_CODE, communeOps, FULL_REGISTER, generateRegister, pushWorkload, SMOKE_REGISTER } from '../data';
import type { PushWorkload } from '../data';
import type { Throttle } from '../harness/browser';
import { errorText, log, round, sleep, type Deadline } from '../harness/common';
import { median, sum } from '../harness/stats';
import * as dev from './device';
import { fetchProfile, startProfile, stopProfile, traffic, transactionProfile } from './profile';
import { cloneSql, countServerRecords, settlePayloads, startBenchServer, topStatements, wireSince } from './server';
import type { BenchServer } from './server';

/** Where our server keeps its data in a scenario: PGlite (the default) or a fresh PostgreSQL database. */
export interface BenchStore {
  readonly name: string;
  freshDatabaseUrl(): Promise<string>;
}

export interface SyncContext {
  seed: number;
  smoke: boolean;
  /** Record a CPU profile of the page during each timed sync (the build is then unminified). */
  profile: boolean;
  pushVillages: number;
  year: number;
  deadline: Deadline;
  staticDir: string;
  /** Undefined: PGlite on disk. */
  store?: BenchStore | undefined;
  /**
   * false: only what a comparison reports (its rounds skip the sync part's extra probes after the
   * timed push: the gzip cost of a batch, a read of every household, the settled pull cursor).
   */
  detail: boolean;
}

/** The upload workload of `records` households (+ the villages), the same for every part that asks. */
export const uploadWorkload = (ctx: SyncContext, records: number, salt = 0) =>
  pushWorkload({
    seed: ctx.seed + records + salt,
    households: records,
    villages: ctx.pushVillages,
    startMs: Date.UTC(ctx.year, 0, 5),
  });

/**
 * A closed browser profile whose IndexedDB already holds a workload's villages, households and
 * outbox (no settings: it opens on the first-run screen), for the origin on `port`. Copying it
 * (a file copy) replaces writing 50,000 rows into IndexedDB on every repetition (~10 s each).
 */
export interface OutboxTemplate {
  readonly dir: string;
  readonly port: number;
  /** The workload written into it (runs reuse it rather than generate it again). */
  readonly workload: PushWorkload;
  dispose(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

const outboxRows = (workload: PushWorkload) => [
  { store: 'villages', rows: workload.villages },
  { store: 'households', rows: workload.households },
  { store: 'outbox', rows: workload.outbox },
];

export async function makeOutboxTemplate(ctx: SyncContext, workload: PushWorkload): Promise<OutboxTemplate> {
  const port = await freePort();
  const server = await startBenchServer(ctx.staticDir, { port });
  try {
    const device = await dev.openDevice(server.url, ctx.deadline);
    try {
      await dev.seedStores(device.page, outboxRows(workload));
    } catch (error) {
      await device.close();
      throw error;
    }
    const dir = await device.closeKeeping();
    return { dir, port, workload, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
  } finally {
    await server.close();
  }
}

/**
 * A new device with `workload` typed offline: enrolled, its settings, records and outbox written
 * to IndexedDB (or copied from `template`, whose port the server must listen on), reloaded with
 * the sync held (nothing is sent until the bench clicks).
 */
export async function prepareOutboxDevice(
  ctx: SyncContext,
  server: BenchServer,
  workload: PushWorkload,
  template?: OutboxTemplate,
) {
  if (template && (template.workload !== workload || new URL(server.url).port !== String(template.port)))
    throw new Error('the template is of another workload or origin');
  const device = await dev.openDevice(server.url, ctx.deadline, template?.dir);
  try {
    const enrolled = await enrollDevice(server.directUrl, server.store, {
      communeCode: BENCH_COMMUNE_CODE,
      deviceName: 'Máy đo hiệu năng',
    });
    const seedMs = await dev.seedStores(device.page, [
      { store: 'settings', rows: dev.settingRows(server.url, enrolled, ctx.year) },
      ...(template ? [] : outboxRows(workload)),
    ]);
    await dev.reloadHeld(device.page, workload.outbox.length, ctx.deadline);
    return { device, enrolled, seedMs };
  } catch (error) {
    await device.close();
    throw error;
  }
}

/** Throttles if asked, notes every counter, then clicks "Đồng bộ ngay": the timed start. */
async function beginTimedSync(ctx: SyncContext, server: BenchServer, device: dev.Device, throttle: Throttle) {
  if (throttle === '3g') await device.throttle('3g');
  const firstSample = server.samples.length;
  const wire0 = server.proxy.snapshot();
  const sql0 = cloneSql(server.db.bySql);
  device.encoded.clear();
  const main0 = await device.mainThread();
  if (ctx.profile) await startProfile(device.cdp);
  const t0 = await dev.startSync(device.page);
  return { firstSample, wire0, sql0, main0, t0 };
}

export type PushSample = Awaited<ReturnType<typeof runPush>>;

export async function runPush(
  ctx: SyncContext,
  records: number,
  throttle: Throttle,
  waitForPullBack: boolean,
  timeoutMs: number,
  template?: OutboxTemplate,
) {
  const { deadline } = ctx;
  const wallStart = Date.now();
  const workload = template?.workload ?? uploadWorkload(ctx, records);
  const total = workload.outbox.length;
  const server = await startBenchServer(ctx.staticDir, {
    databaseUrl: await ctx.store?.freshDatabaseUrl(),
    ...(template ? { port: template.port } : {}),
  });
  let device: dev.Device | undefined;
  try {
    const prepared = await prepareOutboxDevice(ctx, server, workload, template);
    device = prepared.device;
    const { enrolled, seedMs } = prepared;
    const { page, cdp } = device;
    const { firstSample, wire0, sql0, main0, t0 } = await beginTimedSync(ctx, server, device, throttle);
    const pushed = await dev.waitForSync(page, t0, (o) => o.pushDoneMs !== null, deadline.step(timeoutMs));
    const main1 = await device.mainThread();
    const profile = ctx.profile ? await stopProfile(cdp, `push-${throttle}-${records}`) : undefined;
    const serverRecords = await countServerRecords(server.store);
    let finished = pushed;
    if (waitForPullBack) {
      try {
        finished = await dev.waitForSync(page, t0, (o) => o.idleMs !== null, deadline.step(timeoutMs));
      } catch (error) {
        log(`  the pull after the push was not timed: ${errorText(error)}`);
      }
    }
    const main2 = await device.mainThread();
    if (throttle === '3g') await device.throttle('none');
    const samples = server.samples.slice(firstSample);
    settlePayloads(samples);
    const state = await dev.deviceState(page);
    const encoded = [...device.encoded.values()];
    let requestJsonBytes: number | null = null;
    let gzipBatch: Awaited<ReturnType<typeof dev.gzipCostInPage>> | null = null;
    let homeReadMs: number | null = null;
    if (ctx.detail) {
      // The JSON the device gzipped, rebuilt here batch by batch (the same ops, seqs and envelope).
      const wireOps = workload.outbox.map((op, i) => toWire({ op, wireSeq: i + 1 }));
      const envelope = (ops: unknown[]) => JSON.stringify({ protocol: 1, deviceId: enrolled.deviceId, ops });
      requestJsonBytes = 0;
      for (let i = 0; i < wireOps.length; i += MAX_OPS_PER_PUSH)
        requestJsonBytes += Buffer.byteLength(envelope(wireOps.slice(i, i + MAX_OPS_PER_PUSH)));
      const fullBatch = wireOps.slice(
        Math.min(MAX_OPS_PER_PUSH, Math.max(0, wireOps.length - MAX_OPS_PER_PUSH)),
        Math.min(wireOps.length, MAX_OPS_PER_PUSH * 2),
      );
      gzipBatch = await dev.gzipCostInPage(page, envelope(fullBatch));
      const homeRead = await dev.householdReadMs(page);
      if (homeRead.households !== workload.households.length)
        throw new Error(`IndexedDB holds ${homeRead.households} households, expected ${workload.households.length}`);
      homeReadMs = round(homeRead.ms);
    }
    const pushDone = pushed.pushDoneMs;
    const idle = finished.idleMs;
    const sample = {
      records: total,
      throttle,
      /** Click → push finished: status left "pushing" (the outbox was then checked empty and the server full). */
      pushMs: round(pushDone ?? NaN),
      /** Click → idle again: the push, then the pull that brings the same records back (null: not waited for). */
      fullSyncMs: idle === null ? null : round(idle),
      outboxAfter: state.counts.outbox ?? -1,
      serverRecords,
      seedMs: round(seedMs),
      wallMs: Date.now() - wallStart,
      push: traffic(samples, 'push', encoded, requestJsonBytes, topStatements(server.db.bySql, sql0, 'push')),
      pull: traffic(samples, 'pull', encoded, null, topStatements(server.db.bySql, sql0, 'pull')),
      /** Proxy bytes (headers included) of the pushes, of the pulls after them, of anything else. */
      wire: wireSince(server.proxy.stats, wire0, 'push'),
      wirePull: wireSince(server.proxy.stats, wire0, 'pull'),
      wireOther: wireSince(server.proxy.stats, wire0, 'other'),
      devicePush: fetchProfile(finished.fetches, 'push', 0, pushDone),
      devicePull: fetchProfile(finished.fetches, 'pull', pushDone ?? 0, idle),
      idbPush: transactionProfile(finished.transactions, 0, pushDone),
      idbPull: transactionProfile(finished.transactions, pushDone ?? 0, idle),
      mainThreadPush: dev.mainThreadSince(main1, main0),
      mainThreadPull: idle === null ? null : dev.mainThreadSince(main2, main1),
      gzipBatch,
      /** One read of every household, as the home screen's counts re-run after each batch (ms). */
      homeReadMs,
      batches: samples
        .filter((x) => x.kind === 'push')
        .map((x) => ({
          requestBytes: x.requestBytes,
          serverMs: round(x.end - x.start),
          transactionMs: round(x.transactionMs),
          queries: x.queries,
        })),
      observed: { events: finished.events, fetches: finished.fetches, transactions: finished.transactions },
      serviceWorker: device.serviceWorker,
      /** With --profile: the page's CPU profile until the push finished. */
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

export type SeededCommune = Awaited<ReturnType<typeof seedCommune>>;

/** A seeding device pushes the whole commune over HTTP, 500 ops per request (gzip). */
export async function seedCommune(server: BenchServer, ctx: SyncContext) {
  const sizes = ctx.smoke ? SMOKE_REGISTER : FULL_REGISTER;
  const register = generateRegister({ ...sizes, seed: ctx.seed, year: ctx.year });
  const { ops, counts } = communeOps(register, new Date(Date.UTC(ctx.year, 0, 5)).toISOString());
  const seeder = await enrollDevice(server.directUrl, server.store, {
    communeCode: BENCH_COMMUNE_CODE,
    deviceName: 'Máy nhập liệu của xã',
  });
  const sql0 = cloneSql(server.db.bySql);
  const started = performance.now();
  const batchMs: number[] = [];
  for (let i = 0; i < ops.length; i += MAX_OPS_PER_PUSH) {
    if (ctx.deadline.left() <= 0) throw new Error('bench time budget exhausted while seeding');
    const t = performance.now();
    const batch = { protocol: 1 as const, deviceId: seeder.deviceId, ops: ops.slice(i, i + MAX_OPS_PER_PUSH) };
    const answer = await pushOps(server.directUrl, seeder.token, batch, { gzip: true });
    if (answer.status !== 200)
      throw new Error(`seeding push failed: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    const bad = pushResponseSchema.parse(answer.body).results.find((r) => r.status !== 'applied');
    if (bad) throw new Error(`seeding op not applied: ${JSON.stringify(bad).slice(0, 300)}`);
    batchMs.push(performance.now() - t);
  }
  const seedMs = performance.now() - started;
  const onServer = await countServerRecords(server.store);
  for (const [entity, n] of Object.entries(counts)) {
    if (onServer[entity] !== n)
      throw new Error(`server holds ${onServer[entity] ?? 0} ${entity} records, expected ${n}`);
  }
  return {
    counts,
    total: ops.length,
    seedMs: round(seedMs),
    batches: batchMs.length,
    medianBatchMs: round(median(batchMs)),
    topStatements: topStatements(server.db.bySql, sql0, 'push'),
  };
}

export type BootstrapSample = Awaited<ReturnType<typeof runBootstrap>>;

export async function runBootstrap(
  ctx: SyncContext,
  server: BenchServer,
  seeded: SeededCommune,
  throttle: Throttle,
  timeoutMs: number,
) {
  const { deadline } = ctx;
  const wallStart = Date.now();
  const device = await dev.openDevice(server.url, deadline);
  try {
    const { page, cdp } = device;
    const enrolled = await enrollDevice(server.directUrl, server.store, {
      communeCode: BENCH_COMMUNE_CODE,
      deviceName: 'Máy mới',
    });
    await dev.seedStores(page, [{ store: 'settings', rows: dev.settingRows(server.url, enrolled, ctx.year) }]);
    await dev.reloadHeld(page, 0, deadline);
    const { firstSample, wire0, sql0, main0, t0 } = await beginTimedSync(ctx, server, device, throttle);
    const done = await dev.waitForSync(page, t0, (o) => o.idleMs !== null, deadline.step(timeoutMs));
    const main1 = await device.mainThread();
    const profile = ctx.profile ? await stopProfile(cdp, `bootstrap-${throttle}`) : undefined;
    const wire = wireSince(server.proxy.stats, wire0, 'pull');
    const wireOther = wireSince(server.proxy.stats, wire0, 'other');
    if (throttle === '3g') await device.throttle('none');
    const samples = server.samples.slice(firstSample);
    settlePayloads(samples);
    const state = await dev.deviceState(page);
    if (ctx.detail) await sleep(1000);
    const again = ctx.detail ? await dev.deviceState(page) : state;
    const rows = {
      villages: state.counts.villages ?? 0,
      households: state.counts.households ?? 0,
      citizens: state.counts.citizens ?? 0,
      clans: state.counts.clans ?? 0,
    };
    const got = sum(Object.values(rows));
    if (got !== seeded.total)
      throw new Error(
        `IndexedDB holds ${got} records after the bootstrap, expected ${seeded.total} (${JSON.stringify(rows)})`,
      );
    const pulls = samples.filter((s) => s.kind === 'pull');
    const pullFetches = done.fetches.filter((f) => f.kind === 'pull');
    const idle = done.idleMs ?? NaN;
    return {
      throttle,
      /** Click → the first pull page is in IndexedDB (its count on screen): the app is usable. */
      firstPageMs: round(done.firstPageMs ?? NaN),
      /** Click → idle with every record in IndexedDB. */
      doneMs: round(idle),
      wallMs: Date.now() - wallStart,
      rows,
      /** The pull cursor unchanged a second after idle (null: not checked, the comparison skips it). */
      pullCursorStable: ctx.detail ? state.pullCursor !== null && state.pullCursor === again.pullCursor : null,
      usageBytes: again.usage,
      usageDetails: again.usageDetails,
      pull: traffic(samples, 'pull', [...device.encoded.values()], null, topStatements(server.db.bySql, sql0, 'pull')),
      /** Proxy bytes (headers included) of the pulls, and of anything else during the bootstrap. */
      wire,
      wireOther,
      device: fetchProfile(done.fetches, 'pull', 0, done.idleMs),
      idb: transactionProfile(done.transactions, 0, done.idleMs),
      mainThread: dev.mainThreadSince(main1, main0),
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
      /** With --profile: the page's CPU profile of the whole bootstrap. */
      ...(profile ? { profile } : {}),
    };
  } finally {
    await device.close();
  }
}
