import { Transform, pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { HttpError } from './http-error';

/**
 * preParsing hook for bodies sent with `Content-Encoding: gzip` (sync-protocol.md). The limit
 * applies to the DECOMPRESSED size: the stream fails as soon as it inflates past `maxBytes`, so a
 * small "zip bomb" costs at most that much work and memory. `tooLarge` is the refusal to throw.
 */
export function gunzipRequestBody(maxBytes: number, tooLarge: () => HttpError) {
  return async (request: FastifyRequest, _reply: unknown, payload: Readable): Promise<Readable> => {
    const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding === 'identity') return payload;
    if (encoding !== 'gzip')
      throw new HttpError(415, 'unsupported_media_type', `Unsupported Content-Encoding "${encoding}"`);

    let inflated = 0;
    // Fastify compares `receivedEncodedLength` (bytes on the wire) with Content-Length.
    const counter = Object.assign(
      new Transform({
        transform(chunk: Buffer, _enc, done) {
          inflated += chunk.length;
          if (inflated > maxBytes) done(tooLarge());
          else done(null, chunk);
        },
      }),
      { receivedEncodedLength: 0 },
    );
    const onTheWire = new Transform({
      transform(chunk: Buffer, _enc, done) {
        counter.receivedEncodedLength += chunk.length;
        done(null, chunk);
      },
    });
    // A broken gzip stream fails `counter` with zlib's error; Fastify answers it with 400.
    pipeline(payload, onTheWire, createGunzip(), counter, () => undefined);
    return counter;
  };
}
