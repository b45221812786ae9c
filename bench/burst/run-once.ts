/**
 * One sync-day burst against a fresh server child (a fresh PGlite folder or a fresh PostgreSQL
 * database), in three steps: prepare (start the server, set up the commune), burst (every device
 * pushes and pulls at once, optionally through the fault proxy; the server's CPU and peak memory
 * read), finish (verify nothing was lost or doubled, stop the server).
 */
import { startFlakyProxy, type FlakyProxyStats } from '../../tests/support/flaky-proxy';
import type { StoreTarget } from '../harness/postgres';
import { removeDataDir, startServerChild } from '../harness/server-child';
import { percentile } from '../harness/stats';
import type { DevicePolicy, SimulatedDevice } from './device';
import type { DevicePool, PoolRun } from './device-pool';
import { prepareCommune } from './enrol';
import { startPgSampler, type PgProfile } from './pg-sampler';
import { cpuSeconds, peakRssMiB, treeCpuSeconds } from './proc-stats';
import { checkInDatabase, checkThroughPull, type Verification } from './verify';
import type { BurstWorkload } from './workload';

/** A finished run: what `summarise` made of its devices' reports, the server's counters and the verification. */
export type BurstRun = ReturnType<typeof summarise>;

export const DEVICE_POLICY: DevicePolicy = {
  batchSize: 200,
  pullLimit: 1000,
  requestTimeoutMs: 30_000,
  maxAttempts: 300,
  retryDelayMs: 100,
  maxRetryAfterMs: 30_000,
  maxPullPages: 500,
};

/**
 * A run made ready (not timed): its server child started on a fresh store, the commune enrolled,
 * the fault proxy (if any) listening. `burst` lets the devices loose; `finish` verifies and stops.
 * A run that is never finished must be `discard`ed.
 */
export interface PreparedRun {
  readonly target: StoreTarget;
  /**
   * Runs the devices (the timed part; once). Its `finish` verifies, stops the server and gives the
   * run's result (untimed: it may overlap the next run's preparation, never its burst).
   */
  burst(
    pool: DevicePool,
    options: { deadlineEpochMs: number; profile?: boolean },
  ): Promise<{ finish: () => Promise<BurstRun> }>;
  discard(): Promise<void>;
}

/**
 * Starts the server child and prepares the commune. May run while the run before is being
 * verified (both untimed); never while a burst runs.
 */
export async function prepareBurstRun(options: {
  target: StoreTarget;
  workload: BurstWorkload;
  faults: { seed: number; resetRate: number } | undefined;
  log: (line: string) => void;
}): Promise<PreparedRun> {
  const { target, workload, log } = options;
  const lap = stopwatch();
  const server = await startServerChild({ databaseUrl: target.databaseUrl });
  const serverMs = lap();
  let proxy: Awaited<ReturnType<typeof startFlakyProxy>> | undefined;
  const discard = async () => {
    await proxy?.close();
    proxy = undefined;
    await server.stop();
    removeDataDir(server.dataDir);
  };
  try {
    const storeRef = { dataDir: server.dataDir, databaseUrl: target.databaseUrl };
    const commune = await prepareCommune({ url: server.url, ...storeRef }, workload);
    const enrolMs = lap();
    if (options.faults)
      proxy = await startFlakyProxy({
        targetPort: Number(new URL(server.url).port),
        resetRate: options.faults.resetRate,
        seed: options.faults.seed,
      });
    const baseUrl = proxy ? `http://127.0.0.1:${proxy.port}` : server.url;
    return {
      target,
      discard,
      async burst(pool, burstOptions) {
        const databaseCpu = () =>
          target.postmasterPid === undefined ? undefined : treeCpuSeconds(target.postmasterPid);
        const cpuBefore = cpuSeconds(server.pid);
        const dbBefore = databaseCpu();
        const sampler =
          burstOptions.profile && target.databaseUrl ? await startPgSampler(target.databaseUrl) : undefined;
        const ran = await pool
          .run({
            baseUrl,
            devices: commune.devices,
            policy: DEVICE_POLICY,
            deadlineEpochMs: burstOptions.deadlineEpochMs,
          })
          .catch(async (error: unknown) => {
            await sampler?.stop().catch(() => undefined);
            throw error;
          });
        const serverCpuS = cpuSeconds(server.pid) - cpuBefore;
        const dbAfter = databaseCpu();
        const serverPeakRssMiB = peakRssMiB(server.pid);
        if (sampler) logProfile(await sampler.stop(), log);
        const proxyStats = proxy ? { ...proxy.stats } : undefined;
        await proxy?.close();
        proxy = undefined;
        lap();
        const finish = async (): Promise<BurstRun> => {
          try {
            const reports = ran.reports;
            const answeredBy = new Map(reports.map((r) => [r.deviceId, r.answeredOps]));
            const sent = commune.devices.flatMap((d) => d.ops);
            const answered = commune.devices.flatMap((d) => d.ops.slice(0, answeredBy.get(d.deviceId) ?? 0));
            const wire = await checkThroughPull(
              server.url,
              commune.verifier,
              { answered, sent },
              workload.villages.map((v) => v.id),
            );
            const pullCheckMs = lap();
            await server.stop();
            const stopMs = lap();
            const verified = await checkInDatabase(storeRef, { answered, sent }, wire);
            const dbCheckMs = lap();
            const s = (ms: number) => (ms / 1000).toFixed(1);
            log(
              `  (server start ${s(serverMs)} s, enrolment ${s(enrolMs)} s, workers ready ${s(ran.readyMs)} s, burst ${s(ran.wallMs)} s, ` +
                `verify by pull ${s(pullCheckMs)} s, stop ${s(stopMs)} s, verify in database ${s(dbCheckMs)} s)`,
            );
            const run = summarise(
              target,
              options.faults !== undefined,
              commune.devices,
              ran,
              { serverCpuS, dbBefore, dbAfter, serverPeakRssMiB, proxyStats },
              verified,
            );
            log(describeRun(run));
            return run;
          } finally {
            await discard();
          }
        };
        return { finish };
      },
    };
  } catch (error) {
    await discard();
    throw error;
  }
}

