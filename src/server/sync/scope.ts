import type { Device } from '../auth/devices';

/**
 * The stored village of a dependant whose village the server cannot tell yet (its household or
 * subject is not on the server). NULL means commune-wide (clans, units without a village), which
 * every device receives; this stand-in keeps such a record away from village devices while the
 * village feed index (commune_code, village_id, txid, change_seq) still serves their pull.
 * The nil uuid is no village: scope checks refuse it even if a village record were given that id.
 */
export const PENDING_VILLAGE = '00000000-0000-0000-0000-000000000000';

/**
 * Invariant 5 for one record of the device's commune: a village-scoped device reaches records of
 * its villages and commune-wide records (no village), nothing else; a record waiting for its
 * parent (PENDING_VILLAGE) reaches commune-wide devices only. Commune scope is enforced by every
 * query naming the device's commune_code.
 */
export function isInScope(device: Pick<Device, 'villageIds'>, villageId: string | null): boolean {
  return (
    device.villageIds === null ||
    villageId === null ||
    (villageId !== PENDING_VILLAGE && device.villageIds.includes(villageId))
  );
}

/** The villages a device's queries may name (null: the whole commune); never the pending stand-in. */
export function scopeVillageIds(device: Pick<Device, 'villageIds'>): string[] | null {
  return device.villageIds === null
    ? null
    : device.villageIds.map((v) => v.toLowerCase()).filter((v) => v !== PENDING_VILLAGE);
}
