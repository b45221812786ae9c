import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes: a device token cannot be guessed, only stolen (it is kept hashed here). */
const TOKEN_BYTES = 32;

/**
 * Enrolment codes are read aloud and typed on a phone: no 0/O and no 1/I. 32 symbols, so one
 * random byte maps to one symbol without bias (256 = 8 × 32).
 */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 10;
const CODE_GROUP = 5;

/** A fresh device token: base64url of 32 random bytes (43 characters). */
export function generateToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** The only form in which a secret (token or enrolment code) is stored. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A new enrolment code, grouped for reading aloud: `XXXXX-XXXXX` (50 random bits). */
export function generateEnrollmentCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  const symbols = Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length] ?? '');
  return `${symbols.slice(0, CODE_GROUP).join('')}-${symbols.slice(CODE_GROUP).join('')}`;
}

/** What a person typed, as it was hashed: upper case, without spaces or dashes. */
export function normaliseEnrollmentCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}
