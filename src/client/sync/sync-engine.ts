import type { AppDatabase } from '../db/db';
import { pullChanges, type PullProgress } from './apply-pull';
import { pushOutbox, type PushSummary } from './push-outbox';
import { uploadAttachments } from './upload-attachments';
import type { SyncTransport, TransportFailure } from './transport';

export type SyncStatus = 'idle' | 'pushing' | 'pulling' | 'offline' | 'error' | 'blocked';

export interface SyncState {
  readonly status: SyncStatus;
  /** The last failure, for the status badge (Vietnamese text comes from its kind). */
  readonly failure?: TransportFailure;
  readonly pull?: PullProgress;
  readonly lastPush?: PushSummary;
}

export type SyncOutcome = { ok: true; push: PushSummary; received: number } | { ok: false; failure: TransportFailure };

export interface SyncEngine {
  /** Push everything, then pull everything. Concurrent calls share one run. */
  syncNow(): Promise<SyncOutcome>;
  getState(): SyncState;
  /** What the server holds from this device ("đã nhận tại xã"). */
  checkReceipt(): ReturnType<SyncTransport['receipt']>;
  subscribe(listener: () => void): () => void;
}

/** Name of the Web Lock that keeps two tabs of the app from syncing at the same time. */
const SYNC_LOCK = 'so-khuyen-hoc-sync';

function statusAfter(failure: TransportFailure): SyncStatus {
  if (failure.kind === 'offline') return 'offline';
  if (failure.kind === 'unauthorized') return 'blocked';
  return 'error';
}

/**
 * The device's sync engine. Everything it knows lives in this closure and in IndexedDB; nothing
 * at module level. The UI reads `getState()` and calls `syncNow()`; it never sets the status.
 */
export function createSyncEngine(options: {
  db: AppDatabase;
  transport: SyncTransport;
  deviceId: string;
  clock: () => Date;
  locks?: LockManager;
}): SyncEngine {
  const { db, transport, deviceId, clock } = options;
  let state: SyncState = { status: 'idle' };
  let running: Promise<SyncOutcome> | undefined;
  const listeners = new Set<() => void>();
  const set = (next: Partial<SyncState>) => {
    state = { ...state, ...next };
    listeners.forEach((l) => l());
  };

  const run = async (): Promise<SyncOutcome> => {
    set({ status: 'pushing', failure: undefined });
    const pushed = await pushOutbox(db, transport, deviceId, clock);
    if (!pushed.ok) {
      set({ status: statusAfter(pushed), failure: pushed });
      return { ok: false, failure: pushed };
    }
    const photos = await uploadAttachments(db, transport);
    if (!photos.ok) {
      set({ status: statusAfter(photos), failure: photos });
      return { ok: false, failure: photos };
    }
    set({ status: 'pulling', lastPush: pushed.summary });
    const pulled = await pullChanges(db, transport, clock, (pull) => set({ pull }));
    if (!pulled.ok) {
      set({ status: statusAfter(pulled), failure: pulled });
      return { ok: false, failure: pulled };
    }
    set({ status: 'idle' });
    return { ok: true, push: pushed.summary, received: pulled.received };
  };

  const exclusive = (): Promise<SyncOutcome> => {
    const locks = options.locks;
    if (!locks) return run();
    // Another tab holds the lock: it is syncing the same database; this one waits its turn.
    return locks.request(SYNC_LOCK, () => run());
  };

  return {
    syncNow() {
      running ??= exclusive().finally(() => {
        running = undefined;
      });
      return running;
    },
    getState: () => state,
    checkReceipt: () => transport.receipt(),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
