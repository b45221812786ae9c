/**
 * One loopback TCP proxy for the benchmarks and the fault tests: it counts the bytes each way (HTTP headers
 * included) per kind of request, counts the requests, and can reset a seeded share of them
 * (half before the request reaches the server, half once the server's answer begins, i.e. after
 * its commit). It listens on 127.0.0.1 and forwards to one local port, nothing else.
 *
 * A chunk from the client that starts with a request line begins a new request on that
 * connection (keep-alive, no pipelining: what browsers and Node's fetch do), so every byte is
 * counted for the request it belongs to, and the dice are rolled per request.
 */
import net from 'node:net';
import { mulberry32 } from '../../src/server/admin/demo/rng';

export interface ProxyStats {
  connections: number;
  /** Per kind (see `classify`): requests started, bytes client → server and server → client. */
  requests: Record<string, number>;
  up: Record<string, number>;
  down: Record<string, number>;
  /** Requests cut before the server saw them, and answers cut after the server committed. */
  resetBefore: number;
  resetAfter: number;
}

export interface LoopbackProxy {
  readonly port: number;
  readonly url: string;
  readonly stats: ProxyStats;
  /** A copy of the counters now, to subtract later (`since`). */
  snapshot(): ProxyStats;
  close(): Promise<void>;
}

export interface ProxyOptions {
  targetPort: number;
  /** Names the kind of a request from its URL; default: everything is 'other'. */
  classify?: (url: string) => string;
  /** Reset this share of requests (0..1), with a seeded PRNG so a run can be replayed. */
  faults?: {
    resetRate: number;
    seed: number;
    /** Only requests of these kinds are at risk (default: all). */ kinds?: readonly string[];
  };
  /** The port to listen on (default: any free one); a bench reuses one so the browser sees the same origin. */
  listenPort?: number;
}

const REQUEST_LINE = /^(?:GET|POST|PUT|DELETE|HEAD|PATCH|OPTIONS|COPY) (\S+)/;

const add = (record: Record<string, number>, key: string, n: number) => {
  record[key] = (record[key] ?? 0) + n;
};

export function copyStats(stats: ProxyStats): ProxyStats {
  return { ...stats, requests: { ...stats.requests }, up: { ...stats.up }, down: { ...stats.down } };
}

/** Totals between two snapshots, over every kind or over the kinds given. */
export function trafficSince(after: ProxyStats, before: ProxyStats, kinds?: readonly string[]) {
  const keys = kinds ?? [
    ...new Set([...Object.keys(after.up), ...Object.keys(after.down), ...Object.keys(after.requests)]),
  ];
  const delta = (a: Record<string, number>, b: Record<string, number>) =>
    keys.reduce((sum, k) => sum + (a[k] ?? 0) - (b[k] ?? 0), 0);
  return {
    up: delta(after.up, before.up),
    down: delta(after.down, before.down),
    requests: delta(after.requests, before.requests),
    resets: after.resetBefore - before.resetBefore + after.resetAfter - before.resetAfter,
  };
}

export async function startProxy(options: ProxyOptions): Promise<LoopbackProxy> {
  const classify = options.classify ?? (() => 'other');
  const rate = options.faults?.resetRate ?? 0;
  const random = mulberry32(options.faults?.seed ?? 1);
  const stats: ProxyStats = { connections: 0, requests: {}, up: {}, down: {}, resetBefore: 0, resetAfter: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    stats.connections += 1;
    let kind = 'other';
    let fate: 'pass' | 'before' | 'after' = 'pass';
    const upstream = net.connect(options.targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const cleanup = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    const reset = () => {
      client.resetAndDestroy();
      cleanup();
    };
    client.on('data', (chunk: Buffer) => {
      const line = REQUEST_LINE.exec(chunk.subarray(0, 512).toString('latin1'));
      if (line?.[1]) {
        kind = classify(line[1]);
        add(stats.requests, kind, 1);
        const atRisk = rate > 0 && (!options.faults?.kinds || options.faults.kinds.includes(kind));
        const roll = atRisk ? random() : 1;
        fate = roll < rate / 2 ? 'before' : roll < rate ? 'after' : 'pass';
      }
      add(stats.up, kind, chunk.length);
      if (fate === 'before') {
        stats.resetBefore += 1;
        reset();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (fate === 'after') {
        stats.resetAfter += 1;
        reset();
        return;
      }
      add(stats.down, kind, chunk.length);
      client.write(chunk);
    });
    for (const socket of [client, upstream]) {
      socket.on('error', cleanup);
      socket.on('close', cleanup);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listenPort ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    url: `http://127.0.0.1:${address.port}`,
    stats,
    snapshot: () => copyStats(stats),
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}
