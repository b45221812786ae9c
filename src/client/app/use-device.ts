import { useLiveQuery } from 'dexie-react-hooks';
import { createContext, createElement, useContext, useMemo, type ReactNode } from 'react';
import type { CommuneSetting } from '../../shared/schemas/commune.schema';
import { readSetting } from '../db/settings.repository';
import type { WriteContext } from '../db/write-context';
import { useServices } from './services';

export interface DeviceState {
  /** undefined while loading; null when the device has no commune yet (first run). */
  readonly commune: CommuneSetting | null | undefined;
  readonly workingYear: number;
}

const DeviceContext = createContext<DeviceState | null>(null);

/** Reads the device's commune and working year once, live, for every screen below it. */
export function DeviceProvider({ children }: { children: ReactNode }) {
  const { db, now } = useServices();
  const state = useLiveQuery(
    async () => ({
      commune: (await readSetting(db, 'commune')) ?? null,
      workingYear: await readSetting(db, 'workingYear'),
    }),
    [db],
  );
  const value = useMemo(
    () => ({ commune: state?.commune, workingYear: state?.workingYear ?? now().getFullYear() }),
    [state, now],
  );
  return createElement(DeviceContext.Provider, { value }, children);
}

/** The device's commune and working year (DeviceProvider must be above). */
export function useDevice(): DeviceState {
  const state = useContext(DeviceContext);
  if (!state) throw new Error('DeviceProvider is missing above this component');
  return state;
}

/** What a repository write needs; call it at the moment of writing so the clock is fresh. */
export function useWriteContext(): () => WriteContext {
  const { now, newId } = useServices();
  const { commune } = useDevice();
  return useMemo(
    () => () => {
      if (!commune) throw new Error('no commune is set up on this device');
      return { now: now(), newId, communeCode: commune.communeCode };
    },
    [commune, now, newId],
  );
}
