import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, PHONE } from '../support/browser';
import { registerHouseholdsInPage } from '../support/offline-work';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { buildUpdatedApp, NEW_OUTBOX_INDEX, type UpdatedBuild } from '../support/updated-build';
import { AppPage } from './pages/app-page';
import { HouseholdFormPage, VillagesPage } from './pages/register-pages';
import { enrolledPhone, pullEverything, readReceipt, readSyncToken, syncNow } from './pages/sync-phone';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Households saved in bulk through the repository: a household and its head are two changes. */
const BULK_HOUSEHOLDS = 248;
/** Two villages and one household typed in the forms, then the bulk: 500 changes offline. */
const OFFLINE_CHANGES = 2 + 2 + 2 * BULK_HOUSEHOLDS;
const UPDATE_BANNER = 'Đã có phiên bản mới của ứng dụng.';

/** The app's IndexedDB as the page sees it: its version, the outbox's indexes and row counts. */
function readDatabase(page: Page) {
  return page.evaluate(
    () =>
      new Promise<{ version: number; outboxIndexes: string[]; outbox: number; conflicts: number; rejections: number }>(
        (resolve, reject) => {
          const open = indexedDB.open('so-khuyen-hoc');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction(['outbox', 'conflicts', 'rejections']);
            const outboxIndexes = [...tx.objectStore('outbox').indexNames];
            const counts = ['outbox', 'conflicts', 'rejections'].map((store) => tx.objectStore(store).count());
            tx.oncomplete = () => {
              db.close();
              resolve({
                version: db.version,
                outboxIndexes,
                outbox: counts[0]?.result ?? -1,
                conflicts: counts[1]?.result ?? -1,
                rejections: counts[2]?.result ?? -1,
              });
            };
            tx.onerror = () => reject(tx.error);
          };
        },
      ),
  );
}

/**
 * Asks the browser to look for a new version now, as it does by itself on a navigation (or on a
 * fetch once its last look is a day old), and resolves once the new worker is installed and
 * waiting. The app's own listener on that worker (workbox-window, via registerSW) was added before
 * this one, so it has run by then (in a page that saw the first install, as here, it announces the
 * update at "installed"), and one task later React has drawn whatever it changed.
 */
function findUpdate(page: Page): Promise<void> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    if (!registration) throw new Error('no service worker registration');
    const installed = new Promise<void>((resolve, reject) => {
      registration.addEventListener(
        'updatefound',
        () => {
          const worker = registration.installing;
          worker?.addEventListener('statechange', () => {
            if (worker.state === 'installed') resolve();
            if (worker.state === 'redundant') reject(new Error('the new service worker did not install'));
          });
        },
        { once: true },
      );
    });
    await registration.update();
    await installed;
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

function serviceWorkerState(page: Page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return {
      controlled: navigator.serviceWorker.controller !== null,
      waiting: registration?.waiting != null,
      installing: registration?.installing != null,
    };
  });
}

/** The statuses of every push answer the page reads, once all of them are read. */
function watchPushResults(page: Page): () => Promise<string[]> {
  const bodies: Promise<{ results: { status: string }[] }>[] = [];
  page.on('response', (response: Response) => {
    if (response.url().endsWith('/api/v1/sync/push') && response.status() === 200) bodies.push(response.json());
  });
  return async () => (await Promise.all(bodies)).flatMap((body) => body.results.map((r) => r.status));
}

