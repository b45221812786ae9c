import type { Entity } from '../../shared/schemas/entities';
import type { Queryable } from '../store/store';
import { EXIT_RETURNING, OLD_ROW_JOIN, recordingExits } from './exits';
import { PENDING_VILLAGE } from './scope';

/**
 * The village a record belongs to, for scope (architecture.md, invariant 5):
 * village → itself; household → data.villageId; citizen → its household's village;
 * assessment → its subject's village (household, citizen or village), else none;
 * unit → data.villageId if set; clan → none (commune-wide).
 * `isResolved` is false when the record should have a village but the server does not hold the
 * record it comes from yet (a citizen of an unknown household): village-scoped devices are then
 * refused, since the server cannot tell whether the record is theirs, and the record is stored
 * with PENDING_VILLAGE (scope.ts), which no village-scoped device reaches until its
 * parent arrives and propagateVillages gives it the parent's village.
 */
export interface RecordVillage {
  readonly villageId: string | null;
  readonly isResolved: boolean;
}

const NONE: RecordVillage = { villageId: null, isResolved: true };

const PENDING: RecordVillage = { villageId: PENDING_VILLAGE, isResolved: false };

/** The stored village of a household or citizen: `undefined` when the server does not hold that record. */
export type ParentVillageLookup = (
  entity: 'household' | 'citizen',
  id: string,
) => Promise<{ villageId: string | null } | undefined>;

/** The lookup straight from the records table (one query per call). */
export function parentVillageFromStore(tx: Queryable, communeCode: string): ParentVillageLookup {
  return async (entity, id) => {
    const rows = await tx.query<{ village_id: string | null }>(
      'SELECT village_id FROM records WHERE commune_code = $1 AND id = $2 AND entity = $3',
      [communeCode, id, entity],
    );
    const row = rows[0];
    return row ? { villageId: row.village_id } : undefined;
  };
}

async function villageOf(
  lookup: ParentVillageLookup,
  entity: 'household' | 'citizen',
  id: unknown,
): Promise<RecordVillage> {
  if (typeof id !== 'string') return PENDING;
  const parent = await lookup(entity, id);
  // A parent without a village: pending itself, or a data-less tombstone (created and deleted offline).
  return parent && parent.villageId !== null && parent.villageId !== PENDING_VILLAGE
    ? { villageId: parent.villageId, isResolved: true }
    : PENDING;
}

/** `data` has passed the entity's schema. */
export async function resolveVillage(
  lookup: ParentVillageLookup,
  entity: Entity,
  id: string,
  data: unknown,
): Promise<RecordVillage> {
  const fields = (data ?? {}) as Record<string, unknown>;
  // Lower case, as PostgreSQL prints uuids: scope lists are compared as strings.
  const text = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : null);
  switch (entity) {
    case 'village':
      return { villageId: id.toLowerCase(), isResolved: true };
    case 'household':
      return { villageId: text(fields.villageId), isResolved: true };
    case 'unit':
      return { villageId: text(fields.villageId), isResolved: true };
    case 'clan':
      return NONE;
    case 'citizen':
      return villageOf(lookup, 'household', fields.householdId);
    case 'assessment':
      if (fields.subjectType === 'village') return { villageId: text(fields.subjectId), isResolved: true };
      if (fields.subjectType === 'household' || fields.subjectType === 'citizen') {
        return villageOf(lookup, fields.subjectType, fields.subjectId);
      }
      return NONE;
  }
}

/** A household or citizen just written with this village: its dependants must follow it. */
export interface VillageParent {
  readonly entity: 'household' | 'citizen';
  readonly id: string;
  readonly villageId: string | null;
  /** Created by this op: the server held no row of it before. */
  readonly isNew: boolean;
}

const SET_VILLAGE = `village_id = p.village_id, txid = pg_current_xact_id(), change_seq = nextval('records_change_seq')`;
const CHANGED = 'id::text AS id, village_id::text AS village_id';

// Every statement names its ids with "= ANY ($2)" on the indexed expression as well as in the
// join: without table statistics (PGlite never analyses by itself; PostgreSQL lags during a
// burst) the planner otherwise scans the commune's records once per parent. Each one records the
// villages its rows leave (exits.ts), so those villages' devices withdraw them.

