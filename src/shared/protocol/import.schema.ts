import { z } from 'zod';
import { UUID_PATTERN } from '../ids';
import type { ErrorCode } from './errors.schema';

/**
 * `POST /api/v1/imports`: a device of the commune office sends a whole "Xuất dữ liệu chưa gửi"
 * file (export-file.schema.ts) and the server applies it like a push from the file's device.
 * An export of a phone that was offline for months holds tens of thousands of ops; this bounds
 * the JSON (decompressed, when sent with gzip) the server reads for it.
 */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

const count = z.number().int().nonnegative();

export const importCountsSchema = z.object({ applied: count, duplicate: count, conflict: count, rejected: count });

/** A refused op: where it is in the file and why, never its data. */
export const importRejectionSchema = z.object({
  seq: z.number().int().positive(),
  opId: z.string().regex(UUID_PATTERN),
  code: z.string().describe('validation_failed, unknown_entity or forbidden_scope'),
  message: z.string(),
});
export type ImportRejection = z.infer<typeof importRejectionSchema>;

export const importResponseSchema = z
  .object({
    communeCode: z.string().regex(/^\d{5}$/),
    deviceName: z.string().describe('the name the exporting device gave itself'),
    exportedAt: z.string().datetime({ offset: true }),
    ops: count.describe('changes in the file'),
    isEnrolledDevice: z
      .boolean()
      .describe('the file came from a device enrolled here: its ops count as its own pushes'),
    results: importCountsSchema,
    rejections: z.array(importRejectionSchema).describe('the first rejected ops'),
  })
  .describe('ImportResult');
export type ImportResponse = z.infer<typeof importResponseSchema>;

/** The message (a locale key) the server sends with each refusal of a whole import. */
export const IMPORT_ERROR_MESSAGES = {
  invalid_file: 'errors.import.invalidFile',
  forbidden_scope: 'errors.import.notCommuneDevice',
  commune_mismatch: 'errors.import.otherCommune',
  invalid_signature: 'errors.import.invalidSignature',
  payload_too_large: 'errors.import.tooLarge',
  overloaded: 'errors.import.busy',
} as const satisfies Partial<Record<ErrorCode, string>>;
export type ImportErrorCode = keyof typeof IMPORT_ERROR_MESSAGES;
