/**
 * Runs the simulated devices in a few worker threads (the devices' JSON, gzip and zod work off
 * the main thread, which may be running the fault proxy). Workers are loaded through tsx's API,
 * since Node 20 does not apply `--import tsx` to a worker's entry module.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DevicePolicy, DeviceReport, SimulatedDevice, WorkerInput, WorkerMessage } from './device-types';

const require = createRequire(import.meta.url);
const WORKER_URL = new URL('./device-worker.ts', import.meta.url).href;
// The ESM build of tsx's API (its CommonJS build cannot register the hooks from a worker here).
const TSX_API_URL = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
const BOOT = `import(${JSON.stringify(TSX_API_URL)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL)}); })`;
const READY_TIMEOUT_MS = 60_000;

export interface PoolRun {
  readonly reports: DeviceReport[];
  /** From 'go' to the last device's report. */
  readonly wallMs: number;
}

/** Splits `devices` over `workers` threads and runs them all at once; always terminates the threads. */
export async function runDevicePool(options: { baseUrl: string; devices: readonly SimulatedDevice[]; workers: number; policy: DevicePolicy; deadlineEpochMs: number }): Promise<PoolRun> {
  const count = Math.max(1, Math.min(options.workers, options.devices.length));
  const workers: Worker[] = [];
  try {
    const pending = Array.from({ length: count }, (_, w) => {
      const input: WorkerInput = {
        baseUrl: options.baseUrl,
        devices: options.devices.filter((_, d) => d % count === w),
        policy: options.policy,
        deadlineEpochMs: options.deadlineEpochMs,
      };
      const worker = new Worker(BOOT, { eval: true, workerData: input });
      workers.push(worker);
      return listen(worker, options.deadlineEpochMs);
    });
    await Promise.all(pending.map((p) => p.ready));
    const started = performance.now();
    for (const worker of workers) worker.postMessage('go');
    const reports = (await Promise.all(pending.map((p) => p.done))).flat();
    return { reports, wallMs: performance.now() - started };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** The worker's 'ready' and 'done', each bounded in time; an error or early exit rejects both. */
function listen(worker: Worker, deadlineEpochMs: number) {
  let onReady: () => void = () => undefined;
  let onDone: (reports: DeviceReport[]) => void = () => undefined;
  let onFail: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    const timer = setTimeout(() => reject(new Error('a device worker was not ready in time')), READY_TIMEOUT_MS);
    timer.unref();
    worker.once('error', reject);
  });
  const done = new Promise<DeviceReport[]>((resolve, reject) => {
    onDone = resolve;
    onFail = reject;
    // The devices stop at the deadline themselves; this is the backstop for a stuck request.
    const timer = setTimeout(() => reject(new Error('a device worker did not finish by the deadline')), Math.max(0, deadlineEpochMs - Date.now()) + 30_000);
    timer.unref();
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`a device worker exited (${code}) before its report`)));
  });
  // Both are awaited later; until then a rejection must not count as unhandled.
  ready.catch(() => undefined);
  done.catch(() => undefined);
  worker.on('message', (message: WorkerMessage) => {
    if (message.type === 'ready') onReady();
    else if (message.type === 'done') onDone(message.reports);
    else onFail(new Error(`device worker failed: ${message.message}`));
  });
  return { ready, done };
}
