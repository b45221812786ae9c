import { z } from 'zod';
import { TITLES } from '../../shared/schemas/assessment.schema';

/**
 * Values computed from the register, never typed by an officer (see derived/derived-inputs.ts).
 * A boolean input is compared with `eq`; a share is a fraction 0..1 compared with `gte`.
 * In a scoring context, `null` means "not applicable" and a missing key means "not known yet".
 */
export const DERIVED_INPUT_KEYS = [
  'schoolAgeChildrenAllInSchool',
  'memberHouseholdsLearningFamilyShare',
  'memberHouseholdsNoDropout',
  'villageHouseholdsLearningFamilyShare',
  'villageClansLearningClanShare',
  'membersLearningCitizenShare',
] as const;
export type DerivedInputKey = (typeof DERIVED_INPUT_KEYS)[number];
export type DerivedValue = number | boolean | null;

export const DERIVED_INPUT_KIND: Record<DerivedInputKey, 'boolean' | 'share'> = {
  schoolAgeChildrenAllInSchool: 'boolean',
  memberHouseholdsLearningFamilyShare: 'share',
  memberHouseholdsNoDropout: 'boolean',
  villageHouseholdsLearningFamilyShare: 'share',
  villageClansLearningClanShare: 'share',
  membersLearningCitizenShare: 'share',
};

/** criteria.md tags: V verified in the official text, P secondary source, U unverified. */
export const CONFIDENCE_TAGS = ['V', 'P', 'U'] as const;
export const VERIFICATION_STATES = ['verified', 'partial', 'draft'] as const;

const ID_PATTERN = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const idSchema = z.string().regex(ID_PATTERN);
const textSchema = z.string().trim().min(1);

const legalReferenceSchema = z.strictObject({
  documentNumber: textSchema,
  /** YYYY-MM-DD, or null when the date was not found. */
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable(),
  issuer: textSchema,
  note: textSchema.optional(),
});

const criterionBase = {
  id: idSchema,
  label: textSchema,
  hint: textSchema.optional(),
  confidence: z.enum(CONFIDENCE_TAGS),
  /** "na" answers (or a null derived value) are accepted and leave the item out of the result. */
  allowNotApplicable: z.boolean().optional(),
};

const checkCriterionSchema = z.strictObject({
  ...criterionBase,
  kind: z.literal('check'),
  /** Not required: a fail or no answer does not block the title. */
  optional: z.boolean().optional(),
});

const pointsCriterionSchema = z.strictObject({
  ...criterionBase,
  kind: z.literal('points'),
  maxPoints: z.number().int().positive(),
  /** Overrides `rules.minPointsPerItem` for this item. */
  minPoints: z.number().int().nonnegative().optional(),
});

/** A pass/fail whose fail refuses the title whatever the rest. */
const disqualifierCriterionSchema = z.strictObject({ ...criterionBase, kind: z.literal('disqualifier') });

const derivedCriterionSchema = z.strictObject({
  ...criterionBase,
  kind: z.literal('derived'),
  input: z.enum(DERIVED_INPUT_KEYS),
  comparator: z.enum(['gte', 'eq']),
  target: z.union([z.number(), z.boolean()]),
});

export const criterionSchema = z.discriminatedUnion('kind', [
  checkCriterionSchema,
  pointsCriterionSchema,
  disqualifierCriterionSchema,
  derivedCriterionSchema,
]);

const groupSchema = z.strictObject({
  id: idSchema,
  label: textSchema,
  /** The group's points as the source states them; checked against its items. */
  maxPoints: z.number().int().positive().optional(),
  criteria: z.array(criterionSchema).min(1),
});

const rulesSchema = z.strictObject({
  /** Points needed out of `maxPoints`; required when the set has points items. */
  passMark: z.number().int().nonnegative().optional(),
  /** Lower pass mark in vùng sâu, vùng xa, vùng ĐBKK, vùng đồng bào DTTS. */
  passMarkByArea: z.strictObject({ disadvantaged: z.number().int().nonnegative() }).optional(),
  minPointsPerItem: z.number().int().nonnegative().optional(),
  /** The set's total as the source states it; checked against the items. */
  maxPoints: z.number().int().positive().optional(),
  /** False: the pass mark is provisional, the UI must say so. */
  passMarkConfirmed: z.boolean(),
});

