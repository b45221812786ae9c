import { useLiveQuery } from 'dexie-react-hooks';
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { readSetting } from '../db/settings.repository';
import { createSyncEngine, type SyncEngine } from '../sync/sync-engine';
import { startSyncScheduler } from '../sync/sync-scheduler';
import { createHttpTransport } from '../sync/transport';
import { useServices } from './services';

const SyncContext = createContext<SyncEngine | null>(null);

/**
 * Once the device is enrolled, owns its sync engine and the scheduler that runs it (at start,
 * when the network returns, every few minutes, with backoff after failures).
 */
export function SyncProvider({ children }: { children: ReactNode }) {
  const { db, now, fetch: fetchFn, random } = useServices();
  const account = useLiveQuery(() => readSetting(db, 'syncAccount'), [db]);
  const engine = useMemo(() => {
    if (!account || !fetchFn) return null;
    const transport = createHttpTransport({ serverUrl: account.serverUrl, token: account.token, fetch: fetchFn });
    const locks = typeof navigator !== 'undefined' && 'locks' in navigator ? navigator.locks : undefined;
    return createSyncEngine({ db, transport, deviceId: account.deviceId, clock: now, locks });
  }, [account, db, fetchFn, now]);

  useEffect(() => {
    if (!engine) return;
    return startSyncScheduler(engine, { window, random });
  }, [engine, random]);

  return <SyncContext.Provider value={engine}>{children}</SyncContext.Provider>;
}

/** The sync engine, or null when the device is not enrolled yet. */
export function useSyncEngine(): SyncEngine | null {
  return useContext(SyncContext);
}
