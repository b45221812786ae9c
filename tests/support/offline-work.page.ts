/**
 * Runs inside the app's page (offline-work.ts bundles it): households registered through the
 * product's own repository, each saved as the household form saves it (one transaction, the
 * records and their outbox ops), since typing hundreds through the form would take many minutes.
 */
import { openDatabase } from '../../src/client/db/db';
import { saveHouseholdWithMembers } from '../../src/client/db/household.repository';
import { readSetting } from '../../src/client/db/settings.repository';
import { uuidv7 } from '../../src/shared/ids';

/** Saves `count` households of one member (the head) in a village; returns the heads' names. */
async function registerHouseholds(villageId: string, count: number): Promise<string[]> {
  const db = await openDatabase();
  try {
    const commune = await readSetting(db, 'commune');
    if (!commune) throw new Error('the device has no commune');
    const newId = () => uuidv7(Date.now(), crypto.getRandomValues(new Uint8Array(16)));
    const heads: string[] = [];
    for (let i = 1; i <= count; i += 1) {
      const head = `Lê Văn Hộ ${i}`;
      await saveHouseholdWithMembers(
        db,
        { now: new Date(Date.now()), newId, communeCode: commune.communeCode },
        {
          household: { villageId, address: `Xóm ${1 + (i % 9)}` },
          members: [{ fullName: head, sex: 'nam', birthYear: 1960 + (i % 40), relation: 'chu_ho' }],
        },
      );
      heads.push(head);
    }
    return heads;
  } finally {
    db.close();
  }
}

export const offlineWork = { registerHouseholds };
export type OfflineWork = typeof offlineWork;

declare global {
  interface Window {
    offlineWork?: OfflineWork;
  }
}

window.offlineWork = offlineWork;
