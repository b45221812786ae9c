import { z } from 'zod';
import { UUID_PATTERN } from '../ids';
import { pushOpSchema } from './sync.schema';

export const EXPORT_FILE_FORMAT = 'so-khuyen-hoc-unsynced';
export const EXPORT_SIGNATURE_ALG = 'HMAC-SHA256';

/**
 * The exporting device's HMAC-SHA256 of exportSigningPayload(file) (export-signature.ts), keyed
 * with SHA-256 of its token. Length-bounded only: a malformed value is a signature that does not
 * match (invalid_signature), not a malformed file.
 */
export const exportSignatureSchema = z.object({
  alg: z.literal(EXPORT_SIGNATURE_ALG),
  value: z.string().max(256),
});
export type ExportSignature = z.infer<typeof exportSignatureSchema>;

/**
 * "Xuất dữ liệu chưa gửi": a device's unsynced ops written to a file, for when the network never
 * comes. The commune office imports it (`npm run admin -- import <file>`, or "Nhập tệp từ thiết bị
 * khác" in the app); the ops apply exactly like a push from that device, so importing twice, or
 * the device pushing later, changes nothing. A device enrolled with a server signs its file; that
 * server imports a file naming one of its devices only with that device's valid signature, so
 * nobody can spend another phone's seqs with a file made in its name.
 */
export const exportFileSchema = z.object({
  format: z.literal(EXPORT_FILE_FORMAT),
  version: z.literal(1),
  exportedAt: z.string().datetime({ offset: true }),
  /** null when the device was never enrolled. */
  deviceId: z.string().regex(UUID_PATTERN).nullable(),
  deviceName: z.string(),
  communeCode: z.string().regex(/^\d{5}$/),
  /** With gap-free seqs, in the order the changes were made. */
  ops: z.array(pushOpSchema),
  /** Absent when the device was never enrolled (and in files written before signing existed). */
  signature: exportSignatureSchema.optional(),
});
export type ExportFile = z.infer<typeof exportFileSchema>;

/**
 * The index of the first op whose seq an earlier op of the file already has, or -1. A device
 * never writes two ops with one seq, so a file that does was edited by hand: it is refused whole.
 */
export function findRepeatedSeq(ops: readonly { seq: number }[]): number {
  const seen = new Set<number>();
  return ops.findIndex((op) => {
    if (seen.has(op.seq)) return true;
    seen.add(op.seq);
    return false;
  });
}
