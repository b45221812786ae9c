import { z } from 'zod';
import { UUID_PATTERN } from '../ids';
import { pushOpSchema } from './sync.schema';

export const EXPORT_FILE_FORMAT = 'so-khuyen-hoc-unsynced';

/**
 * "Xuất dữ liệu chưa gửi": a device's unsynced ops written to a file, for when the network never
 * comes. The commune office imports it (`npm run admin -- import <file>`); the ops apply exactly
 * like a push from that device, so importing twice, or the device pushing later, changes nothing.
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
