import { z } from 'zod';
import { UUID_PATTERN } from '../ids';
import { deviceNameSchema } from '../schemas/device.schema';

/** Limits of protocol version 1 (sync-protocol.md). */
export const MAX_OPS_PER_PUSH = 500;
export const MAX_PUSH_BYTES = 1024 * 1024;
export const PULL_LIMIT_DEFAULT = 1000;
export const PULL_LIMIT_MAX = 5000;
export const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024;

const uuid = z.string().regex(UUID_PATTERN);
const communeCode = z.string().regex(/^\d{5}$/);
const isoTime = z.string().datetime({ offset: true });

/** A record as the server stores it and pull returns it (sync-protocol.md, "Record envelope"). */
export const recordEnvelopeSchema = z
  .object({
    entity: z.string().describe('household, citizen, clan, village, unit, assessment'),
    id: uuid,
    communeCode,
    version: z.number().int().positive(),
    deleted: z.boolean(),
    updatedAt: isoTime,
    updatedBy: uuid.describe('deviceId of the last writer'),
    data: z.unknown(),
    outOfScope: z
      .literal(true)
      .optional()
      .describe(
        'the record left the villages of this device: data is null; the device removes its copy (sync-protocol.md, "Leaving a scope")',
      ),
  })
  .describe('RecordEnvelope');
export type RecordEnvelope = z.infer<typeof recordEnvelopeSchema>;

export const enrollRequestSchema = z.object({
  code: z.string().min(1).max(64),
  deviceName: deviceNameSchema,
});
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;

export const scopeSchema = z.object({
  communeCode,
  villageIds: z.array(uuid).nullable().describe('null: the whole commune'),
});
export type Scope = z.infer<typeof scopeSchema>;

export const enrollResponseSchema = z.object({
  deviceId: uuid,
  token: z.string().min(20),
  scope: scopeSchema,
  serverTime: isoTime,
});
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;

/** The longest entity name an op may carry (the longest real one is "assessment"). */
export const MAX_ENTITY_NAME_LENGTH = 40;
const seq = z.number().int().positive().describe('Gap-free per device, from 1');

/**
 * One change a device made. `entity` is a plain string on the wire: an unknown one is a
 * per-op rejection (`unknown_entity`), not a failure of the whole request. The server checks
 * each op on its own (sync-protocol.md, "Hostile and broken input"): an op with a usable opId and
 * seq that breaks this schema or the input limits (input-limits.ts) is answered
 * `rejected`/`validation_failed`, and the other ops of the request apply.
 */
export const pushOpSchema = z
  .object({
    opId: uuid,
    seq,
    entity: z.string().min(1).max(MAX_ENTITY_NAME_LENGTH),
    recordId: uuid,
    communeCode: z.string(),
    kind: z.enum(['upsert', 'delete']),
    baseVersion: z.number().int().positive().nullable(),
    data: z.unknown().optional(),
    clientTime: isoTime,
  })
  .meta({ id: 'PushOp' });
export type PushOp = z.infer<typeof pushOpSchema>;

/**
 * What the request as a whole requires of each op: an opId and a seq, without which an op can
 * have no recorded answer (results name the opId, ackSeq counts seqs). The rest of the op is
 * checked op by op (pushOpSchema).
 */
export const pushOpEntrySchema = z.looseObject({ opId: uuid, seq }).meta({
  description:
    'A PushOp. Only opId and seq are checked with the request (400 invalid_request when unusable); ' +
    'any other problem of the op is answered in its result: rejected, validation_failed, with details.',
  // Documents what a device must send (the server's check of the rest is per op, above).
  allOf: [{ $ref: '#/components/schemas/PushOpInput' }],
});
export type PushOpEntry = z.infer<typeof pushOpEntrySchema>;

/** What a device sends: every op well-formed. */
export const pushRequestSchema = z.object({
  protocol: z.literal(1),
  deviceId: uuid,
  ops: z.array(pushOpSchema).min(1),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

/**
 * What the server accepts as a request (the route's body): its shape, with each op only as far
 * as pushOpEntrySchema. More than MAX_OPS_PER_PUSH ops is answered 413 batch_too_large by the
 * route, not 400.
 */
export const pushRequestBodySchema = z.object({
  protocol: z.literal(1),
  deviceId: uuid,
  ops: z.array(pushOpEntrySchema).min(1),
});
export type PushRequestBody = z.infer<typeof pushRequestBodySchema>;

export const OP_REJECTION_CODES = ['validation_failed', 'unknown_entity', 'forbidden_scope'] as const;

const opErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const pushResultSchema = z.discriminatedUnion('status', [
  z.object({ opId: uuid, status: z.literal('applied'), version: z.number().int().positive() }),
  z.object({ opId: uuid, status: z.literal('duplicate'), version: z.number().int().positive().nullable() }),
  z.object({ opId: uuid, status: z.literal('conflict'), current: recordEnvelopeSchema }),
  z.object({ opId: uuid, status: z.literal('rejected'), error: opErrorSchema }),
]);
export type PushResult = z.infer<typeof pushResultSchema>;

export const pushResponseSchema = z.object({
  results: z.array(pushResultSchema),
  ackSeq: z.number().int().nonnegative(),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

export const pullQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(PULL_LIMIT_MAX).default(PULL_LIMIT_DEFAULT),
});

export const pullResponseSchema = z.object({
  changes: z.array(recordEnvelopeSchema),
  cursor: z.string(),
  hasMore: z.boolean(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

export const receiptResponseSchema = z.object({
  deviceId: uuid,
  ackSeq: z.number().int().nonnegative(),
  counts: z.record(z.string(), z.number().int().nonnegative()),
});
export type ReceiptResponse = z.infer<typeof receiptResponseSchema>;
