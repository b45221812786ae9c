import { UUID_PATTERN } from '../../shared/ids';
import { foldForSearch } from '../../shared/text/fold';
import type { Queryable } from '../store/store';
import { AdminError } from './admin-error';

export interface VillageRef {
  readonly id: string;
  /** null: the server does not hold this village (yet). */
  readonly name: string | null;
}

async function readVillages(db: Queryable, communeCode: string) {
  return db.query<{ id: string; name: string | null; code: string | null }>(
    `SELECT id::text AS id, data ->> 'name' AS name, data ->> 'code' AS code
     FROM records WHERE commune_code = $1 AND entity = 'village' AND NOT deleted ORDER BY id`,
    [communeCode],
  );
}

/**
 * The villages an officer named on the command line: a UUID, a village code ("KP01") or a name
 * ("thôn đông", diacritics and case ignored). A UUID the server does not hold is accepted (the
 * village may still be on a device, unsynced); a code or name must match exactly one village.
 */
export async function resolveVillages(
  db: Queryable,
  communeCode: string,
  wanted: readonly string[],
): Promise<VillageRef[]> {
  const villages = await readVillages(db, communeCode);
  const resolved = new Map<string, VillageRef>();
  for (const raw of wanted) {
    const text = raw.trim();
    if (UUID_PATTERN.test(text)) {
      const id = text.toLowerCase();
      resolved.set(id, { id, name: villages.find((v) => v.id === id)?.name ?? null });
      continue;
    }
    const key = foldForSearch(text);
    const matches = villages.filter(
      (v) => (v.code !== null && foldForSearch(v.code) === key) || (v.name !== null && foldForSearch(v.name) === key),
    );
    const match = matches[0];
    if (!match) throw new AdminError('not_found', `Không tìm thấy thôn/khu phố "${text}" trong xã ${communeCode}.`);
    if (matches.length > 1)
      throw new AdminError(
        'ambiguous',
        `Có ${matches.length} thôn/khu phố khớp với "${text}": hãy dùng mã (UUID) của thôn.`,
      );
    resolved.set(match.id, { id: match.id, name: match.name });
  }
  return [...resolved.values()];
}

/** Names for a device's village ids (null for a village the server does not hold). */
export async function describeVillages(
  db: Queryable,
  communeCode: string,
  ids: readonly string[],
): Promise<VillageRef[]> {
  if (ids.length === 0) return [];
  const villages = new Map((await readVillages(db, communeCode)).map((v) => [v.id, v.name]));
  return ids.map((id) => ({ id, name: villages.get(id.toLowerCase()) ?? null }));
}
