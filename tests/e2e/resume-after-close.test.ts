import { randomBytes } from 'node:crypto';
import type { Page, Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { searchTextOf } from '../../src/client/db/household-search';
import { uuidv7 } from '../../src/shared/ids';
import { PHONE } from '../support/browser';
import { useE2eEnvironment } from '../support/e2e-fixture';
import { HouseholdFormPage, VillagesPage } from './pages/register-pages';
import { enrolledPhone, pullEverything, readReceipt, readSyncToken } from './pages/sync-phone';

/** Three pushes of 500 and one of 3 after the three changes typed in the form. */
const BULK_HOUSEHOLDS = 1500;
const COMMUNE = '25942';

interface Rows {
  households: object[];
  outbox: object[];
}

/**
 * A day of offline work in bulk: households and their outbox ops written straight into the app's
 * IndexedDB, row for row as household.repository.ts writes them (the record and its op, with no
 * wire seq and no attempt yet), since typing 1,500 households through the form would take an hour.
 */
function offlineHouseholds(villageId: string, count: number): Rows {
  const rows: Rows = { households: [], outbox: [] };
  const at = new Date('2026-11-24T03:00:00Z');
  for (let i = 1; i <= count; i += 1) {
    const id = uuidv7(at.getTime() + i, randomBytes(16));
    const data = { villageId, headName: `Nguyễn Văn Hộ ${i}`, address: `Xóm ${1 + (i % 9)}` };
    const updatedAt = new Date(at.getTime() + i).toISOString();
    rows.households.push({
      id,
      communeCode: COMMUNE,
      data,
      version: null,
      deleted: 0,
      updatedAt,
      searchText: searchTextOf(data),
    });
    rows.outbox.push({
      opId: uuidv7(at.getTime() + i, randomBytes(16)),
      entity: 'household',
      recordId: id,
      communeCode: COMMUNE,
      kind: 'upsert',
      baseVersion: null,
      data,
      clientTime: updatedAt,
      attempts: 0,
    });
  }
  return rows;
}

/** Runs in the page: adds the rows in one IndexedDB transaction, as one save of the app would. */
async function writeIntoApp(page: Page, rows: Rows) {
  await page.evaluate(
    (rows) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('so-khuyen-hoc');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['households', 'outbox'], 'readwrite');
          rows.households.forEach((row) => tx.objectStore('households').add(row));
          rows.outbox.forEach((row) => tx.objectStore('outbox').add(row));
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
    rows,
  );
}

/** A store of the app, counted in the page. */
function countIn(page: Page, store: 'outbox' | 'conflicts' | 'rejections' | 'households'): Promise<number> {
  return page.evaluate(
    (store) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('so-khuyen-hoc');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const count = open.result.transaction(store).objectStore(store).count();
          count.onsuccess = () => (open.result.close(), resolve(count.result));
        };
      }),
    store,
  );
}

/** The statuses of every push answer the page reads, once all of them are read. */
function watchPushResults(page: Page): () => Promise<string[]> {
  const bodies: Promise<{ results: { status: string }[] }>[] = [];
  page.on('response', (response: Response) => {
    if (response.url().endsWith('/api/v1/sync/push') && response.status() === 200) bodies.push(response.json());
  });
  return async () => (await Promise.all(bodies)).flatMap((body) => body.results.map((r) => r.status));
}

describe('a sync cut short by closing the app', () => {
  const env = useE2eEnvironment();

  it('a page closed mid-batch resumes after reload with nothing lost', async () => {
    // Service workers blocked: page.route must see the app's own requests, not a worker's.
    const context = await env.browser.newContext({ ...PHONE, serviceWorkers: 'block' });
    const page = await enrolledPhone(context, env.server.url, env.server.dataDir, 'Máy thôn Đông', {
      serviceWorker: false,
    });
    const token = await readSyncToken(page);

    // Offline: a village and a household through the form, then 1,500 households in bulk.
    await context.setOffline(true);
    await page.getByRole('link', { name: 'Thôn, tổ' }).click();
    const villages = new VillagesPage(page);
    await villages.addVillage('Thôn Đông');
    await villages.openVillage('Thôn Đông');
    const villageId = /#\/thon\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
    if (!villageId) throw new Error(`no village id in ${page.url()}`);
    await page.getByRole('link', { name: '+ Thêm hộ' }).click();
    await new HouseholdFormPage(page).fillMember(0, { name: 'Trần Văn Tư', sex: 'Nam', birthYear: '1970' });
    await new HouseholdFormPage(page).save('Trần Văn Tư');
    await writeIntoApp(page, offlineHouseholds(villageId, BULK_HOUSEHOLDS));
    const totalOps = 3 + BULK_HOUSEHOLDS;
    expect(await countIn(page, 'outbox')).toBe(totalOps);

    // The second push reaches the server and is applied there, but its answer never comes back.
    let pushes = 0;
    let secondApplied: () => void = () => undefined;
    const secondHeld = new Promise<void>((resolve) => (secondApplied = resolve));
    await page.route('**/api/v1/sync/push', async (route) => {
      pushes += 1;
      if (pushes !== 2) return route.continue();
      await route.fetch();
      secondApplied();
    });
    await context.setOffline(false); // the app syncs by itself when the network returns
    await secondHeld;

    expect(await readReceipt(env.server.url, token)).toMatchObject({ ackSeq: 1000 });
    expect(await countIn(page, 'outbox')).toBe(totalOps - 500);
    await page.close();

    // Opened again on the same phone: the sync at start resends the frozen batch, then the rest.
    const reopened = await context.newPage();
    const pushStatuses = watchPushResults(reopened);
    await reopened.goto(env.server.url);
    await reopened
      .getByTestId('unsynced-count')
      .filter({ hasText: /^0 thay đổi chưa gửi về xã\.$/ })
      .waitFor({ timeout: 60_000 });
    await reopened.getByTestId('sync-status').filter({ hasText: 'Đã đồng bộ.' }).waitFor({ timeout: 60_000 });

    expect(await countIn(reopened, 'outbox')).toBe(0);
    expect(await countIn(reopened, 'conflicts')).toBe(0);
    expect(await countIn(reopened, 'rejections')).toBe(0);
    const statuses = await pushStatuses();
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(500);
    expect(statuses.filter((s) => s === 'applied')).toHaveLength(totalOps - 1000);

    const receipt = await readReceipt(env.server.url, token);
    expect(receipt).toMatchObject({
      ackSeq: totalOps,
      counts: { village: 1, household: BULK_HOUSEHOLDS + 1, citizen: 1, clan: 0, unit: 0, assessment: 0 },
    });
    const households = (await pullEverything(env.server.url, token)).filter((r) => r.entity === 'household');
    expect(households).toHaveLength(BULK_HOUSEHOLDS + 1);
    expect(new Set(households.map((h) => h.id)).size).toBe(BULK_HOUSEHOLDS + 1);
    expect(households.every((h) => h.version === 1)).toBe(true);
    await context.close();
  }, 180_000);
});
