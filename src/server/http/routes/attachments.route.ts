import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UUID_PATTERN } from '../../../shared/ids';
import { API_PREFIX } from '../../../shared/protocol/api';
import { errorBodySchema } from '../../../shared/protocol/errors.schema';
import { MAX_ATTACHMENT_BYTES } from '../../../shared/protocol/sync.schema';
import type { Store } from '../../store/store';
import { readAttachment, storeAttachment } from '../../sync/attachments';
import { authenticateDevice, deviceOf, DEVICE_TOKEN_SECURITY } from '../authenticate';
import { HttpError } from '../http-error';

/** Evidence photos arrive already compressed by the device (domain/evidence/photo-size.ts). */
const IMAGE_TYPES = ['image/jpeg', 'image/webp'] as const;
type ImageType = (typeof IMAGE_TYPES)[number];

/**
 * Stored photos per commune, all devices together (bytes). Photos leave the device under 300 KB
 * (photo-size.ts): 2 GiB holds some 7,000 of them. Set with ATTACHMENT_QUOTA_MB (config.ts).
 */
export const ATTACHMENT_QUOTA_BYTES_PER_COMMUNE = 2 * 1024 * 1024 * 1024;

/** The bytes start as the declared type's files do: JPEG FF D8 FF, WebP "RIFF" <size> "WEBP". */
function bytesAre(type: ImageType, bytes: Buffer): boolean {
  if (type === 'image/jpeg') return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  return bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP';
}

// The shared contract describes these in prose only (sync-protocol.md, "Attachments").
const uuid = z.string().regex(UUID_PATTERN);
const paramsSchema = z.object({ id: uuid });
const putQuerySchema = z.object({ communeCode: z.string().regex(/^\d{5}$/), recordId: uuid });
const putHeadersSchema = z.object({ 'x-content-sha256': z.string().regex(/^[0-9a-fA-F]{64}$/) });
const storedSchema = z
  .object({ id: uuid, sha256: z.string(), size: z.number().int().nonnegative() })
  .describe('StoredAttachment');

export function registerAttachmentRoutes(
  app: FastifyInstance,
  store: Store,
  now: () => Date,
  quotaBytes: number = ATTACHMENT_QUOTA_BYTES_PER_COMMUNE,
) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const authenticate = authenticateDevice(store);
  app.addContentTypeParser(
    [...IMAGE_TYPES],
    { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES },
    (_request, body, done) => done(null, body),
  );

  api.put(
    `${API_PREFIX}/attachments/:id`,
    {
      bodyLimit: MAX_ATTACHMENT_BYTES,
      onRequest: authenticate,
      schema: {
        summary: 'Upload an evidence photo (raw bytes; idempotent by id)',
        tags: ['attachments'],
        security: DEVICE_TOKEN_SECURITY,
        params: paramsSchema,
        querystring: putQuerySchema,
        headers: putHeadersSchema,
        response: {
          200: storedSchema,
          201: storedSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
          409: errorBodySchema,
          413: errorBodySchema,
          415: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const device = deviceOf(request);
      const contentType =
        String(request.headers['content-type'] ?? '')
          .split(';')[0]
          ?.trim()
          .toLowerCase() ?? '';
      const body: unknown = request.body;
      const imageType = IMAGE_TYPES.find((t) => t === contentType);
      if (!imageType || !Buffer.isBuffer(body)) {
        throw new HttpError(415, 'unsupported_media_type', `Attachments are ${IMAGE_TYPES.join(' or ')}`);
      }
      if (!bytesAre(imageType, body))
        throw new HttpError(400, 'content_type_mismatch', `The bytes are not a ${imageType} file`);
      if (request.query.communeCode !== device.communeCode)
        throw new HttpError(403, 'forbidden_scope', 'The record belongs to another commune');
      const sha256 = createHash('sha256').update(body).digest('hex');
      if (sha256 !== request.headers['x-content-sha256'].toLowerCase()) {
        throw new HttpError(400, 'hash_mismatch', 'The bytes do not match X-Content-SHA256');
      }
      const { id } = request.params;
      const outcome = await storeAttachment(
        store,
        device,
        { id, recordId: request.query.recordId, contentType, bytes: body, sha256, now: now() },
        quotaBytes,
      );
      switch (outcome) {
        case 'record_not_found':
          throw new HttpError(404, 'not_found', 'Upload the attachment after the op that references it was applied');
        case 'forbidden':
          throw new HttpError(403, 'forbidden_scope', 'The record lies outside the villages of this device');
        case 'mismatch':
          throw new HttpError(409, 'attachment_mismatch', 'Another attachment with this id is already stored');
        case 'quota_exceeded':
          // A 4xx: the device keeps the photo and goes on syncing (a 5xx would stop its sync run).
          throw new HttpError(
            413,
            'quota_exceeded',
            "The commune's storage for photos is full; the photo stays on the device",
          );
        case 'created':
        case 'exists':
          return reply.code(outcome === 'created' ? 201 : 200).send({ id, sha256, size: body.length });
      }
    },
  );

  api.get(
    `${API_PREFIX}/attachments/:id`,
    {
      onRequest: authenticate,
      schema: {
        summary: 'Download an evidence photo (raw bytes)',
        tags: ['attachments'],
        security: DEVICE_TOKEN_SECURITY,
        // No response schemas: the 200 body is raw bytes; refusals carry the usual error body.
        params: paramsSchema,
      },
    },
    async (request, reply) => {
      const found = await readAttachment(store, deviceOf(request), request.params.id);
      if (found.status === 'not_found') throw new HttpError(404, 'not_found', 'No such attachment');
      if (found.status === 'forbidden')
        throw new HttpError(403, 'forbidden_scope', 'The record lies outside the villages of this device');
      // Content never changes under an id (a different upload is refused): cache it for good.
      return reply
        .type(found.contentType)
        .header('x-content-sha256', found.sha256)
        .header('cache-control', 'private, max-age=31536000, immutable')
        .send(found.bytes);
    },
  );
}
