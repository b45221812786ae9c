import { foldForSearch } from '../../shared/text/fold';
import type { AppDatabase, HouseholdRow } from './db';

/**
 * The folded text a household is found by from its own fields: head, address, phone. Kept on the
 * row (derived only from the row's own data, so no other record's write has to touch it).
 */
export function searchTextOf(household: { headName: string; address?: string; phone?: string }): string {
  return foldForSearch([household.headName, household.address ?? '', household.phone ?? ''].join(' '));
}

/**
 * The folded names of each household's live members, read when a screen searches (one indexed
 * read for a village's households). Members are not copied onto the household row: a copy had to
 * be rewritten by every citizen write, pull page and move, and went stale when a member moved out.
 */
export async function readMemberSearchText(
  db: AppDatabase,
  householdIds: readonly string[],
): Promise<Map<string, string>> {
  if (householdIds.length === 0) return new Map();
  const byHousehold = new Map<string, string[]>();
  const members = await db.citizens
    .where('data.householdId')
    .anyOf([...householdIds])
    .toArray();
  for (const m of members) {
    if (m.deleted === 1) continue;
    const names = byHousehold.get(m.data.householdId);
    if (names) names.push(m.data.fullName);
    else byHousehold.set(m.data.householdId, [m.data.fullName]);
  }
  return new Map([...byHousehold].map(([id, names]) => [id, foldForSearch(names.join(' '))]));
}

/** The folded words of a query (empty: everything matches). */
export function queryWords(query: string): string[] {
  return foldForSearch(query)
    .split(' ')
    .filter((w) => w.length > 0);
}

/**
 * True when every word of the query occurs in the household's own search text or its members'
 * names (`members` from readMemberSearchText; while it loads, own fields only).
 */
export function householdMatches(
  household: Pick<HouseholdRow, 'id' | 'searchText'>,
  members: ReadonlyMap<string, string> | undefined,
  words: readonly string[],
): boolean {
  const names = members?.get(household.id);
  const own = household.searchText ?? ''; // a household pulled as a tombstone without data has none
  return words.every((w) => own.includes(w) || (names !== undefined && names.includes(w)));
}

/** readMemberSearchText for every household (live or not) of these villages. */
export async function readVillagesMemberSearchText(
  db: AppDatabase,
  villageIds: readonly string[],
): Promise<Map<string, string>> {
  const ids = await db.households
    .where('data.villageId')
    .anyOf([...villageIds])
    .primaryKeys();
  return readMemberSearchText(db, ids);
}

/** The live households of these villages that a query finds (what the list screen shows for it). */
export async function searchHouseholds(
  db: AppDatabase,
  villageIds: readonly string[],
  query: string,
): Promise<HouseholdRow[]> {
  const [households, members] = await Promise.all([
    db.households
      .where('data.villageId')
      .anyOf([...villageIds])
      .filter((h) => h.deleted === 0)
      .toArray(),
    readVillagesMemberSearchText(db, villageIds),
  ]);
  const words = queryWords(query);
  return households.filter((h) => householdMatches(h, members, words));
}
