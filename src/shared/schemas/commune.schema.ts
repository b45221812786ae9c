import { z } from 'zod';
import { communeCodeSchema, provinceCodeSchema } from './common';

/** The commune this device works for, picked from the national list (shared/data/admin-units). */
export const communeSettingSchema = z.object({
  communeCode: communeCodeSchema,
  communeName: z.string().min(1),
  provinceCode: provinceCodeSchema,
  provinceName: z.string().min(1),
});
export type CommuneSetting = z.output<typeof communeSettingSchema>;
