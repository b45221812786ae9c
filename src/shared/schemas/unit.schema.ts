import { z } from 'zod';
import { idSchema, optionalText, requiredText } from './common';

/** cơ quan, trường học, doanh nghiệp, hợp tác xã, cơ sở sản xuất, khác. */
export const UNIT_KINDS = ['co_quan', 'truong_hoc', 'doanh_nghiep', 'hop_tac_xa', 'co_so_san_xuat', 'khac'] as const;

/** A unit (đơn vị) on the commune's territory. */
const countSchema = z.coerce
  .number({ message: 'errors.number.invalid' })
  .int({ message: 'errors.number.invalid' })
  .nonnegative({ message: 'errors.number.negative' });

export const unitSchema = z
  .object({
    name: requiredText(150),
    kind: z.enum(UNIT_KINDS, { message: 'errors.unit.kind' }),
    /** Cán bộ, công chức, viên chức, người lao động of the unit. */
    memberCount: countSchema,
    /** How many of them hold Công dân học tập, as the unit reports it (members are not in the register). */
    membersWithLearningCitizen: countSchema.default(0),
    villageId: idSchema.optional(),
    notes: optionalText(),
  })
  .refine((u) => u.membersWithLearningCitizen <= u.memberCount, {
    message: 'errors.unit.moreHoldersThanMembers',
    path: ['membersWithLearningCitizen'],
  });
export type UnitData = z.output<typeof unitSchema>;
export type UnitInput = z.input<typeof unitSchema>;
