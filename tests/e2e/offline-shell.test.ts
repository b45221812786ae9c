import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useE2eEnvironment } from '../support/e2e-fixture';
import { AppPage } from './pages/app-page';
import { SetupPage } from './pages/register-pages';

const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../test-results/screens');

describe('the installable app shell, served by the npm start server', () => {
  const env = useE2eEnvironment();

  it('works offline after one online visit: Vietnamese shell, and a value written offline survives a reload', async () => {
    const app = new AppPage(await env.context.newPage());
    await app.open(env.server.url);
    await app.waitForServiceWorkerControl();
    expect(await app.page.evaluate(() => document.documentElement.lang)).toBe('vi');

    await env.context.setOffline(true);
    await app.page.reload();
    await app.page.getByRole('heading', { level: 1, name: 'Chọn xã của thiết bị' }).waitFor();
    expect(await app.page.evaluate(() => navigator.onLine)).toBe(false);
    expect(await app.networkStatus().textContent()).toBe('Ngoại tuyến');
    expect(await app.page.getByText('Sổ Khuyến học', { exact: true }).isVisible()).toBe(true);
    // The network really is off: a request that is not precached fails.
    const apiReachable = await app.page.evaluate(() =>
      fetch('/api/v1/health').then(
        () => true,
        () => false,
      ),
    );
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
    await app.page
      .getByTestId('home-device-name')
      .filter({ hasText: /^Máy chị Lan – thôn Đông$/ })
      .waitFor();
    await app.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'home-offline-360x640.png') });
    await env.context.setOffline(false);
  });

  it('still opens from the service worker after the server process is killed', async () => {
    await env.server.kill();
    const page = await env.context.newPage();
    const app = new AppPage(page);
    await app.open(env.server.url);
    await page
      .getByTestId('home-device-name')
      .filter({ hasText: /^Máy chị Lan – thôn Đông$/ })
      .waitFor();
    const health = await page.evaluate(() =>
      fetch('/api/v1/health').then(
        (r) => r.status,
        () => 'unreachable',
      ),
    );
    expect(health).toBe('unreachable');
  });
});
