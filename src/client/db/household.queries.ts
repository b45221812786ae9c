import type { AppDatabase, HouseholdRow } from './db';

/** The live households of these villages, unsorted (a clan's member picker searches among them). */
export function listLiveHouseholdsIn(db: AppDatabase, villageIds: readonly string[]): Promise<HouseholdRow[]> {
  return db.households
    .where('data.villageId')
    .anyOf([...villageIds])
    .filter((h) => h.deleted === 0)
    .toArray();
}

/** The households of `ids` this device holds, in the order asked (ids it does not hold are left out). */
export async function readHouseholds(db: AppDatabase, ids: readonly string[]): Promise<HouseholdRow[]> {
  return (await db.households.bulkGet([...ids])).flatMap((h) => (h ? [h] : []));
}
