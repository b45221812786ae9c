/**
 * Our server for the browser parts: in this process (buildApp), PGlite in a temporary directory on
 * disk (or a fresh PostgreSQL database when given its URL), every API request measured (Fastify
 * hooks, SQL statements timed), behind the loopback proxy (tests/support/loopback-proxy.ts) that
 * counts bytes and can inject faults.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/http/app';
import { runMigrations } from '../../src/server/store/migrations';
import { openPgliteStore } from '../../src/server/store/pglite-store';
import { openPostgresStore } from '../../src/server/store/postgres-store';
import type { Queryable, Store } from '../../src/server/store/store';
import { startProxy, type LoopbackProxy, type ProxyOptions, type ProxyStats } from '../../tests/support/loopback-proxy';
import { BENCH_COMMUNE_CODE } from '../data';
import { round } from '../harness/common';
import { copyEmptyPglite } from '../harness/pglite-template';

export type Kind = 'push' | 'pull' | 'other';
/** Per request kind and statement (its first 70 characters): how many and how long. */
export type SqlTimes = Map<string, { n: number; ms: number }>;

export interface DbCounters {
  queries: number;
  queryMs: number;
  transactions: number;
  transactionMs: number;
  bySql: SqlTimes;
  /** The kind of the request being served (requests come one at a time in these scenarios). */
  current: Kind;
}

/** The statements that took the most time between two snapshots of `bySql`. */
export function topStatements(after: SqlTimes, before: SqlTimes, kind: Kind, count = 6) {
  return [...after]
    .filter(([key]) => key.startsWith(`${kind} | `))
    .map(([key, v]) => ({
      sql: key.slice(kind.length + 3),
      n: v.n - (before.get(key)?.n ?? 0),
      ms: round(v.ms - (before.get(key)?.ms ?? 0)),
    }))
    .filter((v) => v.n > 0)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}

export const cloneSql = (map: SqlTimes): SqlTimes => new Map([...map].map(([k, v]) => [k, { ...v }]));

/** One API request as the server saw it (times: this process's performance.now()); counters are deltas once it ends. */
function newSample(request: { url: string; headers: Record<string, string | string[] | undefined> }, db: DbCounters) {
  const now = performance.now();
  return {
    kind: kindOfUrl(request.url),
    url: request.url.split('?')[0] ?? request.url,
    status: 0,
    start: now,
    /** Body received, gunzipped and parsed (preHandler). */
    handler: now,
    end: now,
    /** Request body as sent (Content-Length: the gzip bytes when compressed). */
    requestBytes: Number(request.headers['content-length'] ?? 0),
    requestEncoding: String(request.headers['content-encoding'] ?? 'identity'),
    /** Response body as sent, and the JSON it carries. */
    responseBytes: 0,
    responseJsonBytes: 0,
    responseEncoding: 'identity',
    queries: -db.queries,
    queryMs: -db.queryMs,
    transactionMs: -db.transactionMs,
    /** The compressed answer, kept until the JSON size is computed after the timed run. */
    payload: undefined as Buffer | undefined,
  };
}
export type RequestSample = ReturnType<typeof newSample>;

function timedStore(inner: Store, counters: DbCounters): Store {
  const timed = (runner: Queryable): Queryable => ({
    async query(sql, params) {
      const started = performance.now();
      try {
        return await runner.query(sql, params);
      } finally {
        const ms = performance.now() - started;
        counters.queries += 1;
        counters.queryMs += ms;
        const key = `${counters.current} | ${sql.replace(/\s+/g, ' ').trim().slice(0, 70)}`;
        const entry = counters.bySql.get(key) ?? { n: 0, ms: 0 };
        entry.n += 1;
        entry.ms += ms;
        counters.bySql.set(key, entry);
      }
    },
    exec: (sql) => runner.exec(sql),
  });
  const direct = timed(inner);
  return {
    kind: inner.kind,
    query: (sql, params) => direct.query(sql, params),
    exec: (sql) => direct.exec(sql),
    async transaction(work) {
      const started = performance.now();
      try {
        return await inner.transaction((tx) => work(timed(tx)));
      } finally {
        counters.transactions += 1;
        counters.transactionMs += performance.now() - started;
      }
    },
    close: () => inner.close(),
  };
}

export const kindOfUrl = (url: string): Kind =>
  url.includes('/api/v1/sync/push') ? 'push' : url.includes('/api/v1/sync/pull') ? 'pull' : 'other';

