/**
 * One simulated phone on sync day, driven by the app's own transport (`createHttpTransport`,
 * src/client/sync/transport.ts: gzip of bodies over 1 KiB, answers checked against the protocol's
 * schemas, 429/503 read as back-pressure with their Retry-After) over its own keep-alive
 * connection: push its outbox in fixed batches (a retry re-sends the same ops with the same opIds
 * and seqs, the protocol's exactly-once), then pull from its cursor until the server says there is
 * no more. Honours 503/429 + Retry-After as the app does (`backoffDelayMs`), retries a dropped
 * connection; every loop is bounded in attempts and by the run's deadline.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { backoffDelayMs } from '../../src/client/sync/sync-scheduler';
import { createHttpTransport, type TransportResult } from '../../src/client/sync/transport';
import type { PushOp } from '../../src/shared/protocol/sync.schema';

export interface SimulatedDevice {
  readonly deviceId: string;
  readonly token: string;
  /** Where its bootstrap ended: the burst's pull goes on from here. */
  readonly cursor: string;
  readonly ops: readonly PushOp[];
}

export interface DevicePolicy {
  /** Ops per push request (the app sends up to 500: one push of 200 for these devices). */
  readonly batchSize: number;
  readonly pullLimit: number;
  readonly requestTimeoutMs: number;
  /** Attempts per request (network failures and 503s alike) before the device gives up. */
  readonly maxAttempts: number;
  /** Wait after a connection failure before the same request goes again. */
  readonly retryDelayMs: number;
  /** Bound on a 503's Retry-After, so a wrong header cannot stall the bench. */
  readonly maxRetryAfterMs: number;
  readonly maxPullPages: number;
}

export interface DeviceReport {
  readonly deviceId: string;
  /** Every op has a final answer applied or duplicate, and the pull ended with hasMore false. */
  readonly finished: boolean;
  /** ms of each push request answered 200 (send to body read and parsed). */
  readonly pushLatencies: number[];
  /** ms from a batch's first attempt to its 200, 503 waits and retries included. */
  readonly pushToAck: number[];
  readonly pullLatencies: number[];
  readonly requests: number;
  /** TCP payload bytes both ways (headers and compressed bodies), from the device's socket. */
  readonly bytes: number;
  /** 503/429 answers (back-pressure). */
  readonly overloaded: number;
  /** Connection reset, refused or timed out. */
  readonly networkFailures: number;
  readonly results: { applied: number; duplicate: number; conflict: number; rejected: number };
  readonly ackSeq: number;
  /** Ops, from the first, that got their final answer (the rest were still unsent at the deadline). */
  readonly answeredOps: number;
  readonly pulledChanges: number;
  /** The same record at the same version delivered twice by pull. */
  readonly pullDuplicates: number;
  /** Anything unexpected (status, answer shape, gave up), the first few only. */
  readonly errors: string[];
  readonly errorCount: number;
}

const MAX_ERRORS_KEPT = 5;

/**
 * The transport's `fetch`, over node:http: one keep-alive socket (like a phone's single connection
 * to the commune server), answers gunzipped as fetch does, the TCP bytes of the socket counted
 * (headers included), and the last answer timed from the request to its body parsed. A request
 * still running at the deadline is cut there.
 */
