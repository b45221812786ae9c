import { z } from 'zod';
import { UUID_PATTERN } from '../ids';
import { messageKey } from './messages';

export const NAME_MAX_LENGTH = 100;
export const NOTE_MAX_LENGTH = 1000;
export const EARLIEST_BIRTH_YEAR = 1900;
/** Assessments exist from the 2021–2030 programme on; earlier years are not recorded. */
export const FIRST_ASSESSMENT_YEAR = 2016;

export const idSchema = z.string({ message: 'errors.required' }).regex(UUID_PATTERN, { message: 'errors.id.invalid' });

/** A reference to another record, with the message to show when it is missing. */
export function referenceSchema(missingKey: string) {
  return z.string({ message: missingKey }).regex(UUID_PATTERN, { message: 'errors.id.invalid' });
}

export const communeCodeSchema = z.string().regex(/^\d{5}$/, { message: 'errors.communeCode.invalid' });
export const provinceCodeSchema = z.string().regex(/^\d{2}$/, { message: 'errors.provinceCode.invalid' });

/** A required line of text: trimmed, NFC (one form for every diacritic), not empty, bounded. */
export function requiredText(max: number = NAME_MAX_LENGTH) {
  return z
    .string({ message: 'errors.required' })
    .transform((s) => s.normalize('NFC').trim().replace(/\s+/g, ' '))
    .pipe(
      z
        .string()
        .min(1, { message: 'errors.required' })
        .max(max, { message: messageKey('errors.text.tooLong', { max }) }),
    );
}

/** Optional text: empty becomes undefined, so "nothing typed" and "not given" are one state. */
export function optionalText(max: number = NOTE_MAX_LENGTH) {
  return z
    .string()
    .optional()
    .transform((s) => {
      const v = s?.normalize('NFC').trim();
      return v ? v : undefined;
    })
    .pipe(
      z
        .string()
        .max(max, { message: messageKey('errors.text.tooLong', { max }) })
        .optional(),
    );
}

/** Vietnamese phone numbers: 10 digits from 0, or +84 then 9 digits; spaces and dots allowed. */
export const optionalPhoneSchema = z
  .string()
  .optional()
  .transform((s) => {
    const v = s?.replace(/[\s.-]/g, '');
    return v ? v : undefined;
  })
  .pipe(
    z
      .string()
      .regex(/^(0\d{9}|\+84\d{9})$/, { message: 'errors.phone.invalid' })
      .optional(),
  );

export function yearSchema(min: number, max: number, tooEarlyKey: string, tooLateKey: string) {
  return z.coerce
    .number({ message: 'errors.year.invalid' })
    .int({ message: 'errors.year.invalid' })
    .min(min, { message: messageKey(tooEarlyKey, { min }) })
    .max(max, { message: messageKey(tooLateKey, { max }) });
}

/**
 * A schema builder that depends only on the current year, built once per year. Building a zod
 * schema is far costlier than using it (zod compiles a fast path on first parse), and the server
 * checks thousands of records per push with the same few schemas. Zod schemas are immutable, so
 * every caller can share one.
 */
export function perYear<T>(build: (currentYear: number) => T): (currentYear: number) => T {
  const built = new Map<number, T>();
  return (currentYear) => {
    let schema = built.get(currentYear);
    if (schema === undefined) {
      schema = build(currentYear);
      built.set(currentYear, schema);
    }
    return schema;
  };
}
