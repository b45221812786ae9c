import { z } from 'zod';
import { idSchema, optionalText, requiredText } from './common';

/** A clan (dòng họ), e.g. "Họ Nguyễn Văn", with its member households. */
export const clanSchema = z.object({
  name: requiredText(),
  headName: optionalText(100).describe('trưởng họ'),
  villageIds: z.array(idSchema).min(1, { message: 'errors.clan.villages' }),
  memberHouseholdIds: z.array(idSchema).default([]),
  hasStudyBoard: z.boolean().default(false).describe('Ban khuyến học của dòng họ'),
  hasStudyFund: z.boolean().default(false).describe('Quỹ khuyến học của dòng họ'),
  studyFundAmount: z.coerce.number().int().nonnegative({ message: 'errors.amount.negative' }).optional(),
  notes: optionalText(),
});
export type ClanData = z.output<typeof clanSchema>;
export type ClanInput = z.input<typeof clanSchema>;
