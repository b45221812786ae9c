import { countByVillageWithTotals } from '../../domain/rollups/village-rollup';
import type { VillageCounts } from '../../domain/rollups/village-rollup';
import type { AppDatabase } from './db';

/** The tables the counts read: a write to one of them makes the screens read the counts again. */
export const COUNTED_TABLES = ['households', 'assessments'] as const;
/**
 * At most one re-read per 5 seconds. Only writes in the background (a sync, another tab) meet
 * this limit: edits happen on other screens, and a screen that opens reads at once. Counting a
 * 25,000-household register takes a few hundred ms of IndexedDB time on a 2-core machine,
 * which a sync's own writes then wait for.
 */
export const COUNTS_INTERVAL_MS = 5000;

/**
 * Reads for the home and village screens: counts per village for one year. The screens read it
 * again whenever households change (every sync batch too), so live households are counted inside
 * the index, one range per village, without reading them; only the households that have an
 * assessment this year are read, to tell their village.
 */
export async function readVillageCounts(db: AppDatabase, year: number): Promise<Map<string, VillageCounts>> {
  const [villageIds, assessments] = await Promise.all([
    db.households.orderBy('data.villageId').uniqueKeys(),
    db.assessments
      .where('[data.title+data.year]')
      .equals(['learning_family', year])
      .filter((a) => a.deleted === 0)
      .toArray(),
  ]);
  const totals = await Promise.all(
    villageIds.map(
      async (villageId) =>
        [
          String(villageId),
          await db.households.where('[deleted+data.villageId]').equals([0, villageId]).count(),
        ] as const,
    ),
  );
  const subjectIds = [...new Set(assessments.map((a) => a.data.subjectId))];
  const assessedHouseholds = (await db.households.bulkGet(subjectIds)).flatMap((h) =>
    h && h.deleted === 0 ? [{ id: h.id, villageId: h.data.villageId }] : [],
  );
  return countByVillageWithTotals(
    new Map(totals),
    assessedHouseholds,
    assessments.map((a) => ({
      subjectId: a.data.subjectId,
      title: a.data.title,
      year: a.data.year,
      passed: a.data.result.passed,
    })),
    year,
  );
}
