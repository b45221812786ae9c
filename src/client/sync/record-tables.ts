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

/** Records the server's versions of records after it applied my changes (bulk, per table). */
export async function setRecordVersions(db: AppDatabase, versions: readonly { entity: Entity; recordId: string; version: number }[]): Promise<void> {
  const byEntity = new Map<Entity, Map<string, number>>();
  for (const v of versions) {
    const forEntity = byEntity.get(v.entity) ?? new Map<string, number>();
    forEntity.set(v.recordId, Math.max(v.version, forEntity.get(v.recordId) ?? 0));
    byEntity.set(v.entity, forEntity);
  }
  for (const [entity, newest] of byEntity) {
    const table = db.table<LocalRecord<unknown>, string>(TABLE_OF[entity]);
    const rows = await table.bulkGet([...newest.keys()]);
    const updated = rows.flatMap((row) => {
      const version = row ? newest.get(row.id) : undefined;
      return row && version !== undefined && (row.version === null || row.version < version) ? [{ ...row, version }] : [];
    });
    await table.bulkPut(updated);
  }
}
