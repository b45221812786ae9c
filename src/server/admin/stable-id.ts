import { createHash } from 'node:crypto';

/** SHA-256 of the parts, each separated by a NUL so ("ab", "c") and ("a", "bc") differ. */
export function hashBytes(...parts: readonly string[]): Uint8Array {
  return createHash('sha256').update(parts.join('\u0000'), 'utf8').digest();
}

/**
 * A name-based UUID (version 8, RFC 9562 "custom", from SHA-256): the same parts give the same
 * id forever. Used for rows the admin commands must find again on a re-run (the seed device, the
 * device of an imported file), never for anything a person could guess to gain access.
 */
export function stableUuid(...parts: readonly string[]): string {
  const bytes = hashBytes(...parts).subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80; // version 8
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // variant 10
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
