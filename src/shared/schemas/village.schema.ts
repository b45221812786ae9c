import { z } from 'zod';
import { optionalText, requiredText } from './common';

/** thôn, tổ dân phố, ấp, bản, khu phố (TP), or another local name. */
export const VILLAGE_KINDS = ['thon', 'to_dan_pho', 'ap', 'ban', 'khu_pho', 'khac'] as const;

/** A village (thôn / tổ dân phố / ấp / bản) of the device's commune. */
export const villageSchema = z.object({
  name: requiredText(),
  kind: z.enum(VILLAGE_KINDS, { message: 'errors.village.kind' }),
  code: optionalText(20),
  /** vùng sâu, vùng xa, vùng đặc biệt khó khăn or vùng đồng bào DTTS: lower CDHT pass mark. */
  isDisadvantagedArea: z.boolean().default(false),
});
export type VillageData = z.output<typeof villageSchema>;
export type VillageInput = z.input<typeof villageSchema>;
