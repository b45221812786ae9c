import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PHONE } from '../support/browser';
import { useE2eEnvironment } from '../support/e2e-fixture';
import { AppPage } from './pages/app-page';
import { HouseholdFormPage, VillagesPage } from './pages/register-pages';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A one-time code from the admin CLI, talking to the running server over its local channel. */
function enrollmentCode(dataDir: string): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli/admin.ts', '--json', 'enrollment-code', '--commune', '25942'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`admin CLI failed: ${result.stderr}`);
  const parsed = JSON.parse(result.stdout) as { code?: string };
  if (!parsed.code) throw new Error(`no code in ${result.stdout}`);
  return parsed.code;
}

/** A phone that installs the app, names itself and joins the commune with a code. */
async function enrolledPhone(context: BrowserContext, baseUrl: string, dataDir: string, name: string): Promise<Page> {
  const page = await context.newPage();
  const app = new AppPage(page);
  await app.open(baseUrl);
  await app.waitForServiceWorkerControl();
  await page.goto(`${baseUrl}/#/ket-noi?code=${enrollmentCode(dataDir)}`);
  await app.saveDeviceName(name);
  await page.getByRole('button', { name: 'Kết nối' }).click();
  // The spent code leaves the address; the home screen now offers "Đồng bộ ngay".
  await page.getByRole('heading', { level: 1, name: 'Trang chủ' }).waitFor();
  await page.getByRole('button', { name: 'Đồng bộ ngay' }).waitFor();
  return page;
}

async function syncNow(page: Page) {
  await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Trang chủ' }).click();
  await page.getByRole('button', { name: 'Đồng bộ ngay' }).click();
  await page.getByTestId('sync-status').filter({ hasText: 'Đã đồng bộ.' }).waitFor();
}

async function editAddress(page: Page, head: string, address: string) {
  await page.getByRole('link', { name: new RegExp(head) }).first().click();
  await page.getByRole('link', { name: 'Sửa hộ' }).click();
  await page.getByLabel('Địa chỉ').fill(address);
  await new HouseholdFormPage(page).save(head);
}

describe('two phones of one commune', () => {
  const env = useE2eEnvironment();

  it('bring every record to the server once, and show and resolve the household both of them edited', async () => {
    const contextA = await env.browser.newContext(PHONE);
    const contextB = await env.browser.newContext(PHONE);
    const a = await enrolledPhone(contextA, env.server.url, env.server.dataDir, 'Máy A');
    const b = await enrolledPhone(contextB, env.server.url, env.server.dataDir, 'Máy B');

    // A registers a household; both phones get it.
    await a.getByRole('link', { name: 'Thôn, tổ' }).click();
    const villagesA = new VillagesPage(a);
    await villagesA.addVillage('Thôn Đông');
    await villagesA.openVillage('Thôn Đông');
    await a.getByRole('link', { name: '+ Thêm hộ' }).click();
    await new HouseholdFormPage(a).fillMember(0, { name: 'Nguyễn Văn An', sex: 'Nam', birthYear: '1978' });
    await new HouseholdFormPage(a).save('Nguyễn Văn An');
    await syncNow(a);
    await syncNow(b);

    // A goes offline for the day: 50 new villages and an edit of the household.
    await contextA.setOffline(true);
    await a.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Thôn, tổ' }).click();
    for (let i = 1; i <= 50; i += 1) await villagesA.addVillage(`Tổ dân phố ${i}`);
    await villagesA.openVillage('Thôn Đông');
    await editAddress(a, 'Nguyễn Văn An', 'Xóm 2 (máy A)');

    // Meanwhile B, online, edits the same household and syncs first.
    await b.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Thôn, tổ' }).click();
    await new VillagesPage(b).openVillage('Thôn Đông');
    await editAddress(b, 'Nguyễn Văn An', 'Xóm 9 (máy B)');
    await syncNow(b);

    // A comes back: its 50 villages go through, the household edit is a conflict to resolve.
    await contextA.setOffline(false);
    await syncNow(a);
    await a.getByText('1 thay đổi trùng với người khác, cần xem lại.').waitFor();
    await a.getByRole('link', { name: 'Xem và chọn' }).first().click();
    const card = a.getByRole('region', { name: 'Hộ: Nguyễn Văn An' });
    await card.getByRole('row', { name: /Địa chỉ/ }).getByText('Xóm 9 (máy B)').waitFor();
    await card.getByRole('button', { name: 'Giữ tất cả của tôi' }).click();
    await a.getByText('Không có thay đổi nào trùng với người khác.').waitFor();
    await syncNow(a);
    await syncNow(b);

    // Every record is on the server once, at the version the story implies.
    const token = await a.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const open = indexedDB.open('so-khuyen-hoc');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const get = open.result.transaction('settings').objectStore('settings').get('syncAccount');
            get.onsuccess = () => resolve((get.result as { value: { token: string } }).value.token);
          };
        }),
    );
    const all: { entity: string; version: number; data: { name?: string; address?: string } }[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page += 1) {
      const query = cursor ? `?cursor=${cursor}` : '';
      const response = await fetch(`${env.server.url}/api/v1/sync/pull${query}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await response.json()) as { changes: typeof all; cursor: string; hasMore: boolean };
      all.push(...body.changes);
      cursor = body.cursor;
      if (!body.hasMore) break;
    }
    const villages = all.filter((r) => r.entity === 'village');
    expect(villages).toHaveLength(51);
    expect(new Set(villages.map((v) => v.data.name)).size).toBe(51);
    expect(villages.every((v) => v.version === 1)).toBe(true);
    const household = all.find((r) => r.entity === 'household');
    expect(household).toMatchObject({ version: 3, data: { address: 'Xóm 2 (máy A)' } });

    // B sees A's resolution.
    await b.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Thôn, tổ' }).click();
    await new VillagesPage(b).openVillage('Thôn Đông');
    await b.getByRole('link', { name: /Nguyễn Văn An/ }).first().click();
    await b.getByText('Xóm 2 (máy A)').waitFor();
    await contextA.close();
    await contextB.close();
  }, 180_000);
});
