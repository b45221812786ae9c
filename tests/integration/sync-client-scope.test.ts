import 'fake-indexeddb/auto';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { saveCitizen } from '../../src/client/db/citizen.repository';
import { listConflicts } from '../../src/client/db/conflict.repository';
import { openDatabase } from '../../src/client/db/db';
import { writeSetting } from '../../src/client/db/settings.repository';
import { pullChanges } from '../../src/client/sync/apply-pull';
import { createSyncEngine } from '../../src/client/sync/sync-engine';
import { createHttpTransport } from '../../src/client/sync/transport';
import { uuidv7 } from '../../src/shared/ids';
import {
  citizenData,
  enrollDevice,
  householdData,
  opBuilder,
  pushOk,
  useSyncServer,
  villageData,
} from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

const newId = () => uuidv7(Date.now(), randomBytes(16));
let communeCounter = 0;
const freshCommune = () => String(39000 + (communeCounter += 1));

describe.each(STORE_CASES)('a village phone when a household leaves its village, on $kind', (storeCase) => {
  const server = useSyncServer(storeCase);

  it('removes the household and its members, and keeps my unsent edit of a member in the conflict list instead of losing it', async () => {
    const communeCode = freshCommune();
    const [v1, v2, h, head, child] = [newId(), newId(), newId(), newId(), newId()];
    const office = await enrollDevice(server.baseUrl, server.store, { communeCode });
    const officeOps = opBuilder(communeCode);
    await pushOk(server.baseUrl, office, [
      officeOps.upsert('village', v1, villageData()),
      officeOps.upsert('village', v2, villageData({ name: 'Thôn Tây' })),
      officeOps.upsert('household', h, householdData(v1)),
      officeOps.upsert('citizen', head, citizenData(h)),
      officeOps.upsert(
        'citizen',
        child,
        citizenData(h, {
          fullName: 'Nguyễn Minh Châu',
          birthYear: 2014,
          relation: 'con',
          isWorker: false,
          schooling: 'dang_di_hoc',
          cdhtGroup: 'hoc_sinh',
        }),
      ),
    ]);

    const enrolled = await enrollDevice(server.baseUrl, server.store, { communeCode, villageIds: [v1] });
    const db = await openDatabase(`village-phone-${newId()}`);
    await writeSetting(
      db,
      'commune',
      { communeCode, communeName: 'Xã Thử', provinceCode: '79', provinceName: 'Thành phố Hồ Chí Minh' },
      new Date(),
    );
    const transport = createHttpTransport({ serverUrl: server.baseUrl, token: enrolled.token });
    const engine = createSyncEngine({ db, transport, deviceId: enrolled.deviceId, clock: () => new Date() });
    expect((await engine.syncNow()).ok).toBe(true);
    expect(await db.citizens.count()).toBe(2);

    // I correct the child's name on the phone; before it syncs, the office moves the household to V2.
    const local = await db.citizens.get(child);
    await saveCitizen(
      db,
      { now: new Date(), newId, communeCode },
      { ...(local?.data ?? {}), fullName: 'Nguyễn Minh Chánh' },
      child,
    );
    await pushOk(server.baseUrl, office, [officeOps.upsert('household', h, householdData(v2), 1)]);

    expect((await pullChanges(db, transport, () => new Date())).ok).toBe(true);
    expect(await db.households.get(h)).toBeUndefined();
    expect(await db.citizens.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    expect(await listConflicts(db)).toEqual([
      expect.objectContaining({
        recordId: child,
        outOfScope: true,
        mine: expect.objectContaining({ fullName: 'Nguyễn Minh Chánh' }),
      }),
    ]);
    // Nothing of it is sent afterwards, so nothing comes back refused either.
    expect((await engine.syncNow()).ok).toBe(true);
    expect(await db.rejections.count()).toBe(0);
    db.close();
    await db.delete();
  });
});
