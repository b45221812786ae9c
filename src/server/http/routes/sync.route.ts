import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { API_PREFIX } from '../../../shared/protocol/api';
import { errorBodySchema } from '../../../shared/protocol/errors.schema';
import {
  MAX_OPS_PER_PUSH,
  MAX_PUSH_BYTES,
  pullQuerySchema,
  pullResponseSchema,
  type PullResponse,
  pushRequestBodySchema,
  pushResponseSchema,
  receiptResponseSchema,
} from '../../../shared/protocol/sync.schema';
import type { Store } from '../../store/store';
import { decodeCursor, FEED_START } from '../../sync/cursor';
import { pullResponseJson, readChanges } from '../../sync/pull';
import { applyPush } from '../../sync/push';
import { readReceipt } from '../../sync/receipt';
import { authenticateDevice, deviceOf, DEVICE_TOKEN_SECURITY } from '../authenticate';
import { gunzipRequestBody } from '../gzip-body';
import { HttpError } from '../http-error';
import type { PushSlots } from '../push-slots';
import { createRetryPacer } from '../retry-pacer';

export interface SyncRouteOptions {
  readonly store: Store;
  readonly now: () => Date;
  /** Pushes in flight at once in this process (the pacer's capacity); `slots` enforces it. */
  readonly maxConcurrentPushes: number;
  /** The push slots (push-slots.ts): a push that finds none free waits a moment, then is answered 503 + Retry-After. */
  readonly slots: PushSlots;
  /** How long a pull may wait for running transactions to release committed changes (pull.ts). */
  readonly pullSettleMs: number;
}

/** The longest Retry-After a refused push is given (the pacer spreads a crowd over the seconds before it). */
const MAX_RETRY_AFTER_SECONDS = 30;
/** What a push is assumed to hold its slot for until one has been measured. */
const INITIAL_PUSH_SERVICE_MS = 100;

const batchTooLarge = () =>
  new HttpError(413, 'batch_too_large', `At most ${MAX_OPS_PER_PUSH} operations and ${MAX_PUSH_BYTES} bytes per push`);

export function registerSyncRoutes(app: FastifyInstance, options: SyncRouteOptions) {
  const { store, now } = options;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const authenticate = authenticateDevice(store);
  const slots = options.slots;
  const pacer = createRetryPacer({
    slots: options.maxConcurrentPushes,
    maxSeconds: MAX_RETRY_AFTER_SECONDS,
    initialServiceMs: INITIAL_PUSH_SERVICE_MS,
  });

  const overloaded = () =>
    new HttpError(503, 'overloaded', 'The server is busy; try again shortly', undefined, {
      'retry-after': String(pacer.nextRetryAfterSeconds()),
    });
  /**
   * Back-pressure, before the push touches the database but only once its body has been read and
   * validated (a preHandler): a bounded number of pushes in flight, so pulls keep a database
   * connection and a crowd of devices syncing after a meeting slows down instead of piling up,
   * while an upload that stalls holds no slot (body-timeouts.ts drops it). A push that finds every
   * slot busy waits a moment for one (a crowd otherwise comes back in waves after Retry-After);
   * beyond that it is answered 503, with a Retry-After that spreads the refused over the coming
   * seconds (retry-pacer.ts). The slot is freed when the response ends or the connection drops.
   */
  const admitPush = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!(await slots.acquire())) throw overloaded();
    // The request stream counts as destroyed once its body is read; the socket says if the device is there.
    if (request.raw.socket.destroyed || reply.raw.destroyed) {
      slots.release(); // the device gave up while it waited: nobody reads this answer
      throw overloaded();
    }
    const admitted = performance.now();
    reply.raw.once('close', () => {
      pacer.noteService(performance.now() - admitted);
      slots.release();
    });
  };

  api.post(
    `${API_PREFIX}/sync/push`,
    {
      bodyLimit: MAX_PUSH_BYTES,
      config: { bodyTooLargeCode: 'batch_too_large' },
      onRequest: authenticate,
      preParsing: gunzipRequestBody(MAX_PUSH_BYTES, batchTooLarge),
      preHandler: admitPush,
      schema: {
        summary: 'Push a batch of operations (applied in seq order, in one transaction; each op answered on its own)',
        tags: ['sync'],
        security: DEVICE_TOKEN_SECURITY,
        body: pushRequestBodySchema,
        response: {
          200: pushResponseSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          413: errorBodySchema,
          503: errorBodySchema,
        },
      },
    },
    async (request) => {
      const device = deviceOf(request);
      if (request.body.deviceId !== device.deviceId)
        throw new HttpError(401, 'unauthorized', 'deviceId does not match the token');
      if (request.body.ops.length > MAX_OPS_PER_PUSH) throw batchTooLarge();
      return applyPush(store, device, request.body, now());
    },
  );

  api.get(
    `${API_PREFIX}/sync/pull`,
    {
      onRequest: authenticate,
      schema: {
        summary: 'Changes in the device scope after a cursor (no cursor: from the beginning)',
        tags: ['sync'],
        security: DEVICE_TOKEN_SECURITY,
        querystring: pullQuerySchema,
        response: { 200: pullResponseSchema, 400: errorBodySchema, 401: errorBodySchema },
      },
    },
    async (request, reply) => {
      const { cursor, limit } = request.query;
      const after = cursor === undefined || cursor === '' ? FEED_START : decodeCursor(cursor);
      if (!after)
        throw new HttpError(400, 'invalid_request', 'The cursor was not made by this server', [
          { path: 'query.cursor', message: 'invalid' },
        ]);
      const page = await readChanges(store, deviceOf(request), after, { limit, settleMs: options.pullSettleMs });
      // The database built the changes' JSON (pull.ts): sent as it is, not parsed and serialised
      // again (the schema above still documents it; tests check the answer against it).
      const body = pullResponseJson(page);
      return reply
        .type('application/json; charset=utf-8')
        .serializer((payload) => String(payload))
        .send(body as unknown as PullResponse);
    },
  );

  api.get(
    `${API_PREFIX}/sync/receipt`,
    {
      onRequest: authenticate,
      schema: {
        summary: 'What the server holds from this device',
        tags: ['sync'],
        security: DEVICE_TOKEN_SECURITY,
        response: { 200: receiptResponseSchema, 401: errorBodySchema },
      },
    },
    async (request) => readReceipt(store, deviceOf(request)),
  );
}
