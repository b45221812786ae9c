import { z } from 'zod';
import { EARLIEST_BIRTH_YEAR, optionalText, perYear, referenceSchema, requiredText, yearSchema } from './common';

export const SEXES = ['nam', 'nu'] as const;
export const RELATIONS = ['chu_ho', 'vo_chong', 'con', 'cha_me', 'ong_ba', 'chau', 'anh_chi_em', 'khac'] as const;
/** For school-age children: đang đi học, bỏ học, đã tốt nghiệp, chưa đến tuổi đi học. */
export const SCHOOLING_STATES = ['dang_di_hoc', 'bo_hoc', 'da_tot_nghiep', 'chua_den_tuoi'] as const;
export const LITERACY_STATES = ['biet_chu', 'chua_biet_chu', 'khong_ro'] as const;
/** Công dân học tập target groups (nhóm đối tượng). */
export const CDHT_GROUPS = ['nong_dan', 'cong_nhan', 'can_bo', 'hoc_sinh'] as const;

export type Relation = (typeof RELATIONS)[number];
export type SchoolingState = (typeof SCHOOLING_STATES)[number];
export type CdhtGroup = (typeof CDHT_GROUPS)[number];

/** Fields of a citizen as typed in the household form (no household yet). */
export const buildMemberSchema = perYear((currentYear: number) =>
  z.object({
    fullName: requiredText(),
    sex: z.enum(SEXES, { message: 'errors.citizen.sex' }),
    birthYear: yearSchema(EARLIEST_BIRTH_YEAR, currentYear, 'errors.birthYear.tooEarly', 'errors.birthYear.future'),
    relation: z.enum(RELATIONS, { message: 'errors.citizen.relation' }),
    /** người lao động: of working age and working, the CDHT denominator. */
    isWorker: z.boolean().default(false),
    schooling: z.enum(SCHOOLING_STATES).optional(),
    literacy: z.enum(LITERACY_STATES).default('khong_ro'),
    cdhtGroup: z.enum(CDHT_GROUPS).optional(),
    ethnicity: optionalText(50),
  }),
);

/**
 * A citizen (công dân). The current year is passed in (shared/ reads no clock): a birth year
 * after it is refused.
 */
export const buildCitizenSchema = perYear((currentYear: number) =>
  buildMemberSchema(currentYear).extend({
    householdId: referenceSchema('errors.citizen.householdMissing').describe('household the citizen belongs to'),
  }),
);
export type CitizenData = z.output<ReturnType<typeof buildCitizenSchema>>;
export type CitizenInput = z.input<ReturnType<typeof buildCitizenSchema>>;
export type MemberData = z.output<ReturnType<typeof buildMemberSchema>>;
