import { deriveClanInputs, deriveHouseholdInputs, deriveUnitInputs, deriveVillageInputs, type SchoolingMember } from '../../domain/derived/derived-inputs';
import type { ScoringContext } from '../../domain/scoring/score-assessment';
import type { Title } from '../../shared/schemas/assessment.schema';
import type { Queryable } from '../store/store';

/**
 * What a score depends on besides the answers, read from the server's records: the same rules as
 * the device's src/client/db/scoring-context.ts (invariant 7), over the whole commune. A device
 * that sees only some villages can therefore disagree; push flags that, it never hides it.
 */
type Data = Record<string, unknown>;

async function dataOf(db: Queryable, communeCode: string, entity: string, id: string | undefined): Promise<{ data: Data; deleted: boolean } | undefined> {
  if (!id) return undefined;
  const rows = await db.query<{ data: Data | null; deleted: boolean }>(
    'SELECT data, deleted FROM records WHERE commune_code = $1 AND id = $2 AND entity = $3',
    [communeCode, id, entity],
  );
  const row = rows[0];
  return row?.data ? { data: row.data, deleted: row.deleted } : undefined;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

async function isVillageDisadvantaged(db: Queryable, communeCode: string, villageId: string | undefined): Promise<boolean> {
  return (await dataOf(db, communeCode, 'village', villageId))?.data.isDisadvantagedArea === true;
}

async function liveMembersOf(db: Queryable, communeCode: string, householdId: string): Promise<SchoolingMember[]> {
  const rows = await db.query<{ data: SchoolingMember }>(
    `SELECT data FROM records WHERE commune_code = $1 AND entity = 'citizen' AND NOT deleted AND data ->> 'householdId' = $2`,
    [communeCode, householdId],
  );
  return rows.map((r) => r.data);
}

/** Subjects whose live assessment for this title and year passed (the last one by id wins, as on the device). */
async function holders(db: Queryable, communeCode: string, title: Title, year: number): Promise<Set<string>> {
  const rows = await db.query<{ subject_id: string; passed: boolean }>(
    `SELECT data ->> 'subjectId' AS subject_id, coalesce((data -> 'result' ->> 'passed') = 'true', false) AS passed
     FROM records WHERE commune_code = $1 AND entity = 'assessment' AND NOT deleted
       AND data ->> 'title' = $2 AND data ->> 'year' = $3
     ORDER BY id`,
    [communeCode, title, String(year)],
  );
  const passedBySubject = new Map(rows.map((r) => [r.subject_id, r.passed]));
  return new Set([...passedBySubject].filter(([, passed]) => passed).map(([id]) => id));
}

async function liveIds(db: Queryable, communeCode: string, sql: string, param: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(sql, [communeCode, param]);
  return rows.map((r) => r.id);
}

export async function readServerScoringContext(db: Queryable, communeCode: string, title: Title, subjectId: string, year: number): Promise<ScoringContext> {
  switch (title) {
    case 'learning_family': {
      const household = await dataOf(db, communeCode, 'household', subjectId);
      return {
        isDisadvantagedArea: await isVillageDisadvantaged(db, communeCode, str(household?.data.villageId)),
        derived: { ...deriveHouseholdInputs(await liveMembersOf(db, communeCode, subjectId), year) },
      };
    }
    case 'learning_citizen': {
      const citizen = await dataOf(db, communeCode, 'citizen', subjectId);
      const household = await dataOf(db, communeCode, 'household', str(citizen?.data.householdId));
      return { isDisadvantagedArea: await isVillageDisadvantaged(db, communeCode, str(household?.data.villageId)), derived: {} };
    }
    case 'learning_clan': {
      const clan = await dataOf(db, communeCode, 'clan', subjectId);
      const memberIds = Array.isArray(clan?.data.memberHouseholdIds) ? clan.data.memberHouseholdIds.filter((id) => typeof id === 'string') : [];
      const householdIds: string[] = [];
      const dropouts = new Set<string>();
      for (const id of memberIds) {
        const household = await dataOf(db, communeCode, 'household', id);
        if (!household || household.deleted) continue;
        householdIds.push(id);
        if (deriveHouseholdInputs(await liveMembersOf(db, communeCode, id), year).schoolAgeChildrenAllInSchool === false) dropouts.add(id);
      }
      const firstVillage = Array.isArray(clan?.data.villageIds) ? str(clan.data.villageIds[0]) : undefined;
      return {
        isDisadvantagedArea: await isVillageDisadvantaged(db, communeCode, firstVillage),
        derived: { ...deriveClanInputs(householdIds, await holders(db, communeCode, 'learning_family', year), dropouts) },
      };
    }
    case 'learning_community': {
      const householdIds = await liveIds(
        db,
        communeCode,
        `SELECT id FROM records WHERE commune_code = $1 AND entity = 'household' AND NOT deleted AND data ->> 'villageId' = $2 ORDER BY id`,
        subjectId,
      );
      const clanIds = await liveIds(
        db,
        communeCode,
        `SELECT id FROM records WHERE commune_code = $1 AND entity = 'clan' AND NOT deleted AND data -> 'villageIds' ? $2 ORDER BY id`,
        subjectId,
      );
      return {
        isDisadvantagedArea: await isVillageDisadvantaged(db, communeCode, subjectId),
        derived: {
          ...deriveVillageInputs(householdIds, await holders(db, communeCode, 'learning_family', year), clanIds, await holders(db, communeCode, 'learning_clan', year)),
        },
      };
    }
    case 'learning_unit': {
      const unit = await dataOf(db, communeCode, 'unit', subjectId);
      return {
        isDisadvantagedArea: await isVillageDisadvantaged(db, communeCode, str(unit?.data.villageId)),
        derived: unit ? { ...deriveUnitInputs(Number(unit.data.memberCount), Number(unit.data.membersWithLearningCitizen ?? 0)) } : {},
      };
    }
  }
}
