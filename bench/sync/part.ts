/**
 * The `sync` part (`npm run bench -- --only=sync`): the sync issue's goals on this machine, over
 * loopback: push 25,000 records in < 10 s and bootstrap a commune in < 10 s, unthrottled, the same
 * at 3G, the bytes per record each way, and where the time goes (server, SQL, the page's fetches,
 * IndexedDB and main thread; with --profile the page's CPU profile). See bench/README.md, "Sync".
 */
import { makeRow, type ScenarioRow } from '../compare/table';
import { pushWorkload } from '../data';
import type { Throttle } from '../harness/browser';
import { errorText, loadAverage, log, machine, num, round, round1, type Deadline } from '../harness/common';
import { sum, type Stat } from '../harness/stats';
import type { Traffic } from './profile';
import { runBootstrap, runPush, seedCommune } from './scenarios';
import type { BootstrapSample, PushSample, SeededCommune, SyncContext } from './scenarios';
import { startBenchServer, type BenchServer } from './server';

export const SYNC_SCENARIOS = ['push', 'bootstrap', 'bootstrap3g', 'push3g'] as const;
export type SyncScenario = (typeof SYNC_SCENARIOS)[number];

export interface SyncPartOptions {
  only: readonly SyncScenario[];
  pushRecords: number;
  push3gRecords: number;
  repetitions: number;
}

/** A goal holds when every timed repetition (so the max) is under it. */
const TEN_SECONDS = { text: '< 10 s', holds: (s: Stat) => Math.max(...s.samples) < 10_000 };

/** `| scenario | median | max | n | goal | pass? |`, as the sync goals have always printed them. */
function markdownTable(rows: readonly ScenarioRow[], smoke: boolean): string {
  const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines = ['| scenario | median | max | n | goal | pass? |', '|---|---:|---:|---:|---|---|'];
  for (const r of rows) {
    const error = r.note;
    const n = r.ours?.samples.length ?? 0;
    const verdict = !r.ours
      ? `not measured${error ? `: ${error}` : ''}`
      : r.met === null
        ? smoke && r.target
          ? 'not judged (smoke)'
          : 'info'
        : r.met
          ? 'PASS'
          : 'FAIL';
    const [mid, max] = r.ours ? [sec(r.ours.median), sec(Math.max(...r.ours.samples))] : ['–', '–'];
    const later = error && r.ours ? ` (later: ${error})` : '';
    lines.push(`| ${r.label} | ${mid} | ${max} | ${n} | ${r.target ? '< 10 s' : '–'} | ${verdict}${later} |`);
  }
  return lines.join('\n');
}

