import type { Title } from '../../shared/schemas/assessment.schema';
import type { AppDatabase, AssessmentRow } from './db';

export function subjectKey(subjectId: string, title: Title, year: number): string {
  return `${subjectId}|${title}|${year}`;
}

/** The live assessment of one subject for one title and year, if any. */
export async function findAssessment(db: AppDatabase, subjectId: string, title: Title, year: number): Promise<AssessmentRow | undefined> {
  return db.assessments.where('subjectKey').equals(subjectKey(subjectId, title, year)).filter((a) => a.deleted === 0).first();
}

/** household id → passed, for the Gia đình học tập assessments of one year. */
export async function readFamilyResults(db: AppDatabase, year: number): Promise<Map<string, boolean>> {
  return readResults(db, 'learning_family', year);
}

export async function readResults(db: AppDatabase, title: Title, year: number): Promise<Map<string, boolean>> {
  const rows = await db.assessments.where('[data.title+data.year]').equals([title, year]).filter((a) => a.deleted === 0).toArray();
  return new Map(rows.map((a) => [a.data.subjectId, a.data.result.passed]));
}
