import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { AppPage } from './app-page';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** A one-time code from the admin CLI, talking to the running server over its local channel. */
export function enrollmentCode(dataDir: string): string {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/server/cli/admin.ts', '--json', 'enrollment-code', '--commune', '25942'],
    {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  if (result.status !== 0) throw new Error(`admin CLI failed: ${result.stderr}`);
  const parsed = JSON.parse(result.stdout) as { code?: string };
  if (!parsed.code) throw new Error(`no code in ${result.stdout}`);
  return parsed.code;
}

/**
 * A phone that opens the app, names itself and joins the commune with a code. With
 * `serviceWorker: false` (a context whose service workers are blocked) it does not wait for one.
 */
export async function enrolledPhone(
  context: BrowserContext,
  baseUrl: string,
  dataDir: string,
  name: string,
  options: { serviceWorker?: boolean } = {},
): Promise<Page> {
  const page = await context.newPage();
  const app = new AppPage(page);
  await app.open(baseUrl);
  if (options.serviceWorker !== false) await app.waitForServiceWorkerControl();
  await page.goto(`${baseUrl}/#/ket-noi?code=${enrollmentCode(dataDir)}`);
  await app.saveDeviceName(name);
  await page.getByRole('button', { name: 'Kết nối' }).click();
  // The spent code leaves the address; the home screen now offers "Đồng bộ ngay".
  await page.getByRole('heading', { level: 1, name: 'Trang chủ' }).waitFor();
  await page.getByRole('button', { name: 'Đồng bộ ngay' }).waitFor();
  return page;
}

/**
 * Taps "Đồng bộ ngay" and waits for a sync that ends after the tap, with nothing left unsent.
 * "Đã đồng bộ." alone may still be the text of the sync before; and a tap during a sync that
 * began before the last edit joins that sync, so it is tapped again (at most three times).
 */
export async function syncNow(page: Page) {
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Trang chủ' }).click();
  const status = page.getByTestId('sync-status');
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const before = Number(await status.getAttribute('data-sync-runs'));
    await page.getByRole('button', { name: 'Đồng bộ ngay' }).click();
    await page.waitForFunction(
      (runs) => Number(document.querySelector('[data-testid="sync-status"]')?.getAttribute('data-sync-runs')) > runs,
      before,
    );
    await status.filter({ hasText: 'Đã đồng bộ.' }).waitFor();
    if (await page.getByText('0 thay đổi chưa gửi về xã.').isVisible()) return;
  }
  throw new Error('changes were still unsent after three syncs');
}

/** The device token the app keeps, to ask the server what it holds as that device would. */
export function readSyncToken(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('so-khuyen-hoc');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('settings').objectStore('settings').get('syncAccount');
          get.onsuccess = () => {
            resolve((get.result as { value: { token: string } }).value.token);
            open.result.close();
          };
        };
      }),
  );
}

export interface PulledRecord {
  readonly entity: string;
  readonly id: string;
  readonly version: number;
  readonly data: { name?: string; address?: string; headName?: string };
}

/** Every record of the commune as the server gives it to a device: a full pull from the start. */
export async function pullEverything(baseUrl: string, token: string): Promise<PulledRecord[]> {
  const all: PulledRecord[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page += 1) {
    const query = cursor ? `?cursor=${cursor}` : '';
    const response = await fetch(`${baseUrl}/api/v1/sync/pull${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as { changes: PulledRecord[]; cursor: string; hasMore: boolean };
    all.push(...body.changes);
    cursor = body.cursor;
    if (!body.hasMore) return all;
  }
  throw new Error('pull did not end after 100 pages');
}

/** "Đã nhận tại xã": the highest seq of this device with a result, and its records by entity. */
export async function readReceipt(
  baseUrl: string,
  token: string,
): Promise<{ ackSeq: number; counts: Record<string, number> }> {
  const response = await fetch(`${baseUrl}/api/v1/sync/receipt`, { headers: { authorization: `Bearer ${token}` } });
  return (await response.json()) as { ackSeq: number; counts: Record<string, number> };
}
