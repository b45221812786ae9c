import { useLiveQuery } from 'dexie-react-hooks';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { readSetting, type SettingValue } from '../db/settings.repository';
import type { SyncEngine } from '../sync/sync-engine';
import { useServices } from './services';

const SyncContext = createContext<SyncEngine | null>(null);

/**
 * Once the device is enrolled, owns its sync engine and the scheduler that runs it (at start,
 * when the network returns, every few minutes, with backoff after failures). The engine's code
 * loads after the first screen is up: it is in the field area (precached) but not in the
 * start-up JavaScript.
 */
export function SyncProvider({ children }: { children: ReactNode }) {
  const { db, now, fetch: fetchFn, random } = useServices();
  const account = useLiveQuery(() => readSetting(db, 'syncAccount'), [db]);
  const [running, setRunning] = useState<{ account: SettingValue<'syncAccount'>; engine: SyncEngine }>();

  useEffect(() => {
    if (!account || !fetchFn) return;
    let stop: (() => void) | undefined;
    let stopped = false;
    void import('./sync-runtime').then(({ startSync }) => {
      if (stopped) return;
      const started = startSync({ db, account, fetch: fetchFn, clock: now, random });
      stop = started.stop;
      setRunning({ account, engine: started.engine });
    });
    return () => {
      stopped = true;
      stop?.();
    };
  }, [account, db, fetchFn, now, random]);

  // An engine started for an account that has since changed (or gone) is not handed out.
  const engine = running && running.account === account ? running.engine : null;
  return <SyncContext.Provider value={engine}>{children}</SyncContext.Provider>;
}

/** The sync engine, or null when the device is not enrolled yet (or its code is still loading). */
export function useSyncEngine(): SyncEngine | null {
  return useContext(SyncContext);
}
