import type { Device } from '../auth/devices';

/**
 * Invariant 5 for one record of the device's commune: a village-scoped device reaches records of
 * its villages and commune-wide records (no village), nothing else. Commune scope is enforced by
 * every query naming the device's commune_code.
 */
export function isInScope(device: Pick<Device, 'villageIds'>, villageId: string | null): boolean {
  return device.villageIds === null || villageId === null || device.villageIds.includes(villageId);
}
