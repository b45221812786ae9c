import type { Table } from 'dexie';
import { ENTITIES, type Entity } from '../../shared/schemas/entities';
import { subjectKey } from './assessment.queries';
import type { AppDatabase, EntityRows, LocalRecord } from './db';
import { searchTextOf } from './household-search';

/** The fields a kind of row keeps beside the synced ones (search text, subject key). */
export type LocalFields<E extends Entity> = Omit<EntityRows[E], keyof LocalRecord<unknown>>;
export type DataOf<E extends Entity> = EntityRows[E]['data'];

interface EntityEntry<E extends Entity> {
  /** The Dexie table its records live in. */
  readonly table: 'villages' | 'households' | 'citizens' | 'clans' | 'units' | 'assessments';
  /**
   * The fields its repository keeps on the row, derived from the data alone, so every writer
   * (a form's save, a pulled page, a resolved conflict) writes the same. Defensive: a pulled
   * record from a newer server may lack a field; its row then lacks the derived one.
   */
  readonly localFields: (data: DataOf<E>) => Partial<LocalFields<E>>;
}

const none = () => ({});

/**
 * Every synced entity on the device: its table and the local fields its rows keep. The one
 * entity → table map of the client; the generic writers (record-writes.ts, apply-pull, conflicts,
 * withdrawals) go through it. Its data's schema is shared with the server (shared/schemas/
 * record-schemas.ts `recordSchemaFor`), its row type is db.ts `EntityRows`. Adding an entity: the
 * row type, a table in a new schema version, an entry here.
 */
export const ENTITY_REGISTRY: { readonly [E in Entity]: EntityEntry<E> } = {
  village: { table: 'villages', localFields: none },
  household: {
    table: 'households',
    localFields: (data) => (typeof data?.headName === 'string' ? { searchText: searchTextOf(data) } : {}),
  },
  citizen: { table: 'citizens', localFields: none },
  clan: { table: 'clans', localFields: none },
  unit: { table: 'units', localFields: none },
  assessment: {
    table: 'assessments',
    localFields: (data) =>
      data?.subjectId && data.title && data.year
        ? { subjectKey: subjectKey(data.subjectId, data.title, data.year) }
        : {},
  },
};

export function isEntity(value: string): value is Entity {
  return (ENTITIES as readonly string[]).includes(value);
}

/** The table of an entity's records. */
export function recordTable<E extends Entity>(db: AppDatabase, entity: E): Table<EntityRows[E], string> {
  return db.table<EntityRows[E], string>(ENTITY_REGISTRY[entity].table);
}

/** The same table, for rows whose data this code did not type (a pulled record, the server's side of a conflict). */
export function anyRecordTable(db: AppDatabase, entity: Entity): Table<LocalRecord<unknown>, string> {
  return db.table<LocalRecord<unknown>, string>(ENTITY_REGISTRY[entity].table);
}

/** Every table that holds synced records (for a transaction that may write any of them). */
export function recordTables(db: AppDatabase): Table<LocalRecord<unknown>, string>[] {
  return ENTITIES.map((entity) => anyRecordTable(db, entity));
}

/** The local fields of a row of `entity` holding `data` (data of unknown shape: a pulled record's). */
export function localFieldsOf(entity: Entity, data: unknown): object {
  const entry = ENTITY_REGISTRY[entity] as EntityEntry<Entity>; // a union of entries takes the union of data
  return data === null || typeof data !== 'object' ? {} : entry.localFields(data as DataOf<Entity>);
}