/** What must be measured first, then more repetitions while the budget allows; every wait bounded. */
export async function runSyncPart(
  ctx: SyncContext,
  options: SyncPartOptions,
  deadline: Deadline,
  run: { chromium: string; buildNote: string },
) {
  const { smoke, pushVillages: villages } = ctx;
  const startedAt = new Date();
  const loadAtStart = loadAverage();
  const stepMs = smoke ? 20_000 : 150_000;
  const throttledStepMs = smoke ? 30_000 : 240_000;
  const warmupRecords = smoke ? 0 : 2_500;
  const want = (what: SyncScenario) => options.only.includes(what);
  const results = {
    pushWarmups: [] as PushSample[],
    push: [] as PushSample[],
    push3g: [] as PushSample[],
    bootstrap: [] as BootstrapSample[],
    bootstrap3g: [] as BootstrapSample[],
  };
  const errors: Record<keyof typeof results | 'seeding', string[]> = {
    pushWarmups: [],
    push: [],
    push3g: [],
    bootstrap: [],
    bootstrap3g: [],
    seeding: [],
  };
  let failed = false;
  /** One run; a failure is recorded and the part goes on with the next scenario. */
  const step = async (key: keyof typeof errors, what: string, work: () => Promise<string>) => {
    log(what);
    try {
      log(`  ${await work()}`);
      return true;
    } catch (error) {
      errors[key].push(errorText(error));
      failed = true;
      log(`${what}: ERROR ${errorText(error)}`);
      return false;
    }
  };
  const push = (key: 'pushWarmups' | 'push' | 'push3g', records: number, throttle: Throttle, pullBack: boolean) => {
    const what = `${key === 'pushWarmups' ? 'push warm-up' : `push ${results[key].length + 1}`}: ${records} records + ${villages} villages, ${throttle === '3g' ? '3G' : 'unthrottled'}${pullBack ? '' : ' (not waiting for the pull back)'}`;
    return step(key, what, async () => {
      const p = await runPush(ctx, records, throttle, pullBack, throttle === '3g' ? throttledStepMs : stepMs);
      results[key].push(p);
      const pullBackText = p.fullSyncMs === null ? '' : `, idle after the pull back ${p.fullSyncMs} ms`;
      return `push ${p.pushMs} ms (server ${p.push.serverMs} ms, device ${p.devicePush?.deviceMs ?? '–'} ms)${pullBackText}`;
    });
  };
  let server: BenchServer | undefined;
  let seeded: SeededCommune | undefined;
  const bootstrap = (key: 'bootstrap' | 'bootstrap3g', throttle: Throttle) =>
    step(key, `bootstrap ${results[key].length + 1}, ${throttle === '3g' ? '3G' : 'unthrottled'}`, async () => {
      if (!server || !seeded) throw new Error('the server was not seeded');
      const b = await runBootstrap(ctx, server, seeded, throttle, throttle === '3g' ? throttledStepMs : stepMs);
      results[key].push(b);
      return `first page ${b.firstPageMs} ms, done ${b.doneMs} ms (server ${b.pull.serverMs} ms, device ${b.device?.deviceMs ?? '–'} ms), usage ${b.usageBytes} B`;
    });
  try {
    // 1. Push, unthrottled: a smaller warm-up, then one timed run waiting for the pull back too.
    if (want('push') && warmupRecords > 0) await push('pushWarmups', warmupRecords, 'none', true);
    if (want('push')) await push('push', options.pushRecords, 'none', true);
    // 2. Bootstrap, unthrottled: one server seeded over HTTP, a new device and profile per run.
    if (want('bootstrap') || want('bootstrap3g')) {
      const seeding = (server = await startBenchServer(ctx.staticDir));
      await step('seeding', 'bootstrap: seeding the server over HTTP', async () => {
        const s = (seeded = await seedCommune(seeding, ctx));
        return `${s.total} records in ${s.seedMs} ms (${s.batches} pushes, median ${s.medianBatchMs} ms each)`;
      });
    }
    if (seeded && want('bootstrap')) await bootstrap('bootstrap', 'none');
    // 3. 3G: one bootstrap, then one push (of fewer records in the default run: see --push3g-records).
    if (seeded && want('bootstrap3g')) await bootstrap('bootstrap3g', '3g');
    if (want('push3g')) await push('push3g', options.push3gRecords, '3g', false);
    // 4. More timed repetitions, bootstrap and push in turn, while they fit (estimated from the first).
    const first = results.push[0];
    const more = [
      {
        name: 'bootstrap',
        left: () => want('bootstrap') && seeded !== undefined && results.bootstrap.length > 0,
        done: () => results.bootstrap.length,
        cost: (results.bootstrap[0]?.wallMs ?? Infinity) * 1.15,
        run: () => bootstrap('bootstrap', 'none'),
      },
      {
        name: 'push',
        left: () => want('push') && first !== undefined,
        done: () => results.push.length,
        cost: ((first?.wallMs ?? Infinity) - ((first?.fullSyncMs ?? 0) - (first?.pushMs ?? 0))) * 1.15,
        run: () => push('push', options.pushRecords, 'none', false),
      },
    ];
    const reserveMs = 15_000;
    more: for (let rep = 1; rep < options.repetitions; rep += 1) {
      for (const m of more) {
        if (!m.left() || m.done() > rep) continue;
        if (deadline.left() - reserveMs < m.cost) {
          const skipped = more
            .filter((x) => x.left() && x.done() < options.repetitions)
            .map((x) => `${x.name} (${x.done()}/${options.repetitions} done, ~${round(x.cost / 1000)} s each)`);
          log(`budget: ${round(deadline.left() / 1000)} s left, no more repetitions of ${skipped.join(', ')}`);
          break more;
        }
        if (!(await m.run())) break more;
      }
    }
  } finally {
    await server?.close();
  }

  const rows: ScenarioRow[] = [];
  const row = (id: string, label: string, samples: number[], more: { goal?: boolean; error?: string } = {}) =>
    rows.push(
      makeRow(
        {
          scenario: 'sync',
          id,
          label,
          unit: 'ms',
          better: 'lower',
          ours: samples,
          target: more.goal ? TEN_SECONDS : undefined,
          ...(more.error ? { note: more.error } : {}),
        },
        smoke,
      ),
    );
  const { push: pushes, push3g, bootstrap: boots, bootstrap3g: boots3g } = results;
  const pushMs = (list: PushSample[]) => list.map((x) => x.pushMs);
  const doneMs = (list: BootstrapSample[]) => list.map((x) => x.doneMs);
  const firstPageMs = (list: BootstrapSample[]) => list.map((x) => x.firstPageMs);
  if (want('push')) {
    const label = `Push ${num(options.pushRecords)} households + ${villages} villages, click → outbox empty, unthrottled`;
    row('push', label, pushMs(pushes), { goal: true, error: errors.push[0] ?? errors.pushWarmups[0] });
    const idle = pushes.flatMap((x) => (x.fullSyncMs === null ? [] : [x.fullSyncMs]));
    row('pushThenPull', '  same, until idle (the pull that follows brings them back)', idle);
  }
  if (want('push3g')) {
    const label = `Push ${num(options.push3gRecords)} households + ${villages} villages, 3G`;
    row('push3g', label, pushMs(push3g), { error: errors.push3g[0] });
    const p = push3g[0];
    if (p && options.push3gRecords !== options.pushRecords) {
      const scale = (options.pushRecords + villages) / p.records;
      const label3g = `  → ${num(options.pushRecords)} at the same rate (linear extrapolation ×${round1(scale)}, not measured)`;
      row('push3gExtrapolated', label3g, [round(p.pushMs * scale)]);
    }
  }
  const commune = Object.entries(seeded?.counts ?? { commune: 0 })
    .map(([k, v]) => (seeded ? `${num(v)} ${k}s` : k))
    .join(', ');
  if (want('bootstrap')) {
    const label = `Bootstrap (${commune}), click → pull finished, unthrottled`;
    row('bootstrap', label, doneMs(boots), { goal: true, error: errors.bootstrap[0] ?? errors.seeding[0] });
    row('bootstrapFirstPage', '  same, first page (250 records) applied ("usable")', firstPageMs(boots));
  }
  if (want('bootstrap3g')) {
    row('bootstrap3g', 'Bootstrap, 3G', doneMs(boots3g), { error: errors.bootstrap3g[0] ?? errors.seeding[0] });
    row('bootstrap3gFirstPage', '  same, first page applied', firstPageMs(boots3g));
  }

  // Bytes per record, from the first timed run of each.
  const perRecord = (bytes: number, records: number) => round1(bytes / records);
  const p1 = pushes[0] ?? push3g[0];
  const b1 = boots[0] ?? boots3g[0];
  const b1Records = b1 ? sum(Object.values(b1.rows)) : 0;
  const bytes = {
    push: p1 && {
      records: p1.records,
      requestBodyPerRecord: perRecord(p1.push.requestBodyBytes, p1.records),
      requestJsonPerRecord: perRecord(p1.push.requestJsonBytes ?? 0, p1.records),
      responseBodyPerRecord: perRecord(p1.push.responseBodyBytes, p1.records),
      responseJsonPerRecord: perRecord(p1.push.responseJsonBytes, p1.records),
      wireUpPerRecord: perRecord(p1.wire.up, p1.records),
      wireDownPerRecord: perRecord(p1.wire.down, p1.records),
      pullBackResponseBodyPerRecord: p1.fullSyncMs === null ? null : perRecord(p1.pull.responseBodyBytes, p1.records),
    },
    pull: b1 && {
      records: b1Records,
      responseBodyPerRecord: perRecord(b1.pull.responseBodyBytes, b1Records),
      responseJsonPerRecord: perRecord(b1.pull.responseJsonBytes, b1Records),
      cdpEncodedPerRecord: perRecord(b1.pull.cdpResponseBytes, b1Records),
      wireDownPerRecord: perRecord(b1.wire.down, b1Records),
      wireUpPerRecord: perRecord(b1.wire.up, b1Records),
    },
  };
  const households = Math.min(options.pushRecords, 2000);
  const pushData = pushWorkload({ seed: ctx.seed + options.pushRecords, households, villages, startMs: 0 });
  const loadAtEnd = loadAverage();
  const report = {
    startedAt: startedAt.toISOString(),
    options: { ...options, pushVillages: villages, warmupPushRecords: warmupRecords },
    loadAverage: { atStart: loadAtStart, atEnd: loadAtEnd },
    setup: SETUP,
    pass: 'PASS when every timed repetition (so the max) is under the goal',
    rows,
    bytesPerRecord: bytes,
    pushData: { householdDataBytes: pushData.householdDataBytes },
    commune: seeded ?? null,
    results,
    errors,
  };

  const mib = (x: number | null | undefined) =>
    x === null || x === undefined ? 'unknown' : `${(x / 1024 / 1024).toFixed(1)} MiB`;
  const sec = (value: number | undefined) => (value === undefined ? '–' : `${(value / 1000).toFixed(1)} s`);
  const top = (t: Traffic) =>
    t.topStatements
      .slice(0, 3)
      .map((x) => `"${x.sql.slice(0, 40)}…" ${x.n}× ${sec(x.ms)}`)
      .join('; ');
  const { cpus, cpuModel } = machine();
  const usage = b1?.usageDetails
    ? ` (${Object.entries(b1.usageDetails)
        .map(([k, v]) => `${k} ${mib(v)}`)
        .join(', ')})`
    : '';
  const output = [
    `## Sync benchmark (${smoke ? 'smoke' : 'full'}) — ${report.startedAt}`,
    '',
    `Chromium ${run.chromium}, Node ${process.version}, ${cpus} CPUs (${cpuModel}, load average ${loadAtStart[0]} at start, ${loadAtEnd[0]} at end); loopback; server in process on PGlite (disk); ${run.buildNote}. ` +
      `Push data: ${pushData.householdDataBytes.mean} B of JSON per household on average.`,
    '',
    markdownTable(rows, smoke),
    '',
    bytes.push &&
      `Bytes per record, push: ${bytes.push.requestBodyPerRecord} B request body as sent (gzip of ${bytes.push.requestJsonPerRecord} B JSON), ${bytes.push.responseBodyPerRecord} B response body (JSON ${bytes.push.responseJsonPerRecord} B); ` +
        `on the wire with HTTP headers ${bytes.push.wireUpPerRecord} B up + ${bytes.push.wireDownPerRecord} B down.` +
        (bytes.push.pullBackResponseBodyPerRecord === null
          ? ''
          : ` The pull after it downloads the same records again: ${bytes.push.pullBackResponseBodyPerRecord} B/record.`),
    bytes.pull &&
      `Bytes per record, pull (bootstrap): ${bytes.pull.responseBodyPerRecord} B response body as sent (gzip of ${bytes.pull.responseJsonPerRecord} B JSON); CDP encodedDataLength ${bytes.pull.cdpEncodedPerRecord} B; on the wire ${bytes.pull.wireDownPerRecord} B down + ${bytes.pull.wireUpPerRecord} B up.`,
    b1 &&
      `After the bootstrap: ${JSON.stringify(b1.rows)}; pullCursor stable: ${b1.pullCursorStable}; navigator.storage.estimate().usage ${mib(b1.usageBytes)}${usage}.`,
    p1 &&
      `Where the push time goes (run 1, ${p1.push.requests} requests): server ${sec(p1.push.serverMs)} (DB ${sec(p1.push.queryMs)} in ${num(p1.push.queries)} queries: ${top(p1.push)}); ` +
        `device ${sec(p1.devicePush?.deviceMs)} between answers (IndexedDB: outbox read ${sec(p1.idbPush.takeBatch?.totalMs)}, results applied ${sec(p1.idbPush.applyResults?.totalMs)}; main thread busy ${sec(p1.mainThreadPush.taskMs)}, of it script ${sec(p1.mainThreadPush.scriptMs)}; ` +
        (p1.gzipBatch
          ? `gzip of one 500-op batch ${round1(p1.gzipBatch.gzipMs)} ms, ${num(p1.gzipBatch.jsonBytes)} → ${num(p1.gzipBatch.gzipBytes)} B; `
          : '') +
        `reading all ${num(p1.records - villages)} households afterwards takes ${p1.homeReadMs} ms in IndexedDB alone, for scale; the home screen counts them by index, at most once every 5 s while a sync writes).`,
    b1 &&
      `Where the bootstrap time goes (run 1, ${b1.pull.requests} pages): server ${sec(b1.pull.serverMs)} (${top(b1.pull)}); fetch → parsed page ${sec(b1.device?.fetchToParsedMs)}; ` +
        `device ${sec(b1.device?.deviceMs)} applying pages (IndexedDB page transactions ${sec(b1.idb.pullPage?.totalMs)}; main thread busy ${sec(b1.mainThread.taskMs)}, script ${sec(b1.mainThread.scriptMs)}).`,
  ]
    .filter((line): line is string => typeof line === 'string')
    .join('\n');
  return { report, rows, failed, output };
}

const SETUP =
  'The server runs in this process (buildApp, PGlite in a temporary directory on disk, a fresh one for every push run); the browser reaches it through a byte-counting loopback TCP proxy. ' +
  'Chromium gets a fresh on-disk profile per run (incognito contexts would keep IndexedDB in memory). The device is enrolled over HTTP, its settings and unsynced data written to IndexedDB, ' +
  'and the page reloaded with navigator.onLine reading false so the scheduler does not start; the timed sync starts with a click on "Đồng bộ ngay". ' +
  '3G = CDP Network.emulateNetworkConditions (150 ms, 1.6 Mbit/s down, 750 kbit/s up) from the click to the end.';
