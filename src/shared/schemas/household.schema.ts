import { z } from 'zod';
import { optionalPhoneSchema, optionalText, referenceSchema, requiredText } from './common';

/** A household (hộ gia đình) of one village; its members are citizens. */
export const householdSchema = z.object({
  villageId: referenceSchema('errors.household.villageMissing').describe('village the household lives in'),
  /** The head's full name (chủ hộ), kept in step with the member whose relation is "chu_ho". */
  headName: requiredText(),
  address: optionalText(200),
  phone: optionalPhoneSchema,
  notes: optionalText(),
});
export type HouseholdData = z.output<typeof householdSchema>;
export type HouseholdInput = z.input<typeof householdSchema>;
