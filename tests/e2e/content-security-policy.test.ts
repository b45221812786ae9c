import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PHONE } from '../support/browser';
import { useE2eEnvironment } from '../support/e2e-fixture';
import { AppPage } from './pages/app-page';
import { HouseholdFormPage, SetupPage, VillagesPage } from './pages/register-pages';
import { enrolledPhone, syncNow } from './pages/sync-phone';

/** Records every CSP violation the context's pages report, from their first script on. */
async function watchViolations(context: BrowserContext): Promise<string[]> {
  const seen: string[] = [];
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(message.text());
  });
  await context.exposeFunction('reportCspViolation', (text: string) => seen.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { reportCspViolation?: (text: string) => void }).reportCspViolation;
      report?.(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  return seen;
}

describe('the built app under the server’s Content-Security-Policy', () => {
  const env = useE2eEnvironment();

  it('sets up, registers a household, enrols and syncs with no CSP violation', async () => {
    const violations = await watchViolations(env.context);
    const page = await env.context.newPage();
    const response = await page.goto(env.server.url);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    const app = new AppPage(page);
    await app.waitForServiceWorkerControl();

    await new SetupPage(page).chooseCommune('Thành phố Hồ Chí Minh', '25942', /Phường Dĩ An/);
    await page.getByRole('link', { name: 'Thêm thôn' }).click();
    const villages = new VillagesPage(page);
    await villages.addVillage('Thôn Đông');
    await villages.openVillage('Thôn Đông');
    await page.getByRole('link', { name: '+ Thêm hộ' }).click();
    await new HouseholdFormPage(page).fillMember(0, { name: 'Nguyễn Văn An', sex: 'Nam', birthYear: '1978' });
    await new HouseholdFormPage(page).save('Nguyễn Văn An');
    await app.goToSettings();
    await app.goHome();
    await page.close();

    // A second phone enrols through the app (fetch to the server) and syncs.
    const phone = await env.browser.newContext(PHONE);
    const phoneViolations = await watchViolations(phone);
    const enrolled = await enrolledPhone(phone, env.server.url, env.server.dataDir, 'Máy chị Lan');
    await syncNow(enrolled);

    expect([...violations, ...phoneViolations]).toEqual([]);
    await phone.close();
  });
});
