import { describe, expect, it } from 'vitest';
import {
  findInputProblems,
  hasInvalidCharacters,
  MAX_ARRAY_LENGTH,
  MAX_INPUT_PROBLEMS,
  MAX_KEY_LENGTH,
  MAX_NESTING_DEPTH,
  MAX_OBJECT_KEYS,
  MAX_STRING_LENGTH,
} from './input-limits';

/** `{"a":{"a":…1…}}` nested `levels` deep, built as text so no recursion makes it. */
function nested(levels: number): unknown {
  return JSON.parse('{"a":'.repeat(levels) + '1' + '}'.repeat(levels));
}

describe('input limits', () => {
  it('finds nothing wrong in an ordinary record with Vietnamese text and emoji', () => {
    expect(
      findInputProblems({ data: { headName: 'Nguyễn Thị Ánh 👩‍🌾', answers: { c1: { evidenceIds: ['x'] } } } }),
    ).toEqual([]);
  });

  it('names a NUL or half of a surrogate pair in a value or a key, with the path to it', () => {
    expect(hasInvalidCharacters('Thôn\u0000')).toBe(true);
    expect(hasInvalidCharacters('\uD83D')).toBe(true);
    expect(hasInvalidCharacters('a\uDE00b')).toBe(true);
    expect(hasInvalidCharacters('😀')).toBe(false);
    expect(findInputProblems({ data: { notes: 'dán\u0000', list: ['ok', 'x\uD800'] } }, 'op')).toEqual([
      { path: 'op.data.notes', message: 'errors.text.invalidCharacters' },
      { path: 'op.data.list.1', message: 'errors.text.invalidCharacters' },
    ]);
    // The key is shown with a replacement character, so the answer itself holds no NUL.
    expect(findInputProblems({ data: { 'k\u0000': 1 } })).toEqual([
      { path: 'data.k\uFFFD', message: 'errors.text.invalidCharacters' },
    ]);
  });

  it('stops at the documented depth, without recursion, even 200,000 levels deep', () => {
    expect(findInputProblems(nested(MAX_NESTING_DEPTH - 1))).toEqual([]);
    const tooDeep = findInputProblems(nested(200_000));
    expect(tooDeep).toHaveLength(1);
    expect(tooDeep[0]?.message).toBe(`errors.input.tooDeep?max=${MAX_NESTING_DEPTH}`);
    expect(tooDeep[0]?.path.split('.')).toHaveLength(MAX_NESTING_DEPTH);
  });

  it('refuses strings, keys, arrays and objects past their sizes', () => {
    expect(findInputProblems({ s: 'x'.repeat(MAX_STRING_LENGTH) })).toEqual([]);
    expect(findInputProblems({ s: 'x'.repeat(MAX_STRING_LENGTH + 1) })).toEqual([
      { path: 's', message: `errors.text.tooLong?max=${MAX_STRING_LENGTH}` },
    ]);
    const longKey = 'k'.repeat(MAX_KEY_LENGTH + 1);
    expect(findInputProblems({ [longKey]: 1 })).toEqual([
      { path: `${'k'.repeat(40)}…`, message: `errors.input.keyTooLong?max=${MAX_KEY_LENGTH}` },
    ]);
    expect(findInputProblems({ a: new Array(MAX_ARRAY_LENGTH + 1).fill(0) })).toEqual([
      { path: 'a', message: `errors.input.tooManyItems?max=${MAX_ARRAY_LENGTH}` },
    ]);
    const wide = Object.fromEntries(Array.from({ length: MAX_OBJECT_KEYS + 1 }, (_, i) => [`k${i}`, i]));
    expect(findInputProblems({ o: wide })).toEqual([
      { path: 'o', message: `errors.input.tooManyItems?max=${MAX_OBJECT_KEYS}` },
    ]);
  });

  it('reports at most a bounded number of problems', () => {
    expect(findInputProblems(Array.from({ length: 50 }, () => '\u0000'))).toHaveLength(MAX_INPUT_PROBLEMS);
  });
});
