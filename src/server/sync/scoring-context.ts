import type { SchoolingMember } from '../../domain/derived/derived-inputs';
import { deriveScoringContext, type RegisterReader } from '../../domain/scoring/scoring-context';
import type { ScoringContext } from '../../domain/scoring/score-assessment';
import type { Title } from '../../shared/schemas/assessment.schema';
import type { Queryable } from '../store/store';

/**
 * The server's records as scoring reads them: the rules are in domain/scoring/scoring-context,
 * shared with the device (invariant 7), over the whole commune. A device that sees only some
 * villages can therefore disagree; push flags that, it never hides it.
 * Data is stored as devices sent it (schema-checked, defaults not filled in), hence the guards.
 */
type Data = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function serverRegister(db: Queryable, communeCode: string): RegisterReader {
  const dataOf = async (entity: string, id: string): Promise<{ data: Data; deleted: boolean } | undefined> => {
    const rows = await db.query<{ data: Data | null; deleted: boolean }>(
      'SELECT data, deleted FROM records WHERE commune_code = $1 AND id = $2 AND entity = $3',
      [communeCode, id, entity],
    );
    const row = rows[0];
    return row?.data ? { data: row.data, deleted: row.deleted } : undefined;
  };
  const ids = async (sql: string, param: string) => (await db.query<{ id: string }>(sql, [communeCode, param])).map((r) => r.id);
  return {
    async household(id) {
      const row = await dataOf('household', id);
      return row && { villageId: str(row.data.villageId), deleted: row.deleted };
    },
    async citizen(id) {
      const row = await dataOf('citizen', id);
      return row && { householdId: str(row.data.householdId) };
    },
    async clan(id) {
      const row = await dataOf('clan', id);
      return row && { memberHouseholdIds: strings(row.data.memberHouseholdIds), villageIds: strings(row.data.villageIds) };
    },
    async unit(id) {
      const row = await dataOf('unit', id);
      return row && { villageId: str(row.data.villageId), memberCount: Number(row.data.memberCount), membersWithLearningCitizen: Number(row.data.membersWithLearningCitizen ?? 0) };
    },
    async isVillageDisadvantaged(villageId) {
      return (await dataOf('village', villageId))?.data.isDisadvantagedArea === true;
    },
    async liveMembersOf(householdId) {
      const rows = await db.query<{ data: SchoolingMember }>(
        `SELECT data FROM records WHERE commune_code = $1 AND entity = 'citizen' AND NOT deleted AND data ->> 'householdId' = $2`,
        [communeCode, householdId],
      );
      return rows.map((r) => r.data);
    },
    liveHouseholdIdsIn: (villageId) =>
      ids(`SELECT id::text AS id FROM records WHERE commune_code = $1 AND entity = 'household' AND NOT deleted AND data ->> 'villageId' = $2 ORDER BY id`, villageId),
    liveClanIdsIn: (villageId) =>
      ids(`SELECT id::text AS id FROM records WHERE commune_code = $1 AND entity = 'clan' AND NOT deleted AND data -> 'villageIds' ? $2 ORDER BY id`, villageId),
    /** The last live assessment by id wins, as on the device. */
    async passedSubjects(title, year) {
      const rows = await db.query<{ subject_id: string; passed: boolean }>(
        `SELECT data ->> 'subjectId' AS subject_id, coalesce((data -> 'result' ->> 'passed') = 'true', false) AS passed
         FROM records WHERE commune_code = $1 AND entity = 'assessment' AND NOT deleted
           AND data ->> 'title' = $2 AND data ->> 'year' = $3
         ORDER BY id`,
        [communeCode, title, String(year)],
      );
      const passedBySubject = new Map(rows.map((r) => [r.subject_id, r.passed]));
      return new Set([...passedBySubject].filter(([, passed]) => passed).map(([id]) => id));
    },
  };
}

export function readServerScoringContext(db: Queryable, communeCode: string, title: Title, subjectId: string, year: number): Promise<ScoringContext> {
  return deriveScoringContext(serverRegister(db, communeCode), title, subjectId, year);
}
