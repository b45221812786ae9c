/**
 * Runs the simulated devices in a few worker threads (the devices' JSON, gzip and zod work off the
 * main thread, which may be running the fault proxy). The threads are started once for all the
 * runs of a burst part (loading them takes ≈ 0.5 s) and given each run's devices in turn: 'load'
 * (answered 'ready'), then 'go' for all threads at once (answered 'done' with the reports).
 * Workers are loaded through tsx's API, since Node 20 does not apply `--import tsx` to a worker's
 * entry module.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DevicePolicy, DeviceReport, SimulatedDevice } from './device';

export interface WorkerInput {
  readonly baseUrl: string;
  readonly devices: readonly SimulatedDevice[];
  readonly policy: DevicePolicy;
  /** Date.now() value after which devices stop trying. */
  readonly deadlineEpochMs: number;
}
export type WorkerCommand = { readonly type: 'load'; readonly input: WorkerInput } | { readonly type: 'go' };
export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly reports: DeviceReport[] }
  | { readonly type: 'failed'; readonly message: string };

const require = createRequire(import.meta.url);
const WORKER_URL = new URL('./device-worker.ts', import.meta.url).href;
// The ESM build of tsx's API (its CommonJS build cannot register the hooks from a worker here).
const TSX_API_URL = pathToFileURL(
  path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
).href;
const BOOT = `import(${JSON.stringify(TSX_API_URL)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER_URL)}); })`;
const READY_TIMEOUT_MS = 60_000;
/** After the devices' own deadline: the backstop for a stuck request. */
const DONE_GRACE_MS = 30_000;

export interface PoolRun {
  readonly reports: DeviceReport[];
  /** From 'go' to the last device's report. */
  readonly wallMs: number;
  /** From handing the devices over to every thread ready. */
  readonly readyMs: number;
}

/** One thread: its next message (or its failure) goes to whoever waits for it, within a time limit. */
function openLane() {
  const worker = new Worker(BOOT, { eval: true });
  let waiting: { resolve: (message: WorkerMessage) => void; reject: (error: Error) => void } | undefined;
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    waiting?.reject(failure);
    waiting = undefined;
  };
  worker.on('message', (message: WorkerMessage) => {
    const current = waiting;
    waiting = undefined;
    if (message.type === 'failed') fail(new Error(`device worker failed: ${message.message}`));
    else current?.resolve(message);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`a device worker exited (${code})`)));
  /** Sends `command` and waits for the answer of `type`. */
  const ask = (command: WorkerCommand, type: WorkerMessage['type'], timeoutMs: number) => {
    if (failure) return Promise.reject(failure);
    const answer = new Promise<WorkerMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`a device worker did not say '${type}' in time`)), timeoutMs);
      timer.unref();
      const settle = () => clearTimeout(timer);
      waiting = {
        resolve: (message) => {
          settle();
          if (message.type === type) resolve(message);
          else reject(new Error(`a device worker said '${message.type}', expected '${type}'`));
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
    });
    worker.postMessage(command);
    return answer;
  };
  return { ask, terminate: () => worker.terminate() };
}

/** Every answer, or the first failure (every promise awaited, so none rejects unhandled). */
async function all(answers: Promise<WorkerMessage>[]): Promise<WorkerMessage[]> {
  const settled = await Promise.allSettled(answers);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
}

/**
 * Starts `workers` threads. `run` splits the devices over them and runs them all at once, one run
 * at a time; a run that fails leaves the pool unusable (`run` rejects from then on).
 */
export function openDevicePool(workers: number) {
  const lanes = Array.from({ length: Math.max(1, workers) }, openLane);
  let broken: Error | undefined;
  let closed = false;
  return {
    async run(options: Omit<WorkerInput, 'devices'> & { devices: readonly SimulatedDevice[] }): Promise<PoolRun> {
      if (closed) throw new Error('the device pool is closed');
      if (broken) throw broken;
      const count = Math.min(lanes.length, Math.max(1, options.devices.length));
      const used = lanes.slice(0, count);
      try {
        const handedOver = performance.now();
        await all(
          used.map((lane, w) => {
            const devices = options.devices.filter((_, d) => d % count === w);
            return lane.ask({ type: 'load', input: { ...options, devices } }, 'ready', READY_TIMEOUT_MS);
          }),
        );
        const started = performance.now();
        const doneMs = Math.max(0, options.deadlineEpochMs - Date.now()) + DONE_GRACE_MS;
        const done = await all(used.map((lane) => lane.ask({ type: 'go' }, 'done', doneMs)));
        const reports = done.flatMap((message) => (message.type === 'done' ? message.reports : []));
        return { reports, wallMs: performance.now() - started, readyMs: started - handedOver };
      } catch (error) {
        broken = error instanceof Error ? error : new Error(String(error));
        throw broken;
      }
    },
    /** Terminates the threads. Idempotent. */
    async close() {
      closed = true;
      await Promise.all(lanes.map((lane) => lane.terminate()));
    },
  };
}

export type DevicePool = ReturnType<typeof openDevicePool>;
