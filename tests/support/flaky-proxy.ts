import { startProxy } from './loopback-proxy';

export interface FlakyProxyStats {
  connections: number;
  /** Reset after the request arrived, before it reached the server: the server never saw it. */
  resetBefore: number;
  /** Reset once the server's answer began: the server committed, the client never hears it. */
  resetAfter: number;
}

/**
 * A TCP proxy on 127.0.0.1 in front of a local server that resets the connection under a seeded
 * share of the HTTP requests, half before the request reaches the server and half after the
 * server has answered (the lost answer after a commit). The loopback proxy of the benchmarks,
 * with faults on and its byte counters unused.
 */
export async function startFlakyProxy(options: { targetPort: number; resetRate: number; seed: number }) {
  const proxy = await startProxy({
    targetPort: options.targetPort,
    faults: { resetRate: options.resetRate, seed: options.seed },
  });
  const stats: FlakyProxyStats = proxy.stats;
  return { port: proxy.port, stats, close: () => proxy.close() };
}