function deviceLink(deadlineEpochMs: number, requestTimeoutMs: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set<Socket>();
  let lastAnswerMs = Number.NaN;
  const fetch = (url: string, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const started = performance.now();
      // The transport sends JSON text, or its gzip bytes (an ArrayBuffer); GET has no body.
      const { body: sent } = init;
      const body =
        typeof sent === 'string' ? Buffer.from(sent) : sent instanceof ArrayBuffer ? Buffer.from(sent) : undefined;
      const headers: Record<string, string> = {
        ...(init.headers as Record<string, string>),
        'accept-encoding': 'gzip',
      };
      if (body) headers['content-length'] = String(body.length);
      const req = http.request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('close', () => {
          if (!res.complete) reject(new Error('connection closed mid-answer'));
        });
        res.on('end', () => {
          try {
            const raw = Buffer.concat(chunks);
            const retryAfter = res.headers['retry-after'];
            const response = new Response(res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw, {
              status: res.statusCode ?? 0,
              headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
            });
            const json = response.json.bind(response);
            response.json = async () => {
              const value: unknown = await json();
              lastAnswerMs = performance.now() - started;
              return value;
            };
            resolve(response);
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      });
      req.on('socket', (socket) => sockets.add(socket));
      req.on('error', reject);
      init.signal?.addEventListener('abort', () => req.destroy(new Error('aborted')));
      const timeoutMs = Math.max(1, Math.min(requestTimeoutMs, deadlineEpochMs - Date.now()));
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.end(body);
    });
  return {
    fetch,
    lastAnswerMs: () => lastAnswerMs,
    bytes: () => [...sockets].reduce((total, s) => total + s.bytesWritten + s.bytesRead, 0),
    close: () => agent.destroy(),
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export async function runDevice(
  baseUrl: string,
  device: SimulatedDevice,
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
  const link = deviceLink(deadlineEpochMs, policy.requestTimeoutMs);
  const transport = createHttpTransport({ serverUrl: baseUrl, token: device.token, fetch: link.fetch });

  /** The request until it gets an answer that is not back-pressure; undefined when out of attempts, time, or refused. */
  const send = async <T>(what: string, call: () => Promise<TransportResult<T>>): Promise<T | undefined> => {
    let refusedInRow = 0;
    for (let attempt = 1; attempt <= policy.maxAttempts && Date.now() < deadlineEpochMs; attempt += 1) {
      report.requests += 1;
      const answer = await call();
      if (answer.ok) return answer.value;
      if (answer.kind === 'offline' && Date.now() >= deadlineEpochMs) {
        break; // cut at the deadline: the device is unfinished, the connection did not fail
      } else if (answer.kind === 'offline') {
        report.networkFailures += 1;
        await sleep(policy.retryDelayMs);
      } else if (answer.kind === 'overloaded') {
        report.overloaded += 1;
        refusedInRow += 1;
        // As the app does (sync-scheduler.ts): Retry-After plus up to a second at random.
        const wait = backoffDelayMs(refusedInRow, Math.random, answer.retryAfterMs);
        await sleep(Math.min(wait, policy.maxRetryAfterMs, Math.max(0, deadlineEpochMs - Date.now())));
      } else {
        error(`${what} answered ${answer.status ?? '–'} (${answer.kind}${answer.code ? `, ${answer.code}` : ''})`);
        return undefined;
      }
    }
    error(`${what}: gave up after ${policy.maxAttempts} attempts or at the deadline`);
    return undefined;
  };

  const pushAll = async () => {
    for (let start = 0; start < device.ops.length; start += policy.batchSize) {
      const ops = device.ops.slice(start, start + policy.batchSize);
      const lastSeq = ops.at(-1)?.seq ?? 0;
      const started = performance.now();
      const data = await send('push', () => transport.push({ protocol: 1, deviceId: device.deviceId, ops }));
      if (!data) return false;
      report.pushLatencies.push(link.lastAnswerMs());
      report.pushToAck.push(performance.now() - started);
      for (const result of data.results) report.results[result.status] += 1;
      const bad = data.results.find((r) => r.status === 'conflict' || r.status === 'rejected');
      if (bad) error(`push result ${JSON.stringify(bad).slice(0, 300)}`);
      if (data.results.length !== ops.length)
        error(`push returned ${data.results.length} results for ${ops.length} ops`);
      report.ackSeq = data.ackSeq;
      report.answeredOps += ops.length;
      if (data.ackSeq < lastSeq) error(`ackSeq ${data.ackSeq} < ${lastSeq}`);
    }
    return true;
  };

  const pullAll = async () => {
    const seen = new Map<string, number>();
    let cursor = device.cursor;
    for (let page = 0; page < policy.maxPullPages; page += 1) {
      const data = await send('pull', () => transport.pull(cursor, policy.pullLimit));
      if (!data) return false;
      report.pullLatencies.push(link.lastAnswerMs());
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
  };

  try {
    if (await pushAll()) report.finished = await pullAll();
  } finally {
    report.bytes = link.bytes();
    link.close();
  }
  return report;
}