/** Bytes each way (HTTP headers included) of one kind of request between two proxy snapshots. */
export const wireSince = (counters: ProxyStats, before: ProxyStats, kind: Kind) => ({
  up: (counters.up[kind] ?? 0) - (before.up[kind] ?? 0),
  down: (counters.down[kind] ?? 0) - (before.down[kind] ?? 0),
});

export interface BenchServer {
  /** Through the counting proxy: what the browser uses. */
  url: string;
  /** Straight to the server: enrolment and seeding from Node, not counted. */
  directUrl: string;
  store: Store;
  db: DbCounters;
  proxy: LoopbackProxy;
  samples: RequestSample[];
  close(): Promise<void>;
}

export interface BenchServerOptions {
  faults?: ProxyOptions['faults'];
  /** A fresh PostgreSQL database to run on instead of PGlite. */
  databaseUrl?: string | undefined;
  /** The proxy's port, the origin the browser sees (default: any free one). */
  port?: number;
}

export async function startBenchServer(staticDir: string, options: BenchServerOptions = {}): Promise<BenchServer> {
  const { faults, databaseUrl } = options;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-bench-sync-pg-'));
  let app: FastifyInstance | undefined;
  let raw: Store | undefined;
  const stop = async () => {
    await app?.close().catch(() => undefined);
    await raw?.close().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    if (!databaseUrl) await copyEmptyPglite(dataDir);
    raw = databaseUrl ? await openPostgresStore(databaseUrl) : await openPgliteStore(dataDir);
    await runMigrations(raw);
    const db: DbCounters = {
      queries: 0,
      queryMs: 0,
      transactions: 0,
      transactionMs: 0,
      bySql: new Map(),
      current: 'other',
    };
    const store = timedStore(raw, db);
    app = await buildApp({ store, staticDir });
    const samples: RequestSample[] = [];
    const open = new WeakMap<object, RequestSample>();
    app.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/api/')) return;
      db.current = kindOfUrl(request.url);
      open.set(request, newSample(request, db));
    });
    app.addHook('preHandler', async (request) => {
      const sample = open.get(request);
      if (sample) sample.handler = performance.now();
    });
    // Added after buildApp's compression hook, so it sees the body as it goes on the wire.
    app.addHook('onSend', async (request, reply, payload) => {
      const sample = open.get(request);
      if (sample) {
        sample.responseEncoding = String(reply.getHeader('content-encoding') ?? 'identity');
        if (Buffer.isBuffer(payload)) {
          sample.responseBytes = payload.length;
          if (sample.responseEncoding === 'gzip') sample.payload = payload;
          else sample.responseJsonBytes = payload.length;
        } else if (typeof payload === 'string') {
          sample.responseBytes = sample.responseJsonBytes = Buffer.byteLength(payload);
        }
      }
      return payload;
    });
    app.addHook('onResponse', async (request, reply) => {
      const sample = open.get(request);
      if (!sample) return;
      sample.end = performance.now();
      sample.status = reply.statusCode;
      db.current = 'other';
      sample.queries += db.queries;
      sample.queryMs += db.queryMs;
      sample.transactionMs += db.transactionMs;
      samples.push(sample);
    });
    const directUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const proxy = await startProxy({
      targetPort: Number(new URL(directUrl).port),
      classify: kindOfUrl,
      ...(faults ? { faults } : {}),
      ...(options.port ? { listenPort: options.port } : {}),
    });
    return {
      url: proxy.url,
      directUrl,
      store,
      db,
      proxy,
      samples,
      async close() {
        await proxy.close();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Fills in the JSON size of gzipped answers (after the timed part: gunzip costs time). */
export function settlePayloads(samples: readonly RequestSample[]) {
  for (const s of samples) {
    if (s.payload) {
      s.responseJsonBytes = gunzipSync(s.payload).length;
      s.payload = undefined;
    }
  }
}

/** Live records on the server by entity. */
export async function countServerRecords(store: Store): Promise<Record<string, number>> {
  const rows = await store.query<{ entity: string; n: string }>(
    'SELECT entity, count(*)::text AS n FROM records WHERE commune_code = $1 AND NOT deleted GROUP BY entity',
    [BENCH_COMMUNE_CODE],
  );
  return Object.fromEntries(rows.map((r) => [r.entity, Number(r.n)]));
}
