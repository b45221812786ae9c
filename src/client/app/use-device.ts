import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import type { CommuneSetting } from '../../shared/schemas/commune.schema';
import { readSetting } from '../db/settings.repository';
import type { WriteContext } from '../db/write-context';
import { useServices } from './services';

export interface DeviceState {
  /** undefined while loading; null when the device has no commune yet (first run). */
  readonly commune: CommuneSetting | null | undefined;
  readonly workingYear: number;
}

/** The device's commune and working year, live from the settings table. */
export function useDevice(): DeviceState {
  const { db, now } = useServices();
  const state = useLiveQuery(async () => ({
    commune: (await readSetting(db, 'commune')) ?? null,
    workingYear: await readSetting(db, 'workingYear'),
  }), [db]);
  return { commune: state?.commune, workingYear: state?.workingYear ?? now().getFullYear() };
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
