import { ENTITIES, type Entity } from '../../shared/schemas/entities';
import type { AppDatabase, LocalRecord } from '../db/db';
import type { RecordTableName } from '../db/record-writes';

export const TABLE_OF: Record<Entity, RecordTableName> = {
  village: 'villages',
  household: 'households',
  citizen: 'citizens',
  clan: 'clans',
  unit: 'units',
  assessment: 'assessments',
};

export function isEntity(value: string): value is Entity {
  return (ENTITIES as readonly string[]).includes(value);
}

/** Records the server's version of a record after the server applied my change to it. */
export async function setRecordVersion(db: AppDatabase, entity: Entity, id: string, version: number): Promise<void> {
  const table = db.table<LocalRecord<unknown>, string>(TABLE_OF[entity]);
  const row = await table.get(id);
  if (row && (row.version === null || row.version < version)) await table.update(id, { version });
}
