import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

const gzipAsync = promisify(gzip);
/** Below this, gzip's own header and CPU cost outweigh the bytes saved. */
const COMPRESS_MIN_BYTES = 1024;

/**
 * Gzips JSON answers of the API when the client accepts it (sync-protocol.md): a pull page of a
 * thousand records shrinks several times, which matters on 2G/3G. Photos are already compressed
 * and static files are served by @fastify/static: both are left alone.
 */
export function installResponseCompression(app: FastifyInstance) {
  app.addHook('onSend', async (request, reply, payload) => {
    const isJson = /^application\/json/.test(String(reply.getHeader('content-type') ?? ''));
    const accepts = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    if (!isJson || !accepts || reply.hasHeader('content-encoding') || typeof payload !== 'string') return payload;
    if (Buffer.byteLength(payload) < COMPRESS_MIN_BYTES) return payload;
    reply.header('content-encoding', 'gzip');
    reply.header('vary', 'accept-encoding');
    reply.removeHeader('content-length');
    return gzipAsync(payload);
  });
}
