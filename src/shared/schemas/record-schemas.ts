import type { z } from 'zod';
import { buildAssessmentSchema } from './assessment.schema';
import { buildCitizenSchema } from './citizen.schema';
import { clanSchema } from './clan.schema';
import type { Entity } from './entities';
import { householdSchema } from './household.schema';
import { unitSchema } from './unit.schema';
import { villageSchema } from './village.schema';

/**
 * The schema that validates one entity's `data`, the same on the device (repositories) and on
 * the server (push). The current year is passed in: shared/ reads no clock.
 */
export function recordSchemaFor(entity: Entity, currentYear: number): z.ZodType {
  switch (entity) {
    case 'village':
      return villageSchema;
    case 'household':
      return householdSchema;
    case 'citizen':
      return buildCitizenSchema(currentYear);
    case 'clan':
      return clanSchema;
    case 'unit':
      return unitSchema;
    case 'assessment':
      return buildAssessmentSchema(currentYear);
  }
}
