import type { SchoolingMember } from '../../domain/derived/derived-inputs';
import { deriveScoringContext, type RegisterReader } from '../../domain/scoring/scoring-context';
import type { ScoringContext } from '../../domain/scoring/score-assessment';
import type { Title } from '../../shared/schemas/assessment.schema';
import type { Queryable } from '../store/store';
import type { RecordRow } from './records';

/**
 * The server's records as scoring reads them: the rules are in domain/scoring/scoring-context,
 * shared with the device (invariant 7), over the whole commune. A device that sees only some
 * villages can therefore disagree; push flags that, it never hides it.
 * Data is stored as devices sent it (schema-checked, defaults not filled in), hence the guards.
 */
type Data = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * A push's own view of the records (batch-records.ts): what it has read or written, and the
 * writes it has not stored yet. Scoring an assessment inside that push reads through it, so it
 * sees the household, members and village created earlier in the same push without storing
 * them first (one query per op adds up to hundreds per push).
 */
export interface PushView {
  /** The record as the push sees it (stored, or as the push wrote it); null when there is none. */
  row(id: string): Promise<RecordRow | null>;
  /** The push's writes the database does not hold yet (lower-case ids). */
  unflushed(): Iterable<RecordRow>;
  /**
   * The live citizens the database holds for a household (as an assessment names it), read for
   * the whole push at once where it can: one query per assessment added up to a fifth of a
   * sync-day push's statements.
   */
  storedMembersOf(householdId: string): Promise<readonly StoredMember[]>;
}

/** A stored citizen as scoring reads it. */
export type StoredMember = {
  readonly id: string;
  readonly data: SchoolingMember;
};

/** The live citizens of the given households (as their members name them). */
export const LIVE_MEMBERS_SQL = `SELECT id::text AS id, data ->> 'householdId' AS household_id, data FROM records
  WHERE commune_code = $1 AND entity = 'citizen' AND NOT deleted AND data ->> 'householdId' = ANY ($2::text[])`;

/** Stored rows with the push's unflushed writes laid over them: a written id replaces its stored row. */
function overlay<T extends { id: string }>(
  stored: readonly T[],
  view: PushView | undefined,
  pick: (row: RecordRow & { data: Data }) => T | undefined,
): T[] {
  if (!view) return [...stored];
  const written = [...view.unflushed()];
  if (written.length === 0) return [...stored];
  const writtenIds = new Set(written.map((r) => r.id));
  const rows = stored.filter((r) => !writtenIds.has(r.id));
  for (const row of written) {
    const picked =
      row.deleted || typeof row.data !== 'object' || row.data === null
        ? undefined
        : pick(row as RecordRow & { data: Data });
    if (picked) rows.push(picked);
  }
  return rows;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function serverRegister(db: Queryable, communeCode: string, view?: PushView): RegisterReader {
  const dataOf = async (entity: string, id: string): Promise<{ data: Data; deleted: boolean } | undefined> => {
    if (view) {
      const row = await view.row(id);
      return row?.entity === entity && typeof row.data === 'object' && row.data !== null
        ? { data: row.data as Data, deleted: row.deleted }
        : undefined;
    }
    const rows = await db.query<{ data: Data | null; deleted: boolean }>(
      'SELECT data, deleted FROM records WHERE commune_code = $1 AND id = $2 AND entity = $3',
      [communeCode, id, entity],
    );
    const row = rows[0];
    return row?.data ? { data: row.data, deleted: row.deleted } : undefined;
  };
  const ids = async (sql: string, param: string, pick: (row: RecordRow & { data: Data }) => boolean) => {
    const stored = await db.query<{ id: string }>(sql, [communeCode, param]);
    return overlay(stored, view, (row) => (pick(row) ? { id: row.id } : undefined))
      .sort(byId)
      .map((r) => r.id);
  };
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
      return (
        row && { memberHouseholdIds: strings(row.data.memberHouseholdIds), villageIds: strings(row.data.villageIds) }
      );
    },
    async unit(id) {
      const row = await dataOf('unit', id);
      return (
        row && {
          villageId: str(row.data.villageId),
          memberCount: Number(row.data.memberCount),
          membersWithLearningCitizen: Number(row.data.membersWithLearningCitizen ?? 0),
        }
      );
    },
    async isVillageDisadvantaged(villageId) {
      return (await dataOf('village', villageId))?.data.isDisadvantagedArea === true;
    },
    async liveMembersOf(householdId) {
      const stored = view
        ? await view.storedMembersOf(householdId)
        : await db.query<StoredMember & { household_id: string }>(LIVE_MEMBERS_SQL, [communeCode, [householdId]]);
      return overlay(stored, view, (row) =>
        row.entity === 'citizen' && str(row.data.householdId) === householdId
          ? { id: row.id, data: row.data as unknown as SchoolingMember }
          : undefined,
      ).map((r) => r.data);
    },
    liveHouseholdIdsIn: (villageId) =>
      ids(
        `SELECT id::text AS id FROM records WHERE commune_code = $1 AND entity = 'household' AND NOT deleted AND data ->> 'villageId' = $2 ORDER BY id`,
        villageId,
        (row) => row.entity === 'household' && str(row.data.villageId) === villageId,
      ),
    liveClanIdsIn: (villageId) =>
      ids(
        `SELECT id::text AS id FROM records WHERE commune_code = $1 AND entity = 'clan' AND NOT deleted AND data -> 'villageIds' ? $2 ORDER BY id`,
        villageId,
        (row) => row.entity === 'clan' && strings(row.data.villageIds).includes(villageId),
      ),
    /** The last live assessment by id wins, as on the device. */
    async passedSubjects(title, year) {
      const stored = await db.query<{ id: string; subject_id: string; passed: boolean }>(
        `SELECT id::text AS id, data ->> 'subjectId' AS subject_id, coalesce((data -> 'result' ->> 'passed') = 'true', false) AS passed
         FROM records WHERE commune_code = $1 AND entity = 'assessment' AND NOT deleted
           AND data ->> 'title' = $2 AND data ->> 'year' = $3
         ORDER BY id`,
        [communeCode, title, String(year)],
      );
      const rows = overlay(stored, view, (row) => {
        if (row.entity !== 'assessment' || row.data.title !== title || String(row.data.year) !== String(year))
          return undefined;
        const result = row.data.result as { passed?: unknown } | undefined;
        return { id: row.id, subject_id: String(row.data.subjectId), passed: result?.passed === true };
      }).sort(byId);
      const passedBySubject = new Map(rows.map((r) => [r.subject_id, r.passed]));
      return new Set([...passedBySubject].filter(([, passed]) => passed).map(([id]) => id));
    },
  };
}

/** The scoring context of an assessment from the stored register (seen through `view` inside a batched push). */
export function readServerScoringContext(
  db: Queryable,
  communeCode: string,
  title: Title,
  subjectId: string,
  year: number,
  view?: PushView,
): Promise<ScoringContext> {
  return deriveScoringContext(serverRegister(db, communeCode, view), title, subjectId, year);
}
