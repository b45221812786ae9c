/**
 * Runs the simulated devices in a few worker threads (the devices' JSON, gzip and zod work off
 * the main thread, which may be running the fault proxy). The threads are started once for all
 * the runs of a burst part (loading them takes ≈ 0.5 s) and given each run's devices in turn.
 * Workers are loaded through tsx's API, since Node 20 does not apply `--import tsx` to a worker's
 * entry module.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type {
  DevicePolicy,
  DeviceReport,
  SimulatedDevice,
  WorkerCommand,
  WorkerInput,
  WorkerMessage,
} from './device-types';

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
  /** From handing the devices over to every thread ready (threads loaded, batches gzipped). */
  readonly readyMs: number;
}

export interface DevicePool {
  /** Splits `devices` over the threads and runs them all at once. One run at a time. */
  run(options: {
    baseUrl: string;
    devices: readonly SimulatedDevice[];
    policy: DevicePolicy;
    deadlineEpochMs: number;
  }): Promise<PoolRun>;
  /** Terminates the threads. Idempotent. */
  close(): Promise<void>;
}

/**
 * One thread's side of the conversation: every message it sends, or its failure, goes to whoever
 * waits for the next one (a run waits for 'ready' and then 'done', each with a time limit).
 */
class Lane {
  readonly worker = new Worker(BOOT, { eval: true });
  private waiting: { resolve: (message: WorkerMessage) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor() {
    const fail = (error: Error) => {
      this.failure ??= error;
      this.waiting?.reject(this.failure);
      this.waiting = undefined;
    };
    this.worker.on('message', (message: WorkerMessage) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (message.type === 'failed') fail(new Error(`device worker failed: ${message.message}`));
      else waiting?.resolve(message);
    });
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`a device worker exited (${code})`)));
  }

  /** The next message, or a rejection after `timeoutMs`, on the thread's error or exit. */
  next(timeoutMs: number, what: string): Promise<WorkerMessage> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<WorkerMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`a device worker did not ${what} in time`)), timeoutMs);
      timer.unref();
      this.waiting = {
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }

  send(command: WorkerCommand): void {
    this.worker.postMessage(command);
  }
}

/**
 * Starts `workers` threads. A run that fails leaves the pool unusable (`run` rejects from then
 * on); the caller closes it and may open another.
 */
export function openDevicePool(workers: number): DevicePool {
  const lanes = Array.from({ length: Math.max(1, workers) }, () => new Lane());
  let broken: Error | undefined;
  let closed = false;
  return {
    async run(options) {
      if (closed) throw new Error('the device pool is closed');
      if (broken) throw broken;
      const count = Math.min(lanes.length, Math.max(1, options.devices.length));
      const used = lanes.slice(0, count);
      try {
        const handedOver = performance.now();
        const ready = used.map((lane, w) => {
          const waiting = lane.next(READY_TIMEOUT_MS, 'get ready');
          const input: WorkerInput = {
            baseUrl: options.baseUrl,
            devices: options.devices.filter((_, d) => d % count === w),
            policy: options.policy,
            deadlineEpochMs: options.deadlineEpochMs,
          };
          lane.send({ type: 'load', input });
          return waiting;
        });
        await expectAll(ready, 'ready');
        const started = performance.now();
        const doneMs = Math.max(0, options.deadlineEpochMs - Date.now()) + DONE_GRACE_MS;
        const done = used.map((lane) => {
          const waiting = lane.next(doneMs, 'finish by the deadline');
          lane.send({ type: 'go' });
          return waiting;
        });
        const reports = (await expectAll(done, 'done')).flatMap((message) =>
          message.type === 'done' ? message.reports : [],
        );
        return { reports, wallMs: performance.now() - started, readyMs: started - handedOver };
      } catch (error) {
        broken = error instanceof Error ? error : new Error(String(error));
        throw broken;
      }
    },
    async close() {
      closed = true;
      await Promise.all(lanes.map((lane) => lane.worker.terminate()));
    },
  };
}

async function expectAll(waiting: Promise<WorkerMessage>[], type: WorkerMessage['type']): Promise<WorkerMessage[]> {
  // Every promise is awaited here, so none is left to reject unhandled.
  const settled = await Promise.allSettled(waiting);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  const messages = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const wrong = messages.find((m) => m.type !== type);
  if (wrong) throw new Error(`a device worker said '${wrong.type}', expected '${type}'`);
  return messages;
}
