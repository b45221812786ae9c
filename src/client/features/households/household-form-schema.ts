import { z } from 'zod';
import { buildMemberSchema } from '../../../shared/schemas/citizen.schema';
import { householdSchema } from '../../../shared/schemas/household.schema';

/** What the inputs hold: text everywhere (selects give "" for "none"). */
export interface MemberFormValues {
  id?: string;
  fullName: string;
  sex: string;
  birthYear: string;
  relation: string;
  isWorker: boolean;
  schooling: string;
  literacy: string;
  cdhtGroup: string;
  ethnicity: string;
}

export interface HouseholdFormRaw {
  household: { villageId: string; address: string; phone: string; notes: string };
  members: MemberFormValues[];
}

export function emptyMember(relation = 'chu_ho'): MemberFormValues {
  return {
    fullName: '',
    sex: '',
    birthYear: '',
    relation,
    isWorker: false,
    schooling: '',
    literacy: 'khong_ro',
    cdhtGroup: '',
    ethnicity: '',
  };
}

/** "" from a select or an empty input means "not given". */
function blankToUndefined(value: string): string | undefined {
  return value.trim() === '' ? undefined : value;
}

/** Turns input text into what the shared schemas take (numbers, undefined for blanks). */
export function normaliseHouseholdForm(raw: HouseholdFormRaw) {
  return {
    household: raw.household,
    members: raw.members.map((m) => ({
      ...(m.id ? { id: m.id } : {}),
      fullName: m.fullName,
      sex: blankToUndefined(m.sex),
      birthYear: blankToUndefined(m.birthYear) === undefined ? undefined : Number(m.birthYear),
      relation: blankToUndefined(m.relation),
      isWorker: m.isWorker,
      schooling: blankToUndefined(m.schooling),
      literacy: blankToUndefined(m.literacy),
      cdhtGroup: blankToUndefined(m.cdhtGroup),
      ethnicity: blankToUndefined(m.ethnicity),
    })),
  };
}

/** The household form's rules: the shared schemas plus "exactly one head of household". */
export function buildHouseholdFormSchema(currentYear: number) {
  return z
    .object({
      household: householdSchema.omit({ headName: true }),
      members: z
        .array(buildMemberSchema(currentYear).extend({ id: z.string().optional() }))
        .min(1, { message: 'errors.household.noMembers' }),
    })
    .superRefine((value, ctx) => {
      const heads = value.members.filter((m) => m.relation === 'chu_ho').length;
      if (heads !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['members'],
          message: heads === 0 ? 'errors.household.noHead' : 'errors.household.manyHeads',
        });
      }
    });
}
