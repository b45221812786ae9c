import { describe, expect, it } from 'vitest';
import { generateEnrollmentCode, generateToken, hashSecret, normaliseEnrollmentCode } from './tokens';

describe('secrets', () => {
  it('a device token is 32 random bytes in base64url, different every time', () => {
    const tokens = new Set(Array.from({ length: 100 }, generateToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('an enrolment code is two groups of five symbols with no 0/O or 1/I to confuse', () => {
    for (let i = 0; i < 200; i += 1) expect(generateEnrollmentCode()).toMatch(/^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
  });

  it('a code typed in lower case, with spaces or without its dash, hashes like the printed one', () => {
    const code = generateEnrollmentCode();
    const typed = ` ${code.toLowerCase().replace('-', ' ')} `;
    expect(hashSecret(normaliseEnrollmentCode(typed))).toBe(hashSecret(normaliseEnrollmentCode(code)));
  });

  it('a hash is SHA-256 hex and never contains the secret', () => {
    const token = generateToken();
    expect(hashSecret(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(token)).not.toContain(token);
  });
});
