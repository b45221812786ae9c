import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorBody } from '../../shared/protocol/errors.schema';
import { HttpError } from '../http/http-error';
import type { Store } from '../store/store';
import { AdminError } from './admin-error';
import { isAdminCommandName, runAdminCommand } from './commands';

/** The local admin channel's prefix: outside /api/v1, which is the devices' public contract. */
export const ADMIN_PREFIX = '/api/admin';
/** An export file of a device that was offline for months can be large. */
const ADMIN_BODY_LIMIT_BYTES = 64 * 1024 * 1024;
const BEARER = /^Bearer\s+(\S+)\s*$/;

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (a dual-stack listener reports those). */
function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** A proxy on this machine would make a remote caller look local: anything it forwarded is refused. */
function wasForwarded(request: FastifyRequest): boolean {
  return ['forwarded', 'x-forwarded-for', 'x-real-ip'].some((name) => request.headers[name] !== undefined);
}

/**
 * POST /api/admin/<command>: the admin CLI's door into a running server. Checked before the body
 * is read: from another machine (or through a proxy) the routes do not exist (404, as any unknown
 * route); locally they need the admin token (constant-time compare of hashes, so neither timing
 * nor length tells anything). A device token is no admin token. Hidden from the OpenAPI document.
 */
export function registerAdminRoutes(app: FastifyInstance, options: { store: Store; token: string; now: () => Date }) {
  const expected = digest(options.token);
  const guard = async (request: FastifyRequest) => {
    if (!isLoopback(request.socket.remoteAddress) || wasForwarded(request)) {
      throw new HttpError(404, 'not_found', `No route ${request.method} ${request.url.split('?')[0] ?? ''}`);
    }
    const presented = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      throw new HttpError(401, 'unauthorized', 'The admin token of this server is required');
    }
  };

  app.post<{ Params: { command: string }; Body: unknown }>(
    `${ADMIN_PREFIX}/:command`,
    { schema: { hide: true }, bodyLimit: ADMIN_BODY_LIMIT_BYTES, onRequest: guard },
    async (request, reply) => {
      const { command } = request.params;
      if (!isAdminCommandName(command)) throw new HttpError(404, 'not_found', `No admin command ${command}`);
      const controller = new AbortController();
      // The CLI gave up (Ctrl-C): a long command stops between two batches.
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) controller.abort();
      });
      try {
        return await runAdminCommand(options.store, command, request.body, {
          now: options.now,
          signal: controller.signal,
        });
      } catch (error) {
        if (error instanceof AdminError)
          return reply.code(400).type('application/json; charset=utf-8').send(errorBody(error.code, error.message));
        throw error;
      }
    },
  );
}
