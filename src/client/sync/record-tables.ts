import { ENTITIES, type Entity } from '../../shared/schemas/entities';
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
