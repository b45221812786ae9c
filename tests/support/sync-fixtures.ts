import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { createEnrollmentCode } from '../../src/server/auth/enrollment';
import { buildApp, type AppOptions } from '../../src/server/http/app';
import { runMigrations } from '../../src/server/store/migrations';
import type { Store } from '../../src/server/store/store';
import { uuidv7 } from '../../src/shared/ids';
import {
  enrollResponseSchema,
  pullResponseSchema,
  pushResponseSchema,
  type EnrollResponse,
  type PullResponse,
  type PushOp,
  type PushRequest,
  type PushResponse,
} from '../../src/shared/protocol/sync.schema';
import type { StoreCase } from './test-stores';

/**
 * The sync server in-process over real HTTP, for server tests and client ↔ server integration
 * tests alike. Everything here goes through the wire contract (fetch), except enrolment codes,
 * which the admin CLI makes straight in the database.
 */
export const SYNC_COMMUNE = '25942';
export const OTHER_COMMUNE = '26734';
const ONE_HOUR_MS = 60 * 60 * 1000;

export interface SyncServer {
  readonly baseUrl: string;
  readonly store: Store;
  readonly app: FastifyInstance;
  /** Stops the server and removes its database. */
  close(): Promise<void>;
}

export type SyncServerOptions = Pick<
  AppOptions,
  | 'now'
  | 'maxConcurrentPushes'
  | 'pushSlotWaitMs'
  | 'maxWaitingPushes'
  | 'pullSettleMs'
  | 'pushSlots'
  | 'bodyTimeouts'
  | 'attachmentQuotaBytes'
>;

export async function startSyncServer(storeCase: StoreCase, options: SyncServerOptions = {}): Promise<SyncServer> {
  const { store, dispose } = await storeCase.open();
  try {
    await runMigrations(store);
    const app = await buildApp({ store, ...options });
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    return {
      baseUrl,
      store,
      app,
      async close() {
        await app.close();
        await dispose();
      },
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/**
 * One sync server for the describe block it is called in: started before its tests, closed after.
 * The handle reads through to the running server, so tests write `server.baseUrl` as usual.
 */
export function useSyncServer(storeCase: StoreCase, options: SyncServerOptions = {}): SyncServer {
  let running: SyncServer | undefined;
  beforeAll(async () => {
    running = await startSyncServer(storeCase, options);
  });
  afterAll(async () => {
    await running?.close();
  });
  const current = () => {
    if (!running) throw new Error('the sync server starts in beforeAll');
    return running;
  };
  return {
    get baseUrl() {
      return current().baseUrl;
    },
    get store() {
      return current().store;
    },
    get app() {
      return current().app;
    },
    close: () => current().close(),
  };
}

export interface EnrolledDevice {
  readonly deviceId: string;
  readonly token: string;
  readonly scope: EnrollResponse['scope'];
}

/** Makes a one-time code as the admin CLI would, then enrols over HTTP like a phone. */
export async function enrollDevice(
  baseUrl: string,
  store: Store,
  args: { communeCode: string; villageIds?: readonly string[] | null; deviceName?: string },
): Promise<EnrolledDevice> {
  const { code } = await createEnrollmentCode(store, {
    communeCode: args.communeCode,
    villageIds: args.villageIds ?? null,
    expiresInMs: ONE_HOUR_MS,
    now: new Date(),
  });
  const response = await postJson(`${baseUrl}/api/v1/devices/enroll`, {
    code,
    deviceName: args.deviceName ?? 'Máy thử',
  });
  if (response.status !== 200) throw new Error(`enrolment failed: ${response.status} ${JSON.stringify(response.body)}`);
  const { deviceId, token, scope } = enrollResponseSchema.parse(response.body);
  return { deviceId, token, scope };
}

/** A fresh UUID v7, as devices make them. */
export function newId(): string {
  return uuidv7(Date.now(), randomBytes(16));
}

export interface JsonAnswer<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** POST /sync/push; `gzip: true` sends the body compressed as devices do for big batches. */
export async function pushOps(
  baseUrl: string,
  token: string,
  body: PushRequest | Record<string, unknown>,
  options: { gzip?: boolean } = {},
): Promise<JsonAnswer> {
  const json = JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  if (options.gzip) headers['content-encoding'] = 'gzip';
  const response = await fetch(`${baseUrl}/api/v1/sync/push`, {
    method: 'POST',
    headers,
    body: options.gzip ? new Uint8Array(gzipSync(json)) : json,
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** Pushes and expects 200: the parsed response. */
export async function pushOk(baseUrl: string, device: EnrolledDevice, ops: PushOp[]): Promise<PushResponse> {
  const answer = await pushOps(baseUrl, device.token, { protocol: 1, deviceId: device.deviceId, ops });
  if (answer.status !== 200) throw new Error(`push failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return pushResponseSchema.parse(answer.body);
}

export async function pullPage(baseUrl: string, token: string, cursor?: string, limit?: number): Promise<JsonAnswer> {
  const query = new URLSearchParams({ ...(cursor ? { cursor } : {}), ...(limit ? { limit: String(limit) } : {}) });
  const response = await fetch(`${baseUrl}/api/v1/sync/pull?${query.toString()}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** Pulls every page from `cursor` (none: bootstrap); returns the changes and the last cursor. */
export async function pullAll(
  baseUrl: string,
  token: string,
  cursor?: string,
  limit?: number,
): Promise<{ changes: PullResponse['changes']; cursor: string; pages: number }> {
  const changes: PullResponse['changes'] = [];
  let next = cursor;
  for (let pages = 1; ; pages += 1) {
    const answer = await pullPage(baseUrl, token, next, limit);
    if (answer.status !== 200) throw new Error(`pull failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    const page = pullResponseSchema.parse(answer.body);
    changes.push(...page.changes);
    next = page.cursor;
    if (!page.hasMore) return { changes, cursor: page.cursor, pages };
  }
}

/**
 * Builds ops with gap-free seqs per device, as the client's outbox does.
 * `upsert(entity, id, data, baseVersion)` and `remove(entity, id, baseVersion)`.
 */
export function opBuilder(communeCode: string = SYNC_COMMUNE, firstSeq = 1) {
  let seq = firstSeq - 1;
  const base = (entity: string, recordId: string, baseVersion: number | null) => {
    seq += 1;
    return { opId: newId(), seq, entity, recordId, communeCode, baseVersion, clientTime: new Date().toISOString() };
  };
  return {
    upsert: (entity: string, recordId: string, data: unknown, baseVersion: number | null = null): PushOp => ({
      ...base(entity, recordId, baseVersion),
      kind: 'upsert',
      data,
    }),
    remove: (entity: string, recordId: string, baseVersion: number | null): PushOp => ({
      ...base(entity, recordId, baseVersion),
      kind: 'delete',
    }),
    get nextSeq() {
      return seq + 1;
    },
  };
}

export function villageData(overrides: Record<string, unknown> = {}) {
  return { name: 'Thôn Đông', kind: 'thon', isDisadvantagedArea: false, ...overrides };
}

export function householdData(villageId: string, overrides: Record<string, unknown> = {}) {
  return { villageId, headName: 'Nguyễn Văn An', address: 'Xóm 2', ...overrides };
}

export function citizenData(householdId: string, overrides: Record<string, unknown> = {}) {
  return {
    householdId,
    fullName: 'Nguyễn Văn An',
    sex: 'nam',
    birthYear: 1980,
    relation: 'chu_ho',
    isWorker: true,
    literacy: 'biet_chu',
    cdhtGroup: 'nong_dan',
    ...overrides,
  };
}
