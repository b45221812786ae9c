import type { AdminUnits } from '../../../domain/places/commune-search';

/**
 * The national list (34 provinces, 3,321 communes) is its own chunk: fetched once, precached
 * by the service worker, and never part of the start-up bundle.
 */
export async function loadAdminUnits(): Promise<AdminUnits> {
  const module = await import('../../../shared/data/admin-units/units.json');
  return module.default;
}
