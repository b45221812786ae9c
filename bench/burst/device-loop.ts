/**
 * One simulated device on sync day: push its outbox (fixed batches: a retry re-sends the same
 * ops with the same opIds and seqs, the protocol's exactly-once), then pull from its cursor until
 * the server says there is no more. Honours 503/429 + Retry-After as the app does, retries a dropped connection;
 * every loop is bounded in attempts and by the run's deadline.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { backoffDelayMs } from '../../src/client/sync/sync-scheduler';
import { API_PREFIX } from '../../src/shared/protocol/api';
import { pullResponseSchema, pushResponseSchema } from '../../src/shared/protocol/sync.schema';
import type { Answer, DeviceLink } from './device-http';
import type { DevicePolicy, DeviceReport, SimulatedDevice } from './device-types';

const MAX_ERRORS_KEPT = 5;

/** A push batch, serialised and gzipped before the burst starts (the same bytes on every retry). */
export interface PreparedBatch {
  readonly body: Buffer;
  readonly lastSeq: number;
  readonly ops: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export async function runDevice(
  link: DeviceLink,
  device: SimulatedDevice,
  batches: readonly PreparedBatch[],
  policy: DevicePolicy,
  deadlineEpochMs: number,
): Promise<DeviceReport> {
  const report: Mutable<DeviceReport> = {
    deviceId: device.deviceId,
    finished: false,
    pushLatencies: [],
    pushToAck: [],
    pullLatencies: [],
    requests: 0,
    bytes: 0,
    overloaded: 0,
    networkFailures: 0,
    results: { applied: 0, duplicate: 0, conflict: 0, rejected: 0 },
    ackSeq: 0,
    answeredOps: 0,
    pulledChanges: 0,
    pullDuplicates: 0,
    errors: [],
    errorCount: 0,
  };
  const error = (message: string) => {
    report.errorCount += 1;
    if (report.errors.length < MAX_ERRORS_KEPT) report.errors.push(message);
  };

  /** The request until it gets an answer that is not back-pressure; undefined when out of attempts or time. */
  const send = async (
    method: 'GET' | 'POST',
    path: string,
    body?: Buffer,
  ): Promise<Extract<Answer, { kind: 'answer' }> | undefined> => {
    let refusedInRow = 0;
    for (let attempt = 1; attempt <= policy.maxAttempts && Date.now() < deadlineEpochMs; attempt += 1) {
      report.requests += 1;
      // A request still running at the deadline is cut there: the window bounds the whole run.
      const timeoutMs = Math.max(1, Math.min(policy.requestTimeoutMs, deadlineEpochMs - Date.now()));
      const answer = await link.request(method, path, { ...(body ? { body, gzip: true } : {}), timeoutMs });
      if (answer.kind === 'network' && Date.now() >= deadlineEpochMs) {
        break; // cut at the deadline: the device is unfinished, the connection did not fail
      } else if (answer.kind === 'network') {
        report.networkFailures += 1;
        await sleep(policy.retryDelayMs);
      } else if (answer.status === 503 || answer.status === 429) {
        report.overloaded += 1;
        refusedInRow += 1;
        // As the app does (sync-scheduler.ts): Retry-After plus up to a second at random.
        await sleep(
          Math.min(
            backoffDelayMs(refusedInRow, Math.random, answer.retryAfterMs),
            policy.maxRetryAfterMs,
            Math.max(0, deadlineEpochMs - Date.now()),
          ),
        );
      } else {
        return answer;
      }
    }
    error(`${method} ${path.split('?')[0] ?? ''}: gave up after ${policy.maxAttempts} attempts or at the deadline`);
    return undefined;
  };

  /** The 200 answer's body in the contract's shape; anything else is an error. */
  function accepted<T>(answer: Extract<Answer, { kind: 'answer' }>, schema: z.ZodType<T>, what: string): T | undefined {
    const parsed = answer.status === 200 ? schema.safeParse(answer.body) : undefined;
    if (parsed?.success) return parsed.data;
    error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}`);
    return undefined;
  }

  try {
    const pushed = await pushAll();
    if (pushed) report.finished = await pullAll();
  } finally {
    report.bytes = link.bytes();
  }
  return report;

  async function pushAll(): Promise<boolean> {
    for (const batch of batches) {
      const started = performance.now();
      const answer = await send('POST', `${API_PREFIX}/sync/push`, batch.body);
      const data = answer && accepted(answer, pushResponseSchema, 'push');
      if (!answer || !data) return false;
      report.pushLatencies.push(answer.ms);
      report.pushToAck.push(performance.now() - started);
      for (const result of data.results) report.results[result.status] += 1;
      const bad = data.results.find((r) => r.status === 'conflict' || r.status === 'rejected');
      if (bad) error(`push result ${JSON.stringify(bad).slice(0, 300)}`);
      if (data.results.length !== batch.ops) error(`push returned ${data.results.length} results for ${batch.ops} ops`);
      report.ackSeq = data.ackSeq;
      report.answeredOps += batch.ops;
      if (data.ackSeq < batch.lastSeq) error(`ackSeq ${data.ackSeq} < ${batch.lastSeq}`);
    }
    return true;
  }

  async function pullAll(): Promise<boolean> {
    const seen = new Map<string, number>();
    let cursor = device.cursor;
    for (let page = 0; page < policy.maxPullPages; page += 1) {
      const query = new URLSearchParams({ cursor, limit: String(policy.pullLimit) });
      const answer = await send('GET', `${API_PREFIX}/sync/pull?${query.toString()}`);
      const data = answer && accepted(answer, pullResponseSchema, 'pull');
      if (!answer || !data) return false;
      report.pullLatencies.push(answer.ms);
      for (const change of data.changes) {
        if (seen.get(change.id) === change.version) report.pullDuplicates += 1;
        seen.set(change.id, change.version);
      }
      report.pulledChanges += data.changes.length;
      cursor = data.cursor;
      if (!data.hasMore) return true;
    }
    error(`pull still had more after ${policy.maxPullPages} pages`);
    return false;
  }
}
