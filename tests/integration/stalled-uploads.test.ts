import net from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  enrollDevice,
  newId,
  opBuilder,
  pushOps,
  startSyncServer,
  villageData,
  type EnrolledDevice,
  type SyncServer,
} from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

let communeCounter = 0;
const freshCommune = () => String(33500 + (communeCounter += 1));

/** A raw socket that sends a push's headers and `sent` bytes of its body, then holds still (or trickles). */
function openUpload(server: SyncServer, device: EnrolledDevice, body: string, sent: number) {
  const { port } = new URL(server.baseUrl);
  const socket = net.connect(Number(port), '127.0.0.1');
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const opened = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const head = [
    'POST /api/v1/sync/push HTTP/1.1',
    'Host: 127.0.0.1',
    'Content-Type: application/json',
    `Authorization: Bearer ${device.token}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    '',
  ].join('\r\n');
  const written = opened.then(
    () => new Promise<void>((resolve) => socket.write(head + body.slice(0, sent), () => resolve())),
  );
  return { socket, closed, written };
}

function pushBody(device: EnrolledDevice, count: number) {
  const ops = opBuilder(device.scope.communeCode);
  return JSON.stringify({
    protocol: 1,
    deviceId: device.deviceId,
    ops: Array.from({ length: count }, () => ops.upsert('village', newId(), villageData())),
  });
}

describe.each(STORE_CASES)('stalled uploads on $kind', (storeCase) => {
  it('six half-sent pushes hold no push slot: other devices still get 200, and the stalled sockets are closed', async () => {
    // Four slots (the default); short body limits so the test sees the sockets closed.
    const server = await startSyncServer(storeCase, { bodyTimeouts: { idleTimeoutMs: 3000, readTimeoutMs: 4000 } });
    let stalled: ReturnType<typeof openUpload>[] = [];
    try {
      const communeCode = freshCommune();
      stalled = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const device = await enrollDevice(server.baseUrl, server.store, { communeCode });
          const body = pushBody(device, 20);
          return openUpload(server, device, body, Math.floor(body.length / 2));
        }),
      );
      await Promise.all(stalled.map((s) => s.written));
      await new Promise((resolve) => setTimeout(resolve, 100)); // let the server read their headers

      const others = await Promise.all(
        Array.from({ length: 3 }, () => enrollDevice(server.baseUrl, server.store, { communeCode })),
      );
      const answers = await Promise.all(
        others.map((device) =>
          pushOps(server.baseUrl, device.token, JSON.parse(pushBody(device, 5)) as Record<string, unknown>),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);

      // Closed by the server, within a generous bound (the test's own timeout).
      await Promise.all(stalled.map((s) => s.closed));
      expect(stalled.every((s) => s.socket.destroyed)).toBe(true);
    } finally {
      for (const s of stalled) s.socket.destroy(); // a failed run must not keep the server from closing
      await server.close();
    }
  }, 30_000);

  it('a body that trickles in slower than the minimum rate is dropped once the read timeout has passed', async () => {
    const server = await startSyncServer(storeCase, {
      bodyTimeouts: { idleTimeoutMs: 5000, readTimeoutMs: 500, minBytesPerSecond: 1000 },
    });
    try {
      const device = await enrollDevice(server.baseUrl, server.store, { communeCode: freshCommune() });
      const body = pushBody(device, 20);
      const upload = openUpload(server, device, body, 10);
      await upload.written;
      // One byte every 50 ms: never idle, about 20 bytes a second.
      let next = 10;
      const trickle = setInterval(() => {
        if (!upload.socket.destroyed && next < body.length - 1) upload.socket.write(body.slice(next, (next += 1)));
      }, 50);
      await upload.closed;
      clearInterval(trickle);
      expect(next).toBeLessThan(body.length - 1);
    } finally {
      await server.close();
    }
  }, 30_000);

  it('a body that arrives at a good pace is read to the end even when it takes longer than the read timeout', async () => {
    const server = await startSyncServer(storeCase, {
      bodyTimeouts: { idleTimeoutMs: 5000, readTimeoutMs: 300, minBytesPerSecond: 100 },
    });
    try {
      const device = await enrollDevice(server.baseUrl, server.store, { communeCode: freshCommune() });
      const body = pushBody(device, 5);
      const upload = openUpload(server, device, body, 0);
      await upload.written;
      let answer = '';
      upload.socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
      // Ten slices 100 ms apart: about a second, some thousand bytes a second.
      const slice = Math.ceil(body.length / 10);
      for (let at = 0; at < body.length; at += slice) {
        upload.socket.write(body.slice(at, at + slice));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise<void>((resolve) => {
        const check = () =>
          answer.includes('\r\n\r\n') || upload.socket.destroyed ? resolve() : setTimeout(check, 20);
        check();
      });
      expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
      upload.socket.destroy();
    } finally {
      await server.close();
    }
  }, 30_000);
});