function summarise(
  target: StoreTarget,
  faults: boolean,
  devices: readonly SimulatedDevice[],
  pool: PoolRun,
  measured: {
    serverCpuS: number;
    dbBefore: number | undefined;
    dbAfter: number | undefined;
    serverPeakRssMiB: number;
    proxyStats: FlakyProxyStats | undefined;
  },
  verified: Verification,
) {
  const reports = pool.reports;
  const answeredBy = new Map(reports.map((r) => [r.deviceId, r.answeredOps]));
  const sent = devices.reduce((total, d) => total + d.ops.length, 0);
  const answered = devices.reduce((total, d) => total + Math.min(d.ops.length, answeredBy.get(d.deviceId) ?? 0), 0);
  const sum = (pick: (r: (typeof reports)[number]) => number) => reports.reduce((total, r) => total + pick(r), 0);
  const unfinished = reports.filter((r) => !r.finished).length;
  const pullDuplicates = sum((r) => r.pullDuplicates);
  const networkFailures = sum((r) => r.networkFailures);
  // An unfinished device always has its error (a bad answer, or it gave up at the deadline).
  const errors = sum((r) => r.errorCount) + (faults ? 0 : networkFailures);
  const notes = [...verified.notes];
  if (unfinished > 0)
    notes.push(`${unfinished} devices did not finish; ${sent - answered} ops still unsent at the deadline`);
  if (pullDuplicates > 0) notes.push(`${pullDuplicates} records delivered twice to a device by its pulls`);
  for (const message of reports.flatMap((r) => r.errors).slice(0, 3)) notes.push(message);
  const { dbBefore, dbAfter } = measured;
  return {
    store: target.name,
    faults,
    wallMs: pool.wallMs,
    ops: sent,
    /** Ops that got their final answer by the deadline (throughput counts these). */
    answeredOps: answered,
    pushLatencies: reports.flatMap((r) => r.pushLatencies),
    pushToAck: reports.flatMap((r) => r.pushToAck),
    pullLatencies: reports.flatMap((r) => r.pullLatencies),
    /** Unexpected answers and devices that gave up (unfinished); connection failures too in a clean run. */
    errors,
    overloaded: sum((r) => r.overloaded),
    networkFailures,
    requests: sum((r) => r.requests),
    bytes: sum((r) => r.bytes),
    serverCpuS: measured.serverCpuS,
    databaseCpuS: dbBefore === undefined || dbAfter === undefined ? undefined : dbAfter - dbBefore,
    serverPeakRssMiB: measured.serverPeakRssMiB,
    missing: verified.missing,
    duplicates: verified.duplicates + pullDuplicates,
    notes,
    proxy: measured.proxyStats,
  };
}

/** Milliseconds since the previous call (or since it was made). */
function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const ms = now - last;
    last = now;
    return ms;
  };
}

function logProfile(profile: PgProfile, log: (line: string) => void) {
  log(`  PostgreSQL activity, ${profile.samples} samples (statement | wait event):`);
  for (const [key, count] of profile.top) log(`    ${String(count).padStart(6)}  ${key}`);
}

function describeRun(run: BurstRun): string {
  const ms = (values: readonly number[]) =>
    `p50 ${Math.round(percentile(values, 0.5))} p99 ${Math.round(percentile(values, 0.99))} ms`;
  return [
    `  ${run.store}${run.faults ? ' + faults' : ''}: ${run.answeredOps}/${run.ops} ops in ${(run.wallMs / 1000).toFixed(1)} s (${Math.round(run.answeredOps / (run.wallMs / 1000))} ops/s)`,
    `push ${ms(run.pushLatencies)}, to ack ${ms(run.pushToAck)}, pull ${ms(run.pullLatencies)}`,
    `${run.requests} requests, ${run.overloaded} × 503, ${run.networkFailures} resets, ${run.errors} errors`,
    `server CPU ${run.serverCpuS.toFixed(1)} s${run.databaseCpuS === undefined ? '' : `, PostgreSQL CPU ${run.databaseCpuS.toFixed(1)} s`}, peak RSS ${Math.round(run.serverPeakRssMiB)} MiB`,
    `missing ${run.missing}, duplicates ${run.duplicates}${run.notes.length ? ` (${run.notes.join('; ')})` : ''}`,
  ].join('; ');
}
