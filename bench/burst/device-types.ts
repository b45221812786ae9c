/** What the burst's main thread and its device workers say to each other (structured clone). */
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

export interface WorkerInput {
  readonly baseUrl: string;
  readonly devices: readonly SimulatedDevice[];
  readonly policy: DevicePolicy;
  /** performance.timeOrigin-free deadline: Date.now() value after which devices stop trying. */
  readonly deadlineEpochMs: number;
}

export interface DeviceReport {
  readonly deviceId: string;
  /** Every op has a final answer applied or duplicate, and the pull ended with hasMore false. */
  readonly finished: boolean;
  /** ms of each push request answered 200 (send to body read). */
  readonly pushLatencies: number[];
  /** ms from a batch's first attempt to its 200, 503 waits and retries included. */
  readonly pushToAck: number[];
  readonly pullLatencies: number[];
  readonly requests: number;
  /** TCP payload bytes both ways (headers and compressed bodies), from the device's sockets. */
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

/** From the main thread, per run: the devices ('load', answered by 'ready'), then 'go'. */
export type WorkerCommand = { readonly type: 'load'; readonly input: WorkerInput } | { readonly type: 'go' };

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly reports: DeviceReport[] }
  | { readonly type: 'failed'; readonly message: string };
