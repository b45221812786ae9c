import type { StoragePersistence } from '../db/settings.repository';

/**
 * Asks the browser not to evict this origin's data under storage pressure (peers.md: evicted
 * storage is the field's worst loss). Chrome may grant it silently for installed apps.
 */
export async function requestPersistentStorage(storage: StorageManager | undefined): Promise<StoragePersistence> {
  if (!storage || typeof storage.persist !== 'function') return 'unsupported';
  try {
    if (await storage.persisted()) return 'granted';
    return (await storage.persist()) ? 'granted' : 'denied';
  } catch {
    return 'denied';
  }
}

export interface StorageUse {
  readonly usedBytes: number;
  readonly quotaBytes: number;
}

export async function estimateStorage(storage: StorageManager | undefined): Promise<StorageUse | undefined> {
  if (!storage || typeof storage.estimate !== 'function') return undefined;
  const estimate = await storage.estimate();
  return { usedBytes: estimate.usage ?? 0, quotaBytes: estimate.quota ?? 0 };
}
