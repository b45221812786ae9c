import type { Entity } from '../../shared/schemas/entities';
import type { Queryable } from '../store/store';

/**
 * The village a record belongs to, for scope (architecture.md, invariant 5):
 * village → itself; household → data.villageId; citizen → its household's village;
 * assessment → its subject's village (household, citizen or village), else none;
 * unit → data.villageId if set; clan → none (commune-wide).
 * `isResolved` is false when the record should have a village but the server does not hold the
 * record it comes from yet (a citizen of an unknown household): village-scoped devices are then
 * refused, since the server cannot tell whether the record is theirs.
 */
export interface RecordVillage {
  readonly villageId: string | null;
  readonly isResolved: boolean;
}

const NONE: RecordVillage = { villageId: null, isResolved: true };

async function villageOf(tx: Queryable, communeCode: string, entity: 'household' | 'citizen', id: unknown): Promise<RecordVillage> {
  if (typeof id !== 'string') return { villageId: null, isResolved: false };
  const rows = await tx.query<{ village_id: string | null }>(
    'SELECT village_id FROM records WHERE commune_code = $1 AND id = $2 AND entity = $3',
    [communeCode, id, entity],
  );
  const row = rows[0];
  return row ? { villageId: row.village_id, isResolved: row.village_id !== null } : { villageId: null, isResolved: false };
}

/** `data` has passed the entity's schema. */
export async function resolveVillage(tx: Queryable, communeCode: string, entity: Entity, id: string, data: unknown): Promise<RecordVillage> {
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
      return villageOf(tx, communeCode, 'household', fields.householdId);
    case 'assessment':
      if (fields.subjectType === 'village') return { villageId: text(fields.subjectId), isResolved: true };
      if (fields.subjectType === 'household' || fields.subjectType === 'citizen') {
        return villageOf(tx, communeCode, fields.subjectType, fields.subjectId);
      }
      return NONE;
  }
}

/**
 * Keeps the denormalised village of dependent records in step after a household or citizen was
 * written: its citizens and the assessments of it (and of those citizens). This also settles
 * records that arrived before their parent. Changed rows move to the end of the change feed, so
 * devices of the new village receive them; their version does not change (their data did not).
 */
export async function propagateVillage(tx: Queryable, communeCode: string, entity: Entity, id: string, villageId: string | null) {
  if (entity !== 'household' && entity !== 'citizen') return;
  await tx.query(
    `UPDATE records SET village_id = $3, txid = pg_current_xact_id(), change_seq = nextval('records_change_seq')
     WHERE commune_code = $1 AND village_id IS DISTINCT FROM $3::uuid AND (
       ($4 = 'household' AND entity = 'citizen' AND data ->> 'householdId' = $2)
       OR (entity = 'assessment' AND data ->> 'subjectType' = $4 AND data ->> 'subjectId' = $2)
       OR ($4 = 'household' AND entity = 'assessment' AND data ->> 'subjectType' = 'citizen' AND data ->> 'subjectId' IN (
         SELECT id::text FROM records WHERE commune_code = $1 AND entity = 'citizen' AND data ->> 'householdId' = $2)))`,
    [communeCode, id, villageId, entity],
  );
}