/** Assessments of the given subjects (all households, or all citizens). */
const ASSESSMENTS_OF_SUBJECTS = recordingExits(
  `UPDATE records r SET ${SET_VILLAGE}
  FROM unnest($2::text[], $3::uuid[]) AS p (id, village_id), records o
  WHERE r.commune_code = $1 AND r.entity = 'assessment' AND r.data ->> 'subjectId' = ANY ($2::text[])
    AND r.data ->> 'subjectType' = $4 AND r.data ->> 'subjectId' = p.id
    AND r.village_id IS DISTINCT FROM p.village_id AND ${OLD_ROW_JOIN}
  RETURNING ${EXIT_RETURNING}`,
  CHANGED,
);

const CITIZENS_OF_HOUSEHOLDS = recordingExits(
  `UPDATE records r SET ${SET_VILLAGE}
  FROM unnest($2::text[], $3::uuid[]) AS p (id, village_id), records o
  WHERE r.commune_code = $1 AND r.entity = 'citizen' AND r.data ->> 'householdId' = ANY ($2::text[])
    AND r.data ->> 'householdId' = p.id
    AND r.village_id IS DISTINCT FROM p.village_id AND ${OLD_ROW_JOIN}
  RETURNING ${EXIT_RETURNING}`,
  CHANGED,
);

/**
 * Whether the commune holds a record that arrived before its parent (PENDING_VILLAGE; the village
 * feed index answers this).
 */
const ANY_ORPHAN = `
  SELECT EXISTS (SELECT 1 FROM records WHERE commune_code = $1 AND village_id = '${PENDING_VILLAGE}'::uuid) AS found`;

const CITIZENS_OF = `
  SELECT id::text AS id, data ->> 'householdId' AS household_id FROM records
  WHERE commune_code = $1 AND entity = 'citizen' AND data ->> 'householdId' = ANY ($2::text[])`;

/**
 * Keeps the denormalised village of dependent records in step after households or citizens were
 * written with a new village (or created): their citizens and the assessments of them (and of
 * those citizens). This also settles records that arrived before their parent. Changed rows move
 * to the end of the change feed, so devices of the new village receive them; their version does
 * not change (their data did not). Citizens go first and households last, so where both reach
 * one assessment the household's village wins, as it would one op at a time (a citizen's village
 * is its household's). Returns the rows it changed, for callers that keep records in memory.
 */
export async function propagateVillages(
  tx: Queryable,
  communeCode: string,
  parents: readonly VillageParent[],
): Promise<{ id: string; village_id: string | null }[]> {
  // A parent created now can only have dependants that came before it, which got no village then.
  // When every parent is new and the commune holds no such record (the usual sync: new households
  // with their members and assessments), one cheap query replaces the four statements below.
  if (parents.every((p) => p.isNew)) {
    const [row] = await tx.query<{ found: boolean }>(ANY_ORPHAN, [communeCode]);
    if (row?.found !== true) return [];
  }
  const last = new Map(parents.map((p) => [`${p.entity}:${p.id}`, p]));
  const of = (entity: VillageParent['entity']) => [...last.values()].filter((p) => p.entity === entity);
  const citizens = of('citizen');
  const households = of('household');
  const changed: { id: string; village_id: string | null }[] = [];
  const run = async (sql: string, list: readonly VillageParent[], ...extra: unknown[]) => {
    if (list.length === 0) return;
    const params = [communeCode, list.map((p) => p.id), list.map((p) => p.villageId), ...extra];
    changed.push(...(await tx.query<{ id: string; village_id: string | null }>(sql, params)));
  };
  await run(ASSESSMENTS_OF_SUBJECTS, citizens, 'citizen');
  await run(CITIZENS_OF_HOUSEHOLDS, households);
  await run(ASSESSMENTS_OF_SUBJECTS, households, 'household');
  if (households.length > 0) {
    // Assessments of every citizen of these households (moved just now or already in place).
    const villageOfHousehold = new Map(households.map((h) => [h.id, h.villageId]));
    const members = await tx.query<{ id: string; household_id: string }>(CITIZENS_OF, [
      communeCode,
      households.map((h) => h.id),
    ]);
    const memberParents = members.map((m) => ({
      entity: 'citizen' as const,
      id: m.id,
      villageId: villageOfHousehold.get(m.household_id) ?? null,
      isNew: false,
    }));
    await run(ASSESSMENTS_OF_SUBJECTS, memberParents, 'citizen');
  }
  return changed;
}
