import { countByVillage, type VillageCounts } from '../../domain/rollups/village-rollup';
import type { AppDatabase } from './db';

/** Reads for the home and village screens: counts per village for one year. */
export async function readVillageCounts(db: AppDatabase, year: number): Promise<Map<string, VillageCounts>> {
  const [households, assessments] = await Promise.all([
    db.households.filter((h) => h.deleted === 0).toArray(),
    db.assessments.where('[data.title+data.year]').equals(['learning_family', year]).filter((a) => a.deleted === 0).toArray(),
  ]);
  return countByVillage(
    households.map((h) => ({ id: h.id, villageId: h.data.villageId })),
    assessments.map((a) => ({ subjectId: a.data.subjectId, title: a.data.title, year: a.data.year, passed: a.data.result.passed })),
    year,
  );
}
