import { Transform, pipeline, type Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';

/** How long a request body may take to arrive before its pace is looked at (milliseconds). */
export const BODY_READ_TIMEOUT_MS = 30_000;
/**
 * A body still arriving after BODY_READ_TIMEOUT_MS goes on only while it has averaged at least this
 * many bytes per second since it started (128 kbit/s): a 2 MiB photo or a large import on a slow
 * link still gets through, a trickle does not.
 */
export const BODY_MIN_BYTES_PER_SECOND = 16 * 1024;
/** A body that delivers no byte for this long is dropped at once, whatever its pace so far (milliseconds). */
export const BODY_IDLE_TIMEOUT_MS = 10_000;

export interface BodyTimeouts {
  readonly readTimeoutMs: number;
  readonly minBytesPerSecond: number;
  readonly idleTimeoutMs: number;
}

/**
 * Drops request bodies that stall (no byte for `idleTimeoutMs`) or crawl (slower on average than
 * `minBytesPerSecond` once `readTimeoutMs` has passed) by closing the connection: a phone that left
 * the Wi-Fi mid-upload leaves no socket open for minutes (Node's own limit is 300 s). Nothing is
 * answered: whoever sends that slowly is gone or is not a device worth an answer. Counts the bytes
 * on the wire, before any gzip-body hook of the route (global hooks run first).
 */
export function installBodyTimeouts(app: FastifyInstance, limits: BodyTimeouts) {
  app.addHook('preParsing', async (request, _reply, payload: Readable) => {
    if (request.method === 'GET' || request.method === 'HEAD') return payload;
    const started = performance.now();
    let received = 0;
    const timers: { idle?: NodeJS.Timeout; pace?: NodeJS.Timeout } = {};
    const clearTimers = () => {
      clearTimeout(timers.idle);
      clearTimeout(timers.pace);
    };
    const drop = () => {
      clearTimers();
      request.raw.socket.destroy();
    };
    // Past the read timeout the pace is looked at again every idle period while the body arrives.
    const checkPace = () => {
      const seconds = (performance.now() - started) / 1000;
      if (received < limits.minBytesPerSecond * seconds) drop();
      else timers.pace = setTimeout(checkPace, limits.idleTimeoutMs);
    };
    timers.idle = setTimeout(drop, limits.idleTimeoutMs);
    timers.pace = setTimeout(checkPace, limits.readTimeoutMs);
    const counted = Object.assign(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          received += chunk.length;
          counted.receivedEncodedLength = received;
          timers.idle?.refresh();
          done(null, chunk);
        },
        flush(done) {
          clearTimers();
          done();
        },
      }),
      // Fastify compares this (bytes on the wire) with Content-Length.
      { receivedEncodedLength: 0 },
    );
    pipeline(payload, counted, () => clearTimers());
    return counted;
  });
}
