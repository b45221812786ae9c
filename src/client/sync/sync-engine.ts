import type { ExportFile } from '../../shared/protocol/export-file.schema';
import type { ImportResponse } from '../../shared/protocol/import.schema';
import type { AppDatabase } from '../db/db';
import { pruneOrphanPhotos } from '../db/attachment.repository';
import { pullChanges, type PullProgress } from './apply-pull';
import { pushOutbox, type PushRefused, type PushSummary } from './push-outbox';
import { uploadAttachments } from './upload-attachments';
import type { SyncTransport, TransportFailure, TransportResult } from './transport';

export type SyncStatus = 'idle' | 'pushing' | 'pulling' | 'offline' | 'error' | 'blocked';

/**
 * The sync failed on the device itself (IndexedDB refused a write, a bug): nothing that was written
 * is lost, the status says "will retry", and the scheduler tries again with its backoff. Without
 * this the exception left the status at "pushing" (the button disabled) and the scheduler stopped.
 */
export interface DeviceFailure {
  readonly ok: false;
  readonly kind: 'device';
  /** `storage_full`: the phone has no room left (the person must free some); else `unexpected`. */
  readonly reason: 'storage_full' | 'unexpected';
}

/** IndexedDB's quota error, as the browser raises it or as Dexie wraps it (`inner`). */
function isStorageFull(error: unknown): boolean {
  const named = (e: unknown) =>
    typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'QuotaExceededError';
  return named(error) || named((error as { inner?: unknown } | null)?.inner);
}

export type { PushRefused } from './push-outbox';
export type SyncFailure = TransportFailure | DeviceFailure | PushRefused;

export interface SyncState {
  readonly status: SyncStatus;
  /** The last failure, for the status badge (Vietnamese text comes from its kind). */
  readonly failure?: SyncFailure;
  readonly pull?: PullProgress;
  readonly lastPush?: PushSummary;
  /** Sync runs finished so far (success or not): lets a watcher tell this run's end from the last. */
  readonly completedRuns?: number;
}

export type SyncOutcome = { ok: true; push: PushSummary; received: number } | { ok: false; failure: SyncFailure };

export interface SyncEngine {
  /** Push everything, then pull everything. Concurrent calls share one run. */
  syncNow(): Promise<SyncOutcome>;
  getState(): SyncState;
  /** Fetches a photo taken on another device and keeps it here (uploaded: the server has it). */
  fetchAttachment(id: string, ownerKey: string, criterionId: string): Promise<boolean>;
  /** What the server holds from this device ("đã nhận tại xã"). */
  checkReceipt(): ReturnType<SyncTransport['receipt']>;
  /**
   * Sends another device's export file for the server to apply (the commune office's import).
   * This device's outbox is not touched; once the server has applied it, a sync starts so the
   * imported records come down with the normal pull.
   */
  importFile(file: ExportFile): Promise<TransportResult<ImportResponse>>;
  subscribe(listener: () => void): () => void;
}

/** The pixel size of a photo, when the browser can decode it here (thumbnails need the ratio). */
async function imageSize(blob: Blob): Promise<{ width: number; height: number }> {
  if (typeof createImageBitmap !== 'function') return { width: 4, height: 3 };
  try {
    const bitmap = await createImageBitmap(blob);
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    return { width: 4, height: 3 };
  }
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
    try {
      return await runSteps();
    } catch (error) {
      // The error's name only (e.g. QuotaExceededError): a message could carry a record's content.
      console.error('sync failed on the device:', error instanceof Error ? error.name : 'unknown');
      const failure: DeviceFailure = {
        ok: false,
        kind: 'device',
        reason: isStorageFull(error) ? 'storage_full' : 'unexpected',
      };
      set({ status: 'error', failure });
      return { ok: false, failure };
    }
  };

  const runSteps = async (): Promise<SyncOutcome> => {
    set({ status: 'pushing', failure: undefined });
    const pushed = await pushOutbox(db, transport, deviceId, clock);
    if (!pushed.ok && pushed.kind !== 'push_refused') {
      set({ status: statusAfter(pushed), failure: pushed });
      return { ok: false, failure: pushed };
    }
    // A refused push (the server will not take what is at the head of the outbox) does not stop
    // the rest of the run: photos of applied records still go up and the commune's changes still
    // come down. The run then ends `blocked` with the server's reason (the sync card shows it).
    const photos = await uploadAttachments(db, transport);
    if (!photos.ok) {
      set({ status: statusAfter(photos), failure: photos });
      return { ok: false, failure: photos };
    }
    // Housekeeping, local only: a failure here must not fail the sync (it is tried again next run).
    await pruneOrphanPhotos(db, clock()).catch(() => 0);
    set({ status: 'pulling', ...(pushed.ok ? { lastPush: pushed.summary } : {}) });
    const pulled = await pullChanges(db, transport, clock, (pull) => set({ pull }));
    if (!pulled.ok) {
      set({ status: statusAfter(pulled), failure: pulled });
      return { ok: false, failure: pulled };
    }
    if (!pushed.ok) {
      set({ status: 'blocked', failure: pushed });
      return { ok: false, failure: pushed };
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

  const syncNow = () => {
    running ??= exclusive().finally(() => {
      running = undefined;
      set({ completedRuns: (state.completedRuns ?? 0) + 1 });
    });
    return running;
  };

  return {
    syncNow,
    getState: () => state,
    checkReceipt: () => transport.receipt(),
    async importFile(file) {
      if (!transport.importFile) return { ok: false, kind: 'refused' };
      const answer = await transport.importFile(file);
      if (answer.ok) void syncNow();
      return answer;
    },
    async fetchAttachment(id, ownerKey, criterionId) {
      if (!transport.getAttachment || (await db.attachments.get(id))) return false;
      const answer = await transport.getAttachment(id);
      if (!answer.ok) return false;
      const blob = answer.value;
      const size = await imageSize(blob);
      await db.attachments.put({
        id,
        ownerKey,
        criterionId,
        blob,
        mimeType: blob.type === 'image/webp' ? 'image/webp' : 'image/jpeg',
        bytes: blob.size,
        width: size.width,
        height: size.height,
        createdAt: clock().toISOString(),
        uploaded: 1,
      });
      return true;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
