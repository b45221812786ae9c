import { countByVillage, type VillageCounts } from '../../domain/rollups/village-rollup';
import type { AppDatabase } from './db';

/** The tables the counts read: a write to one of them makes the screens read the counts again. */
export const COUNTED_TABLES = ['households', 'assessments'] as const;
/** At most one re-read per second while a sync writes thousands of records. */
export const COUNTS_INTERVAL_MS = 1000;

/**
 * Reads for the home and village screens: counts per village for one year. The screens re-run
 * it whenever households change (every sync batch too), so households are read as keys only:
 * one index range per village gives its live households' ids without loading their data.
 */
export async function readVillageCounts(db: AppDatabase, year: number): Promise<Map<string, VillageCounts>> {
  const [villageIds, assessments] = await Promise.all([
    db.households.orderBy('data.villageId').uniqueKeys(),
    db.assessments.where('[data.title+data.year]').equals(['learning_family', year]).filter((a) => a.deleted === 0).toArray(),
  ]);
  const households = (
    await Promise.all(
      villageIds.map(async (villageId) => {
        const ids = await db.households.where('[deleted+data.villageId]').equals([0, villageId]).primaryKeys();
        return ids.map((id) => ({ id, villageId: String(villageId) }));
      }),
    )
  ).flat();
  return countByVillage(
    households,
    assessments.map((a) => ({ subjectId: a.data.subjectId, title: a.data.title, year: a.data.year, passed: a.data.result.passed })),
    year,
  );
}
