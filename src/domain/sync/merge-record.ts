/** Which side a field takes when two people changed the same record. */
export type FieldChoice = 'mine' | 'theirs';

type Fields = Readonly<Record<string, unknown>>;

/** Equality by value: key order inside objects does not matter. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  const ka = Object.keys(a).filter((k) => (a as Fields)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Fields)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Fields)[k], (b as Fields)[k]));
}

/** The top-level fields whose values differ, sorted, so both devices list them the same way. */
export function differingFields(mine: Fields, theirs: Fields): string[] {
  const keys = new Set([...Object.keys(mine), ...Object.keys(theirs)]);
  return [...keys].filter((k) => !sameValue(mine[k], theirs[k])).sort();
}

/**
 * Resolves a conflict field by field: each differing field takes the chosen side (`fallback` when
 * no choice was made); fields both sides agree on stay. Pure and deterministic, so the same
 * choices give the same record on every device and on the server.
 */
export function mergeRecord(
  mine: Fields,
  theirs: Fields,
  choices: Readonly<Record<string, FieldChoice>>,
  fallback: FieldChoice,
): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const key of [...new Set([...Object.keys(theirs), ...Object.keys(mine)])].sort()) {
    const side = sameValue(mine[key], theirs[key]) ? 'theirs' : (choices[key] ?? fallback);
    const value = side === 'mine' ? mine[key] : theirs[key];
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}
