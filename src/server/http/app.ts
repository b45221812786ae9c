import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { PROTOCOL_VERSION } from '../../shared/protocol/api';
import { registerAdminRoutes } from '../admin/admin-routes';
import type { Store } from '../store/store';
import { installErrorHandling, sendNotFound } from './errors';
import { installResponseCompression } from './compress-response';
import {
  BODY_IDLE_TIMEOUT_MS,
  BODY_MIN_BYTES_PER_SECOND,
  BODY_READ_TIMEOUT_MS,
  installBodyTimeouts,
  type BodyTimeouts,
} from './body-timeouts';
import { createPushSlots, type PushSlots } from './push-slots';
import { installSecurityHeaders } from './security-headers';
import { ATTACHMENT_QUOTA_BYTES_PER_COMMUNE, registerAttachmentRoutes } from './routes/attachments.route';
import { registerDeviceRoutes } from './routes/devices.route';
import { registerHealthRoute } from './routes/health.route';
import { registerImportRoutes } from './routes/imports.route';
import { registerOpenApiRoute } from './routes/openapi.route';
import { registerSyncRoutes } from './routes/sync.route';
import { hasBuiltApp, registerStaticFiles } from './static-files';

/** 1 MiB of JSON plus headroom for a gzip-decoded push batch (sync-protocol.md, limits). */
const BODY_LIMIT_BYTES = 2 * 1024 * 1024;
/**
 * Pushes in flight at once per process. The PostgreSQL pool has 10 connections: 4 for pushes
 * leaves room for pulls, enrolment and health while a crowd of devices pushes. Measured with 200
 * devices on 2 cores (bench/burst): 8 slots gave ~30% more ops/s but a push p99 of 0.7-1.4 s run
 * to run; 6 slots 0.45-1.1 s; 4 slots 0.37-0.62 s, every device's ops acknowledged within ~11 s.
 */
export const MAX_CONCURRENT_PUSHES = 4;
/**
 * A push that finds every slot busy waits up to this long for one before it is answered 503 (with a
 * Retry-After that spreads the refused over the coming seconds: retry-pacer.ts). Measured with 200
 * devices: waiting a moment doubled throughput and cut the 503s by half or more when every refused
 * device came back after the same 1 s; pacing them then took the crowd from ~11 s to ~6.3 s on
 * PostgreSQL with a quarter of the 503s, push p99 staying < 1 s.
 */
export const PUSH_SLOT_WAIT_MS = 200;
/** At most this many pushes wait for a slot (each holds its read body, at most MAX_PUSH_BYTES decoded). */
export const MAX_WAITING_PUSHES = 32;
/** How long a pull may wait for running transactions to release committed changes (sync/pull.ts). */
export const PULL_SETTLE_MS = 2000;

export interface AppOptions {
  readonly store: Store;
  /** Folder of the built PWA; omitted or not built means API only. */
  readonly staticDir?: string;
  readonly logger?: FastifyServerOptions['logger'];
  /** The server clock (tests pass a fixed one). */
  readonly now?: () => Date;
  readonly maxConcurrentPushes?: number;
  /** How long a push may wait for a free slot, and how many may wait (sync.route.ts). */
  readonly pushSlotWaitMs?: number;
  readonly maxWaitingPushes?: number;
  /** Tests only: push slots shared with the test, which can hold one (push-slots.ts); built from the three options above otherwise. */
  readonly pushSlots?: PushSlots;
  /** Request body limits (body-timeouts.ts); tests pass short ones. */
  readonly bodyTimeouts?: Partial<BodyTimeouts>;
  readonly pullSettleMs?: number;
  /** Bytes of photos stored per commune (attachments.route.ts). */
  readonly attachmentQuotaBytes?: number;
  /** Set: the local admin channel (POST /api/admin/<command>, loopback + this token only). */
  readonly adminToken?: string;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Sổ Khuyến học sync API',
        description: 'Wire contract between devices and the commune server (sync protocol version 1).',
        version: String(PROTOCOL_VERSION),
      },
      components: {
        securitySchemes: {
          deviceToken: { type: 'http', scheme: 'bearer', description: 'The token a device received at enrolment' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  const spaFallback =
    options.staticDir && hasBuiltApp(options.staticDir) ? await registerStaticFiles(app, options.staticDir) : undefined;

  installErrorHandling(app, (request, reply) => {
    const pathOnly = request.url.split('?')[0] ?? '';
    // In-app routes (no file extension, outside /api) get the app shell; missing files stay 404.
    const isPageRequest =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !pathOnly.startsWith('/api/') &&
      !/\.[A-Za-z0-9]+$/.test(pathOnly);
    return spaFallback && isPageRequest ? spaFallback(reply) : sendNotFound(reply, request.method, request.url);
  });

  installSecurityHeaders(app);
  installResponseCompression(app);
  installBodyTimeouts(app, {
    readTimeoutMs: options.bodyTimeouts?.readTimeoutMs ?? BODY_READ_TIMEOUT_MS,
    minBytesPerSecond: options.bodyTimeouts?.minBytesPerSecond ?? BODY_MIN_BYTES_PER_SECOND,
    idleTimeoutMs: options.bodyTimeouts?.idleTimeoutMs ?? BODY_IDLE_TIMEOUT_MS,
  });
  const now = options.now ?? (() => new Date());
  registerHealthRoute(app, options.store);
  registerOpenApiRoute(app);
  registerDeviceRoutes(app, options.store, now);
  const maxConcurrentPushes = options.maxConcurrentPushes ?? MAX_CONCURRENT_PUSHES;
  registerSyncRoutes(app, {
    store: options.store,
    now,
    maxConcurrentPushes,
    slots:
      options.pushSlots ??
      createPushSlots({
        max: maxConcurrentPushes,
        waitMs: options.pushSlotWaitMs ?? PUSH_SLOT_WAIT_MS,
        maxWaiting: options.maxWaitingPushes ?? MAX_WAITING_PUSHES,
      }),
    pullSettleMs: options.pullSettleMs ?? PULL_SETTLE_MS,
  });
  registerAttachmentRoutes(app, options.store, now, options.attachmentQuotaBytes ?? ATTACHMENT_QUOTA_BYTES_PER_COMMUNE);
  registerImportRoutes(app, { store: options.store, now });
  if (options.adminToken) registerAdminRoutes(app, { store: options.store, token: options.adminToken, now });
  return app;
}