const criteriaSetObjectSchema = z.strictObject({
  id: idSchema,
  version: z.number().int().positive(),
  title: z.enum(TITLES),
  name: textSchema,
  legalBasis: legalReferenceSchema,
  /** Other documents the set draws on (predecessors, programmes, related titles). */
  relatedDocuments: z.array(legalReferenceSchema).optional(),
  effectiveFromYear: z.number().int(),
  effectiveToYear: z.number().int().nullable(),
  verification: z.enum(VERIFICATION_STATES),
  /** Why the set is not verified; empty only when it is. */
  verificationNote: z.string(),
  groups: z.array(groupSchema).min(1),
  rules: rulesSchema,
});

export const criteriaSetSchema = criteriaSetObjectSchema.superRefine((set, ctx) => {
  for (const message of findSetProblems(set)) ctx.addIssue({ code: 'custom', message });
});

export type CriteriaSet = z.output<typeof criteriaSetObjectSchema>;
export type CriteriaGroup = CriteriaSet['groups'][number];
export type Criterion = z.output<typeof criterionSchema>;
export type PointsCriterion = Extract<Criterion, { kind: 'points' }>;
export type DerivedCriterion = Extract<Criterion, { kind: 'derived' }>;
export type LegalReference = z.output<typeof legalReferenceSchema>;

/** Every criterion of the set, in display order (group by group). */
export function listCriteria(set: Pick<CriteriaSet, 'groups'>): Criterion[] {
  return set.groups.flatMap((group) => group.criteria);
}

export function sumMaxPoints(criteria: readonly Criterion[]): number {
  return criteria.reduce((sum, c) => sum + (c.kind === 'points' ? c.maxPoints : 0), 0);
}

/** Consistency rules a shipped set must meet; messages are for developers, not users. */
function findSetProblems(set: CriteriaSet): string[] {
  const problems: string[] = [];
  const criteria = listCriteria(set);
  const ids = [...set.groups.map((g) => g.id), ...criteria.map((c) => c.id)];
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push(`duplicate id ${id}`);

  for (const group of set.groups) {
    const sum = sumMaxPoints(group.criteria);
    if (group.maxPoints !== undefined && group.maxPoints !== sum)
      problems.push(`group ${group.id} claims ${group.maxPoints} points, items give ${sum}`);
  }
  for (const c of criteria) problems.push(...findCriterionProblems(c, set.rules.minPointsPerItem));

  const total = sumMaxPoints(criteria);
  const { passMark, passMarkByArea, maxPoints } = set.rules;
  if (maxPoints !== undefined && maxPoints !== total)
    problems.push(`set claims ${maxPoints} points, items give ${total}`);
  if (total > 0 && passMark === undefined) problems.push('a set with points items needs a passMark');
  if (total === 0 && (passMark !== undefined || passMarkByArea !== undefined))
    problems.push('a pass mark needs points items');
  if (passMark !== undefined && passMark > total)
    problems.push(`passMark ${passMark} is above the ${total} points available`);
  if (passMarkByArea && passMark !== undefined && passMarkByArea.disadvantaged > passMark)
    problems.push('the area pass mark must not be above the passMark');

  if (set.effectiveToYear !== null && set.effectiveToYear < set.effectiveFromYear)
    problems.push('effectiveToYear is before effectiveFromYear');
  if (set.verification !== 'verified' && set.verificationNote.trim() === '')
    problems.push('a set that is not verified needs a verificationNote');
  return problems;
}

function findCriterionProblems(c: Criterion, minPointsPerItem: number | undefined): string[] {
  if (c.kind === 'points') {
    const min = c.minPoints ?? minPointsPerItem;
    return min !== undefined && min > c.maxPoints ? [`${c.id}: minimum ${min} is above maxPoints ${c.maxPoints}`] : [];
  }
  if (c.kind !== 'derived') return [];
  const isBoolean = DERIVED_INPUT_KIND[c.input] === 'boolean';
  if (isBoolean && (c.comparator !== 'eq' || typeof c.target !== 'boolean'))
    return [`${c.id}: boolean input ${c.input} needs eq and a boolean target`];
  if (!isBoolean && (typeof c.target !== 'number' || c.target < 0 || c.target > 1))
    return [`${c.id}: share input ${c.input} needs a target between 0 and 1`];
  return [];
}
