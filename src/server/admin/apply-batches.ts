import { setImmediate as nextTurn } from 'node:timers/promises';
import { MAX_OPS_PER_PUSH, type PushOp } from '../../shared/protocol/sync.schema';
import type { Device } from '../auth/devices';
import type { Store } from '../store/store';
import { applyPush } from '../sync/push';

export interface PushCounts {
  applied: number;
  duplicate: number;
  conflict: number;
  rejected: number;
}

/** A rejected op, as much as may be shown: its seq, id and the reason, never its data. */
export interface Rejection {
  readonly seq: number;
  readonly opId: string;
  readonly code: string;
  readonly message: string;
}

export interface BatchOutcome {
  readonly counts: PushCounts;
  /** The first MAX_REJECTIONS_SHOWN rejections. */
  readonly rejections: Rejection[];
  /** Stopped between two batches (Ctrl-C); every batch before is complete. */
  readonly interrupted: boolean;
}

const MAX_REJECTIONS_SHOWN = 20;

export function emptyCounts(): PushCounts {
  return { applied: 0, duplicate: 0, conflict: 0, rejected: 0 };
}

/**
 * Applies ops as `device` through applyPush, the function behind POST /sync/push: same
 * validation, scope, re-scoring and applied_ops, so what the seed or an import stores is exactly
 * what a device's push would have stored, and a re-run is answered from the recorded results.
 * Batches hold at most a push's 500 ops and go in the order given (seq order for a device file).
 */
export async function applyInBatches(
  store: Store,
  device: Device,
  ops: readonly PushOp[],
  ctx: { now: () => Date; signal?: AbortSignal | undefined },
): Promise<BatchOutcome> {
  const counts = emptyCounts();
  const rejections: Rejection[] = [];
  for (let start = 0; start < ops.length; start += MAX_OPS_PER_PUSH) {
    // A turn of the event loop: PGlite answers through promises only, so without it a signal
    // (Ctrl-C) or a closed admin request would not be noticed until the very end.
    await nextTurn();
    if (ctx.signal?.aborted) return { counts, rejections, interrupted: true };
    const batch = ops.slice(start, start + MAX_OPS_PER_PUSH);
    const response = await applyPush(store, device, { protocol: 1, deviceId: device.deviceId, ops: batch }, ctx.now());
    response.results.forEach((result, index) => {
      counts[result.status] += 1;
      const op = batch[index];
      if (result.status === 'rejected' && op && rejections.length < MAX_REJECTIONS_SHOWN) {
        rejections.push({ seq: op.seq, opId: op.opId, code: result.error.code, message: result.error.message });
      }
    });
  }
  return { counts, rejections, interrupted: false };
}
