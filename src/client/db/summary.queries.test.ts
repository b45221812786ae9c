import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type AppDatabase, type AssessmentRow, type HouseholdRow } from './db';
import { readVillageCounts } from './summary.queries';

let db: AppDatabase;
beforeEach(async () => {
  db = await openDatabase(`summary-${Math.random()}`);
});
afterEach(async () => {
  db.close();
  await db.delete();
});

function household(id: string, villageId: string, deleted: 0 | 1 = 0): HouseholdRow {
  // Only the fields the counts read; the rest of a household's data does not matter here.
  return {
    id,
    communeCode: '25942',
    data: { villageId, headName: 'Nguyễn Văn An' },
    version: 1,
    deleted,
    updatedAt: '2026-11-24T00:00:00Z',
    searchText: '',
  } as HouseholdRow;
}

function familyAssessment(
  id: string,
  subjectId: string,
  year: number,
  passed: boolean,
  deleted: 0 | 1 = 0,
): AssessmentRow {
  return {
    id,
    communeCode: '25942',
    version: 1,
    deleted,
    updatedAt: '2026-11-24T00:00:00Z',
    subjectKey: `${subjectId}|learning_family|${year}`,
    data: { subjectType: 'household', subjectId, title: 'learning_family', year, result: { passed } },
  } as unknown as AssessmentRow; // only the fields the counts read
}

describe('the per-village counts of the home screen', () => {
  it('count live households per village and, for the year, those assessed and those passing', async () => {
    await db.households.bulkAdd([
      household('h1', 'v1'),
      household('h2', 'v1'),
      household('h3', 'v1', 1),
      household('h4', 'v2'),
      household('h5', 'v2'),
    ]);
    await db.assessments.bulkAdd([
      familyAssessment('a1', 'h1', 2026, true),
      familyAssessment('a2', 'h2', 2026, false),
      familyAssessment('a3', 'h4', 2025, true),
      familyAssessment('a4', 'h5', 2026, true, 1),
      familyAssessment('a5', 'h3', 2026, true),
    ]);
    const counts = await readVillageCounts(db, 2026);
    expect(Object.fromEntries(counts)).toEqual({
      v1: { households: 2, familyAssessed: 2, familyPassed: 1 },
      v2: { households: 2, familyAssessed: 0, familyPassed: 0 },
    });
  });

  it('leave out a village whose households are all deleted', async () => {
    await db.households.bulkAdd([household('h1', 'v1', 1), household('h2', 'v2')]);
    expect([...(await readVillageCounts(db, 2026)).keys()]).toEqual(['v2']);
  });
});
