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
  return points.length > SHOWN_KEY_CODE_POINTS
    ? `${points.slice(0, SHOWN_KEY_CODE_POINTS).join('')}…`
    : points.join('');
}

/** Where a value sits: its parent and its key or index. Paths are spelled only for problems. */
interface Frame {
  readonly value: unknown;
  readonly parent: Frame | undefined;
  readonly segment: string;
  readonly depth: number;
}

/** The frame's path from `root`, with keys as shownKey spells them. */
function pathOf(frame: Frame, root: string): string {
  const segments: string[] = [];
  for (let at: Frame | undefined = frame; at?.parent; at = at.parent) segments.push(shownKey(at.segment));
  return [root, ...segments.reverse()].filter((segment) => segment !== '').join('.');
}

/**
 * The problems of `value` against the limits above, outer ones first, at most MAX_INPUT_PROBLEMS;
 * empty when it may be stored. Paths start at `root` ("" for the value itself); messages are
 * locale keys. Walks with its own stack, never recursion: a value nested 100,000 deep costs a
 * loop, not the call stack. Every op of every push passes here, so a path is spelled only for a
 * problem (spelling every key's path was 5% of a 200-phone burst's server time).
 */
export function findInputProblems(value: unknown, root = ''): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const stack: Frame[] = [{ value, parent: undefined, segment: '', depth: 1 }];
  const note = (frame: Frame, message: string) => {
    if (problems.length < MAX_INPUT_PROBLEMS) problems.push({ path: pathOf(frame, root), message });
  };
  while (stack.length > 0 && problems.length < MAX_INPUT_PROBLEMS) {
    const frame = stack.pop();
    if (!frame) break;
    const { depth } = frame;
    const current = frame.value;
    if (typeof current === 'string') {
      if (current.length > MAX_STRING_LENGTH)
        note(frame, messageKey('errors.text.tooLong', { max: MAX_STRING_LENGTH }));
      else if (hasInvalidCharacters(current)) note(frame, 'errors.text.invalidCharacters');
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth > MAX_NESTING_DEPTH) {
      note(frame, messageKey('errors.input.tooDeep', { max: MAX_NESTING_DEPTH }));
      continue;
    }
    const children: Frame[] = [];
    if (Array.isArray(current)) {
      if (current.length > MAX_ARRAY_LENGTH) {
        note(frame, messageKey('errors.input.tooManyItems', { max: MAX_ARRAY_LENGTH }));
        continue;
      }
      current.forEach((item: unknown, index) =>
        children.push({ value: item, parent: frame, segment: String(index), depth: depth + 1 }),
      );
    } else {
      const entries = Object.entries(current);
      if (entries.length > MAX_OBJECT_KEYS) {
        note(frame, messageKey('errors.input.tooManyItems', { max: MAX_OBJECT_KEYS }));
        continue;
      }
      for (const [key, item] of entries) {
        const child = { value: item, parent: frame, segment: key, depth: depth + 1 };
        if (key.length > MAX_KEY_LENGTH) note(child, messageKey('errors.input.keyTooLong', { max: MAX_KEY_LENGTH }));
        else if (hasInvalidCharacters(key)) note(child, 'errors.text.invalidCharacters');
        else children.push(child);
      }
    }
    for (let i = children.length - 1; i >= 0; i -= 1) {
      const child = children[i];
      if (child) stack.push(child);
    }
  }
  return problems;
}
