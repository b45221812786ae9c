import net from 'node:net';
import { mulberry32 } from '../../src/server/admin/demo/rng';

export interface FlakyProxyStats {
  connections: number;
  /** Reset after the request arrived, before it reached the server: the server never saw it. */
  resetBefore: number;
  /** Reset once the server's answer began: the server committed, the client never hears it. */
  resetAfter: number;
}

const REQUEST_LINE = /^(GET|POST|PUT|DELETE|HEAD|PATCH|OPTIONS) \//;

/**
 * A TCP proxy on 127.0.0.1 in front of a local server that resets the connection under a share
 * of the HTTP requests, half before the request reaches the server and half after the server has answered (the lost
 * answer after a commit). Loopback only; it forwards to one local port and nothing else.
 */
export async function startFlakyProxy(options: { targetPort: number; resetRate: number; seed: number }) {
  // Seeded (the demo register's mulberry32), so a failing run can be replayed.
  const random = mulberry32(options.seed);
  const stats: FlakyProxyStats = { connections: 0, resetBefore: 0, resetAfter: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    stats.connections += 1;
    sockets.add(client);
    // fetch keeps connections alive, so the dice are rolled per HTTP request, not per connection:
    // a chunk that starts with a request line begins a new request.
    let mode: 'pass' | 'before' | 'after' = 'pass';
    const upstream = net.connect(options.targetPort, '127.0.0.1');
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
    client.on('error', cleanup);
    upstream.on('error', cleanup);
    client.on('close', cleanup);
    upstream.on('close', cleanup);
    client.on('data', (chunk) => {
      if (REQUEST_LINE.test(chunk.subarray(0, 16).toString('latin1'))) {
        const roll = random();
        mode = roll < options.resetRate / 2 ? 'before' : roll < options.resetRate ? 'after' : 'pass';
      }
      if (mode === 'before') {
        stats.resetBefore += 1;
        reset();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (mode === 'after') {
        stats.resetAfter += 1;
        reset();
        return;
      }
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}
