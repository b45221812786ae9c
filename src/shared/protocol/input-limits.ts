import { messageKey } from '../schemas/messages';
import type { ErrorDetail } from './errors.schema';

/**
 * What any value a device sends inside an op may hold (sync-protocol.md, "Hostile and broken
 * input"). The record schemas bound the fields they know; these bound everything else, including
 * keys the schemas would drop, so nothing the database cannot store (PostgreSQL's jsonb refuses
 * U+0000 and unpaired surrogates) or the server cannot walk reaches either. The phone can run the
 * same check before it queues an op.
 */

/** Objects and arrays nested in one op, the op itself being level 1 (a record needs about 6). */
export const MAX_NESTING_DEPTH = 16;
/** UTF-16 code units in one string value (the longest field a schema allows is 1,000). */
export const MAX_STRING_LENGTH = 10_000;
/** UTF-16 code units in one object key (criterion ids are the longest keys, under 40). */
export const MAX_KEY_LENGTH = 100;
/** Items in one array. */
export const MAX_ARRAY_LENGTH = 1_000;
/** Keys in one object. */
export const MAX_OBJECT_KEYS = 500;
/** Problems reported for one value: enough to act on, bounded for what is stored with the answer. */
export const MAX_INPUT_PROBLEMS = 10;
/** Code points of a key shown in a problem's path. */
const SHOWN_KEY_CODE_POINTS = 40;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** Text holding U+0000 or half of a surrogate pair: no database column or jsonb can store it. */
export function hasInvalidCharacters(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

/** A key as a path may show it: bad characters as U+FFFD, at most SHOWN_KEY_CODE_POINTS long. */
function shownKey(key: string): string {
  const points = Array.from(key.replaceAll('\u0000', '\uFFFD').replace(LONE_SURROGATES, '\uFFFD'));
  return points.length > SHOWN_KEY_CODE_POINTS ? `${points.slice(0, SHOWN_KEY_CODE_POINTS).join('')}…` : points.join('');
}

const join = (path: string, segment: string) => (path === '' ? segment : `${path}.${segment}`);

/**
 * The problems of `value` against the limits above, outer ones first, at most MAX_INPUT_PROBLEMS;
 * empty when it may be stored. Paths start at `root` ("" for the value itself); messages are
 * locale keys. Walks with its own stack, never recursion: a value nested 100,000 deep costs a
 * loop, not the call stack.
 */
export function findInputProblems(value: unknown, root = ''): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 1 }];
  const note = (path: string, message: string) => {
    if (problems.length < MAX_INPUT_PROBLEMS) problems.push({ path, message });
  };
  while (stack.length > 0 && problems.length < MAX_INPUT_PROBLEMS) {
    const frame = stack.pop();
    if (!frame) break;
    const { path, depth } = frame;
    const current = frame.value;
    if (typeof current === 'string') {
      if (current.length > MAX_STRING_LENGTH) note(path, messageKey('errors.text.tooLong', { max: MAX_STRING_LENGTH }));
      else if (hasInvalidCharacters(current)) note(path, 'errors.text.invalidCharacters');
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth > MAX_NESTING_DEPTH) {
      note(path, messageKey('errors.input.tooDeep', { max: MAX_NESTING_DEPTH }));
      continue;
    }
    const children: { value: unknown; path: string; depth: number }[] = [];
    if (Array.isArray(current)) {
      if (current.length > MAX_ARRAY_LENGTH) {
        note(path, messageKey('errors.input.tooManyItems', { max: MAX_ARRAY_LENGTH }));
        continue;
      }
      current.forEach((item: unknown, index) => children.push({ value: item, path: join(path, String(index)), depth: depth + 1 }));
    } else {
      const entries = Object.entries(current);
      if (entries.length > MAX_OBJECT_KEYS) {
        note(path, messageKey('errors.input.tooManyItems', { max: MAX_OBJECT_KEYS }));
        continue;
      }
      for (const [key, item] of entries) {
        const at = join(path, shownKey(key));
        if (key.length > MAX_KEY_LENGTH) note(at, messageKey('errors.input.keyTooLong', { max: MAX_KEY_LENGTH }));
        else if (hasInvalidCharacters(key)) note(at, 'errors.text.invalidCharacters');
        else children.push({ value: item, path: at, depth: depth + 1 });
      }
    }
    for (let i = children.length - 1; i >= 0; i -= 1) {
      const child = children[i];
      if (child) stack.push(child);
    }
  }
  return problems;
}
