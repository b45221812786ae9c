import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, PHONE } from '../support/browser';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { AppPage } from './pages/app-page';
import { SetupPage } from './pages/register-pages';

const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../test-results/screens');

describe('the installable app shell, served by the npm start server', () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    server = await startServerProcess();
    browser = await launchBrowser();
    context = await browser.newContext(PHONE);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
  });

  it('works offline after one online visit: Vietnamese shell, and a value written offline survives a reload', async () => {
    const app = new AppPage(await context.newPage());
    await app.open(server.url);
    await app.waitForServiceWorkerControl();
    expect(await app.page.evaluate(() => document.documentElement.lang)).toBe('vi');

    await context.setOffline(true);
    await app.page.reload();
    await app.page.getByRole('heading', { level: 1, name: 'Chọn xã của thiết bị' }).waitFor();
    expect(await app.page.evaluate(() => navigator.onLine)).toBe(false);
    expect(await app.networkStatus().textContent()).toBe('Ngoại tuyến');
    expect(await app.page.getByText('Sổ Khuyến học', { exact: true }).isVisible()).toBe(true);
    // The network really is off: a request that is not precached fails.
    const apiReachable = await app.page.evaluate(() => fetch('/api/v1/health').then(() => true, () => false));
    expect(apiReachable).toBe(false);

    await new SetupPage(app.page).chooseCommune('Thành phố Hồ Chí Minh', 'di an', /Phường Dĩ An/);
    await app.goToSettings();
    await app.saveDeviceName('Máy chị Lan – thôn Đông');
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await app.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'settings-offline-360x640.png') });

    await app.page.reload();
    await app.settingsHeading().waitFor();
    expect(await app.deviceNameInput().inputValue()).toBe('Máy chị Lan – thôn Đông');
    await app.goHome();
    await app.page.getByTestId('home-device-name').filter({ hasText: /^Máy chị Lan – thôn Đông$/ }).waitFor();
    await app.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'home-offline-360x640.png') });
    await context.setOffline(false);
  });

  it('still opens from the service worker after the server process is killed', async () => {
    await server.kill();
    const page = await context.newPage();
    const app = new AppPage(page);
    await app.open(server.url);
    await page.getByTestId('home-device-name').filter({ hasText: /^Máy chị Lan – thôn Đông$/ }).waitFor();
    const health = await page.evaluate(() => fetch('/api/v1/health').then((r) => r.status, () => 'unreachable'));
    expect(health).toBe('unreachable');
  });
});
