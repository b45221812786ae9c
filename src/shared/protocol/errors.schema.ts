import { z } from 'zod';

/**
 * The error body of every non-2xx response (sync-protocol.md, "Errors").
 * Codes are snake_case and stable: clients branch on `code`, never on `message`.
 */
export const ERROR_CODES = [
  'invalid_request',
  'invalid_enrollment_code',
  'unauthorized',
  'forbidden_scope',
  'not_found',
  'batch_too_large',
  'payload_too_large',
  'unsupported_media_type',
  'attachment_mismatch',
  'hash_mismatch',
  'content_type_mismatch',
  'quota_exceeded',
  'invalid_file',
  'commune_mismatch',
  'invalid_signature',
  'overloaded',
  'internal_error',
] as const;

export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const errorDetailSchema = z.object({
  path: z.string().describe('Where in the request the problem is, e.g. "body.ops.0.data.name"'),
  message: z.string(),
});
export type ErrorDetail = z.infer<typeof errorDetailSchema>;

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().describe('snake_case error code'),
      message: z.string(),
      details: z.array(errorDetailSchema).optional(),
    }),
  })
  .describe('Body of every non-2xx response');
export type ErrorBody = z.infer<typeof errorBodySchema>;

export function errorBody(code: string, message: string, details?: ErrorDetail[]): ErrorBody {
  return details && details.length > 0 ? { error: { code, message, details } } : { error: { code, message } };
}
