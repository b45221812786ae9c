import { z } from 'zod';
import { FIRST_ASSESSMENT_YEAR, idSchema, optionalText, perYear, yearSchema } from './common';
import { messageKey } from './messages';
import { TITLES, type Title } from './titles';

export { TITLES, type Title };

export const SUBJECT_TYPES = ['household', 'clan', 'citizen', 'village', 'unit'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/** What each title is awarded to. */
export const TITLE_SUBJECT: Record<Title, SubjectType> = {
  learning_family: 'household',
  learning_clan: 'clan',
  learning_citizen: 'citizen',
  learning_community: 'village',
  learning_unit: 'unit',
};

/** draft → proposed → reviewed → recognised | not_recognised (review screens come later). */
export const ASSESSMENT_STATUSES = ['draft', 'proposed', 'reviewed', 'recognised', 'not_recognised'] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

export const CHECK_VALUES = ['pass', 'fail', 'na'] as const;
export type CheckValue = (typeof CHECK_VALUES)[number];

/**
 * One answer per criterion: `value` for pass/fail items, `points` for scored items.
 * The criteria set decides which one applies and the points' maximum (domain/scoring checks it).
 */
export const answerSchema = z.object({
  value: z.enum(CHECK_VALUES).optional(),
  points: z
    .number({ message: 'errors.points.invalid' })
    .int({ message: 'errors.points.invalid' })
    .min(0, { message: 'errors.points.negative' })
    .optional(),
  note: optionalText(500),
  /** Evidence photos (minh chứng) stored as attachments. */
  evidenceIds: z.array(idSchema).default([]),
});
export type Answer = z.output<typeof answerSchema>;
export type AnswerInput = z.input<typeof answerSchema>;

export const FAILURE_REASONS = [
  'not_answered', // a criterion the result needs has no answer yet
  'required_failed', // a required pass/fail criterion is "fail"
  'disqualified', // a disqualifying criterion failed: the title is refused whatever the rest
  'below_minimum', // a scored criterion is under its per-item minimum
  'total_below_threshold', // the total is under the pass mark
  'derived_failed', // a value computed from the register misses its bar
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export const failureSchema = z.object({
  criterionId: z.string().nullable(),
  reason: z.enum(FAILURE_REASONS),
  params: z.record(z.string(), z.union([z.number(), z.string()])).default({}),
});
export type Failure = z.output<typeof failureSchema>;

/** What `scoreAssessment` returns; stored with the assessment and re-computed by the server. */
export const scoreResultSchema = z.object({
  passed: z.boolean(),
  /** Every criterion the result depends on is answered. */
  complete: z.boolean(),
  totalPoints: z.number().nullable(),
  maxPoints: z.number().nullable(),
  threshold: z.number().nullable(),
  failures: z.array(failureSchema),
});
export type ScoreResult = z.output<typeof scoreResultSchema>;

export const buildAssessmentSchema = perYear((currentYear: number) =>
  z
    .object({
      subjectType: z.enum(SUBJECT_TYPES),
      subjectId: idSchema,
      title: z.enum(TITLES, { message: 'errors.assessment.title' }),
      year: yearSchema(
        FIRST_ASSESSMENT_YEAR,
        currentYear + 1,
        'errors.assessmentYear.tooEarly',
        'errors.assessmentYear.tooLate',
      ),
      criteriaSetId: z.string().min(1),
      criteriaSetVersion: z.number().int().positive(),
      answers: z.record(z.string(), answerSchema).default({}),
      /** Đăng ký: the date the subject registered for the title (usually early in the year). */
      registeredOn: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'errors.date.invalid' })
        .optional(),
      result: scoreResultSchema,
      status: z.enum(ASSESSMENT_STATUSES).default('draft'),
      notes: optionalText(),
    })
    .refine((a) => TITLE_SUBJECT[a.title] === a.subjectType, {
      message: messageKey('errors.assessment.subjectMismatch'),
      path: ['subjectType'],
    }),
);
export type AssessmentData = z.output<ReturnType<typeof buildAssessmentSchema>>;
export type AssessmentInput = z.input<ReturnType<typeof buildAssessmentSchema>>;
