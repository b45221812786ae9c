/**
 * One sync-day burst against a fresh server child (a fresh PGlite folder or a fresh PostgreSQL
 * database): set up the commune, let every device push and pull at once (optionally through the
 * fault proxy), read the server's CPU and peak memory, then verify nothing was lost or doubled.
 */
import { startFlakyProxy, type FlakyProxyStats } from '../../tests/support/flaky-proxy';
import { runDevicePool } from './device-pool';
import type { DevicePolicy } from './device-types';
import { prepareCommune } from './enrol';
import { startPgSampler, type PgProfile } from './pg-sampler';
import { cpuSeconds, peakRssMiB, treeCpuSeconds } from './proc-stats';
import { removeDataDir, startServerChild } from './server-child';
import { checkInDatabase, checkThroughPull } from './verify';
import type { BurstWorkload } from './workload';

export interface StoreTarget {
  readonly name: string;
  /** A fresh database for this run; undefined: PGlite. */
  readonly databaseUrl?: string;
  /** The PostgreSQL postmaster, whose backends' CPU is the database's share. */
  readonly postmasterPid?: number;
}

export interface BurstRun {
  readonly store: string;
  readonly faults: boolean;
  readonly wallMs: number;
  readonly ops: number;
  /** Ops that got their final answer by the deadline (throughput counts these). */
  readonly answeredOps: number;
  readonly pushLatencies: number[];
  readonly pushToAck: number[];
  readonly pullLatencies: number[];
  /** Unexpected answers and devices that gave up (unfinished); connection failures too in a clean run. */
  readonly errors: number;
  readonly overloaded: number;
  readonly networkFailures: number;
  readonly requests: number;
  readonly bytes: number;
  readonly serverCpuS: number;
  readonly databaseCpuS: number | undefined;
  readonly serverPeakRssMiB: number;
  readonly missing: number;
  readonly duplicates: number;
  readonly notes: string[];
  readonly proxy: FlakyProxyStats | undefined;
}

export const DEVICE_POLICY: DevicePolicy = {
  batchSize: 200,
  pullLimit: 1000,
  requestTimeoutMs: 30_000,
  maxAttempts: 300,
  retryDelayMs: 100,
  maxRetryAfterMs: 30_000,
  maxPullPages: 500,
};

