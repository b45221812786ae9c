/**
 * One simulated phone's HTTP link: its own keep-alive connection (node:http, like a phone's
 * single connection to the commune server), gzip both ways as the app does, and an exact count of
 * the TCP payload bytes its sockets wrote and read (headers included).
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

export type Answer =
  | {
      readonly kind: 'answer';
      readonly status: number;
      readonly body: unknown;
      readonly retryAfterMs: number | undefined;
      readonly ms: number;
    }
  | { readonly kind: 'network'; readonly message: string; readonly ms: number };

export interface DeviceLink {
  request(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: Buffer; gzip?: boolean; timeoutMs: number },
  ): Promise<Answer>;
  bytes(): number;
  close(): void;
}

export function openDeviceLink(baseUrl: string, token: string): DeviceLink {
  const url = new URL(baseUrl);
  if (url.hostname !== '127.0.0.1') throw new Error(`the burst only talks to 127.0.0.1, not ${url.hostname}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set<Socket>();
  const request: DeviceLink['request'] = (method, path, options) =>
    new Promise((resolve) => {
      const started = performance.now();
      const headers: http.OutgoingHttpHeaders = { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' };
      if (options.body) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = options.body.length;
        if (options.gzip) headers['content-encoding'] = 'gzip';
      }
      let settled = false;
      const settle = (answer: Answer) => {
        if (!settled) {
          settled = true;
          resolve(answer);
        }
      };
      const fail = (error: Error) =>
        settle({ kind: 'network', message: error.message, ms: performance.now() - started });
      const req = http.request({ host: url.hostname, port: url.port, method, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('close', () => {
          if (!res.complete) fail(new Error('connection closed mid-answer'));
        });
        res.on('end', () => {
          try {
            const raw = Buffer.concat(chunks);
            const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
            const seconds = Number(res.headers['retry-after']);
            settle({
              kind: 'answer',
              status: res.statusCode ?? 0,
              body: text.length > 0 ? JSON.parse(text) : null,
              retryAfterMs:
                Number.isFinite(seconds) && res.headers['retry-after'] !== undefined ? seconds * 1000 : undefined,
              ms: performance.now() - started,
            });
          } catch (error) {
            fail(error instanceof Error ? error : new Error(String(error)));
          }
        });
      });
      req.on('socket', (socket) => sockets.add(socket));
      req.on('error', fail);
      req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
      req.end(options.body);
    });
  return {
    request,
    bytes: () => [...sockets].reduce((sum, s) => sum + s.bytesWritten + s.bytesRead, 0),
    close: () => agent.destroy(),
  };
}