describe('an app update reaching a phone with unsent work', () => {
  let next: UpdatedBuild;
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    const started = await Promise.allSettled([
      buildUpdatedApp().then((build) => (next = build)),
      startServerProcess().then((process) => (server = process)),
      launchBrowser().then((launched) => (browser = launched)),
    ]);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
    next?.remove();
  });

  it('takes the new version only after the open form is saved, upgrades the database under 500 unsent changes, and sends each of them once', async () => {
    // The new build really is another version: its service worker (precache manifest) differs.
    expect(fs.readFileSync(path.join(next.staticDir, 'sw.js'), 'utf8')).not.toBe(
      fs.readFileSync(path.join(ROOT, 'dist', 'sw.js'), 'utf8'),
    );

    // The phone installs the current build and joins the commune.
    const context = await browser.newContext(PHONE);
    const page = await enrolledPhone(context, server.url, server.dataDir, 'Máy cập nhật');
    const token = await readSyncToken(page);
    const before = await readDatabase(page);
    expect(before.outboxIndexes).not.toContain(NEW_OUTBOX_INDEX);

    // Pushes stay on the phone until the new version runs (the test lets them through then), so
    // the schema upgrade runs over every unsent change and the new code sends them.
    let syncRequestsHeld = 0;
    await context.route('**/api/v1/sync/**', (route) => {
      syncRequestsHeld += 1;
      return route.abort('internetdisconnected');
    });

    // A day offline: two villages and a household through the forms, the rest in bulk.
    await context.setOffline(true);
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Thôn, tổ' }).click();
    const villages = new VillagesPage(page);
    await villages.addVillage('Thôn Đông');
    await villages.addVillage('Thôn Tây');
    await villages.openVillage('Thôn Đông');
    const villageId = /#\/thon\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
    if (!villageId) throw new Error(`no village id in ${page.url()}`);
    await page.getByRole('link', { name: '+ Thêm hộ' }).click();
    await new HouseholdFormPage(page).fillMember(0, { name: 'Trần Văn Tư', sex: 'Nam', birthYear: '1970' });
    await new HouseholdFormPage(page).save('Trần Văn Tư');
    const bulkHeads = await registerHouseholdsInPage(page, villageId, BULK_HOUSEHOLDS);
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Trang chủ' }).click();
    await page
      .getByTestId('unsynced-count')
      .filter({ hasText: new RegExp(`^${OFFLINE_CHANGES} thay đổi chưa gửi về xã\\.$`) })
      .waitFor();
    expect((await readDatabase(page)).outbox).toBe(OFFLINE_CHANGES);

    // A new household is being typed in when the new version is deployed.
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Thôn, tổ' }).click();
    await villages.openVillage('Thôn Tây');
    await page.getByRole('link', { name: '+ Thêm hộ' }).click();
    const form = new HouseholdFormPage(page);
    await page.getByLabel('Địa chỉ').fill('Xóm 4, đường Hai Bà Trưng');
    await form.member(0).getByLabel('Họ và tên').fill('Phạm Thị Hoa');
    const loadedAt = await page.evaluate(() => performance.timeOrigin);

    // The server is redeployed with the new build, on the same data and address; the phone comes back online.
    expect(await server.stop()).toBe(0);
    const port = new URL(server.url).port;
    server = await startServerProcess({ PORT: port, DATA_DIR: server.dataDir, STATIC_DIR: next.staticDir });
    await context.setOffline(false);
    await findUpdate(page);

    // The update waits: no reload, no banner over the form, the typing is still there.
    expect(await serviceWorkerState(page)).toEqual({ controlled: true, waiting: true, installing: false });
    expect(await page.evaluate(() => performance.timeOrigin)).toBe(loadedAt);
    expect(await page.getByText(UPDATE_BANNER).isVisible()).toBe(false);
    expect(await page.getByLabel('Địa chỉ').inputValue()).toBe('Xóm 4, đường Hai Bà Trưng');
    expect(await form.member(0).getByLabel('Họ và tên').inputValue()).toBe('Phạm Thị Hoa');

    // The household is finished and saved; only then is the update offered.
    await form.member(0).getByLabel('Giới tính').selectOption({ label: 'Nữ' });
    await form.member(0).getByLabel('Năm sinh').fill('1985');
    await form.save('Phạm Thị Hoa');
    expect(await page.evaluate(() => performance.timeOrigin)).toBe(loadedAt);
    const banner = page.getByRole('status').filter({ hasText: UPDATE_BANNER });
    await banner.waitFor();
    const unsent = OFFLINE_CHANGES + 2;
    expect((await readDatabase(page)).outbox).toBe(unsent);
    // Online, the current version did try to sync (held, so nothing reached the server).
    await expect.poll(() => syncRequestsHeld, { timeout: 30_000 }).toBeGreaterThan(0);

    // "Cập nhật": the new version takes over and the page reloads into it.
    const reloaded = page.waitForEvent('load');
    await banner.getByRole('button', { name: 'Cập nhật' }).click();
    await reloaded;
    await page.getByRole('banner').getByText('Sổ Khuyến học').waitFor();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    expect(await page.evaluate(() => performance.timeOrigin)).not.toBe(loadedAt);
    expect(await serviceWorkerState(page)).toEqual({ controlled: true, waiting: false, installing: false });
    await new AppPage(page).goToSettings();
    await page.getByText(`Phiên bản ${next.appVersion}`).waitFor();

    // The database is at the new schema version (Dexie's n is IndexedDB's 10·n) with nothing lost.
    const after = await readDatabase(page);
    expect(after.version).toBe(10 * next.schemaVersion);
    expect(before.version).toBe(10 * next.previousSchemaVersion);
    expect(after.outboxIndexes).toContain(NEW_OUTBOX_INDEX);
    expect(after.outbox).toBe(unsent);

    // The network lets the pushes through; the new version sends everything.
    const pushStatuses = watchPushResults(page);
    await context.unrouteAll({ behavior: 'ignoreErrors' });
    await syncNow(page);
    const statuses = await pushStatuses();
    expect(statuses).toHaveLength(unsent);
    expect(statuses.every((s) => s === 'applied')).toBe(true);
    expect(await readDatabase(page)).toMatchObject({ outbox: 0, conflicts: 0, rejections: 0 });

    // The server holds each change once: every record at version 1, none missing, none twice.
    expect(await readReceipt(server.url, token)).toMatchObject({
      ackSeq: unsent,
      counts: { village: 2, household: BULK_HOUSEHOLDS + 2, citizen: BULK_HOUSEHOLDS + 2 },
    });
    const records = await pullEverything(server.url, token);
    expect(records).toHaveLength(2 + 2 * (BULK_HOUSEHOLDS + 2));
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
    expect(records.every((r) => r.version === 1)).toBe(true);
    const heads = records.filter((r) => r.entity === 'household').map((r) => r.data.headName);
    expect(heads.sort()).toEqual(['Phạm Thị Hoa', 'Trần Văn Tư', ...bulkHeads].sort());

    // The new version starts with no network too, and shows the day's work.
    await context.setOffline(true);
    await page.reload();
    await page
      .getByTestId('unsynced-count')
      .filter({ hasText: /^0 thay đổi chưa gửi về xã\.$/ })
      .waitFor();
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Thôn, tổ' }).click();
    await villages.openVillage('Thôn Tây');
    await page.getByRole('link', { name: /Phạm Thị Hoa/ }).waitFor();
    await context.close();
  }, 180_000);
});