export async function runBurstOnce(options: {
  target: StoreTarget;
  workload: BurstWorkload;
  workers: number;
  faults: { seed: number; resetRate: number } | undefined;
  deadlineEpochMs: number;
  log: (line: string) => void;
  /** PostgreSQL only: sample pg_stat_activity during the burst and log the busiest statements. */
  profile?: boolean;
}): Promise<BurstRun> {
  const { target, workload } = options;
  const phaseStart = performance.now();
  const server = await startServerChild({ databaseUrl: target.databaseUrl });
  let proxy: Awaited<ReturnType<typeof startFlakyProxy>> | undefined;
  try {
    const storeRef = { dataDir: server.dataDir, databaseUrl: target.databaseUrl };
    const commune = await prepareCommune({ url: server.url, ...storeRef }, workload);
    const setupMs = performance.now() - phaseStart;
    if (options.faults) proxy = await startFlakyProxy({ targetPort: Number(new URL(server.url).port), resetRate: options.faults.resetRate, seed: options.faults.seed });
    const baseUrl = proxy ? `http://127.0.0.1:${proxy.port}` : server.url;
    const databaseCpu = () => (target.postmasterPid === undefined ? undefined : treeCpuSeconds(target.postmasterPid));
    const cpuBefore = cpuSeconds(server.pid);
    const dbBefore = databaseCpu();
    const sampler = options.profile && target.databaseUrl ? await startPgSampler(target.databaseUrl) : undefined;
    const pool = await runDevicePool({ baseUrl, devices: commune.devices, workers: options.workers, policy: DEVICE_POLICY, deadlineEpochMs: options.deadlineEpochMs });
    const serverCpuS = cpuSeconds(server.pid) - cpuBefore;
    const dbAfter = databaseCpu();
    const serverPeakRssMiB = peakRssMiB(server.pid);
    if (sampler) logProfile(await sampler.stop(), options.log);
    const proxyStats = proxy ? { ...proxy.stats } : undefined;
    await proxy?.close();
    proxy = undefined;

    const reports = pool.reports;
    const answeredBy = new Map(reports.map((r) => [r.deviceId, r.answeredOps]));
    const sent = commune.devices.flatMap((d) => d.ops);
    const answered = commune.devices.flatMap((d) => d.ops.slice(0, answeredBy.get(d.deviceId) ?? 0));
    const wire = await checkThroughPull(server.url, commune.verifier, { answered, sent }, workload.villages.map((v) => v.id));
    await server.stop();
    const verified = await checkInDatabase(storeRef, { answered, sent }, wire);
    options.log(`  (setup ${(setupMs / 1000).toFixed(1)} s, burst ${(pool.wallMs / 1000).toFixed(1)} s, whole run ${((performance.now() - phaseStart) / 1000).toFixed(1)} s)`);

    const sum = (pick: (r: (typeof reports)[number]) => number) => reports.reduce((total, r) => total + pick(r), 0);
    const unfinished = reports.filter((r) => !r.finished).length;
    const pullDuplicates = sum((r) => r.pullDuplicates);
    const networkFailures = sum((r) => r.networkFailures);
    // An unfinished device always has its error (a bad answer, or it gave up at the deadline).
    const errors = sum((r) => r.errorCount) + (options.faults ? 0 : networkFailures);
    const notes = [...verified.notes];
    if (unfinished > 0) notes.push(`${unfinished} devices did not finish; ${sent.length - answered.length} ops still unsent at the deadline`);
    if (pullDuplicates > 0) notes.push(`${pullDuplicates} records delivered twice to a device by its pulls`);
    for (const message of reports.flatMap((r) => r.errors).slice(0, 3)) notes.push(message);
    const run: BurstRun = {
      store: target.name,
      faults: options.faults !== undefined,
      wallMs: pool.wallMs,
      ops: sent.length,
      answeredOps: answered.length,
      pushLatencies: reports.flatMap((r) => r.pushLatencies),
      pushToAck: reports.flatMap((r) => r.pushToAck),
      pullLatencies: reports.flatMap((r) => r.pullLatencies),
      errors,
      overloaded: sum((r) => r.overloaded),
      networkFailures,
      requests: sum((r) => r.requests),
      bytes: sum((r) => r.bytes),
      serverCpuS,
      databaseCpuS: dbBefore === undefined || dbAfter === undefined ? undefined : dbAfter - dbBefore,
      serverPeakRssMiB,
      missing: verified.missing,
      duplicates: verified.duplicates + pullDuplicates,
      notes,
      proxy: proxyStats,
    };
    options.log(describeRun(run));
    return run;
  } finally {
    await proxy?.close();
    await server.stop();
    removeDataDir(server.dataDir);
  }
}

function logProfile(profile: PgProfile, log: (line: string) => void) {
  log(`  PostgreSQL activity, ${profile.samples} samples (statement | wait event):`);
  for (const [key, count] of profile.top) log(`    ${String(count).padStart(6)}  ${key}`);
}

function describeRun(run: BurstRun): string {
  const ms = (values: readonly number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN);
    return `p50 ${at(0.5)} p99 ${at(0.99)} ms`;
  };
  return [
    `  ${run.store}${run.faults ? ' + faults' : ''}: ${run.answeredOps}/${run.ops} ops in ${(run.wallMs / 1000).toFixed(1)} s (${Math.round(run.answeredOps / (run.wallMs / 1000))} ops/s)`,
    `push ${ms(run.pushLatencies)}, to ack ${ms(run.pushToAck)}, pull ${ms(run.pullLatencies)}`,
    `${run.requests} requests, ${run.overloaded} × 503, ${run.networkFailures} resets, ${run.errors} errors`,
    `server CPU ${run.serverCpuS.toFixed(1)} s${run.databaseCpuS === undefined ? '' : `, PostgreSQL CPU ${run.databaseCpuS.toFixed(1)} s`}, peak RSS ${Math.round(run.serverPeakRssMiB)} MiB`,
    `missing ${run.missing}, duplicates ${run.duplicates}${run.notes.length ? ` (${run.notes.join('; ')})` : ''}`,
  ].join('; ');
}
