import { describe, expect, it } from 'vitest';
import { PHONE } from '../support/browser';
import { useE2eEnvironment } from '../support/e2e-fixture';
import { HouseholdFormPage, VillagesPage } from './pages/register-pages';
import { enrolledPhone, pullEverything, readSyncToken, syncNow } from './pages/sync-phone';

/** Text pasted from a word processor can carry a NUL (U+0000), which the server cannot store. */
const PASTED_NOTES = 'Hộ khó khăn\u0000 cần hỗ trợ sách vở';

describe('a change the server cannot store', () => {
  const env = useE2eEnvironment();

  it('does not hold back the phone: the other 20 changes arrive, the bad one is listed with a Vietnamese reason, and nothing is lost', async () => {
    const context = await env.browser.newContext(PHONE);
    const page = await enrolledPhone(context, env.server.url, env.server.dataDir, 'Máy thôn Đông');

    await page.getByRole('link', { name: 'Thôn, tổ' }).click();
    const villages = new VillagesPage(page);
    await villages.addVillage('Thôn Đông');
    await villages.openVillage('Thôn Đông');
    await page.getByRole('link', { name: '+ Thêm hộ' }).click();
    const form = new HouseholdFormPage(page);
    await form.fillMember(0, { name: 'Nguyễn Văn An', sex: 'Nam', birthYear: '1978' });
    await page.locator('#household-notes').fill(PASTED_NOTES);
    await form.save('Nguyễn Văn An');
    expect(await page.locator('#household-notes').count()).toBe(0);

    // Nineteen more villages: with the first one, 20 changes beside the household (and its member).
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Thôn, tổ' }).click();
    for (let i = 1; i <= 19; i += 1) await villages.addVillage(`Tổ dân phố ${i}`);

    await syncNow(page);

    // The 20 villages are on the server; the household is not.
    const all = await pullEverything(env.server.url, await readSyncToken(page));
    expect(all.filter((r) => r.entity === 'village')).toHaveLength(20);
    expect(all.filter((r) => r.entity === 'household')).toHaveLength(0);

    // The phone lists the refused household with its reason, in Vietnamese.
    await page.getByText('1 thay đổi bị xã từ chối, cần sửa.').waitFor();
    await page.getByRole('link', { name: 'Xem và chọn' }).first().click();
    const refused = page.getByRole('region', { name: 'Thay đổi bị xã từ chối' });
    await refused.getByText(/Nguyễn Văn An/).waitFor();
    await refused.getByText(/ký tự/).first().waitFor();

    // Nothing is lost: the household and its pasted notes are still on the phone.
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Thôn, tổ' }).click();
    await villages.openVillage('Thôn Đông');
    await page
      .getByRole('link', { name: /Nguyễn Văn An/ })
      .first()
      .click();
    await page.getByRole('link', { name: 'Sửa hộ' }).click();
    await expect.poll(() => page.locator('#household-notes').inputValue()).toBe(PASTED_NOTES);
    await context.close();
  }, 180_000);
});
