import { describe, expect, it } from 'vitest';
import { UUID_PATTERN, uuidv7 } from './ids';

const bytes = (fill: number) => new Uint8Array(16).fill(fill);

describe('uuidv7', () => {
  it('produces a version 7, variant 10 UUID', () => {
    const id = uuidv7(1_795_000_000_000, bytes(0xff));
    expect(id).toMatch(UUID_PATTERN);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
  });

  it('sorts ids made later after ids made earlier', () => {
    const earlier = uuidv7(1_795_000_000_000, bytes(0xff));
    const later = uuidv7(1_795_000_000_001, bytes(0x00));
    expect(earlier < later).toBe(true);
  });

  it('puts the milliseconds in the first 48 bits', () => {
    expect(uuidv7(0x0123456789ab, bytes(0)).slice(0, 13)).toBe('01234567-89ab');
  });
});
