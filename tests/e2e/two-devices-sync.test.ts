import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PHONE } from '../support/browser';
import { useE2eEnvironment } from '../support/e2e-fixture';
import { HouseholdFormPage, VillagesPage } from './pages/register-pages';
import { enrolledPhone, pullEverything, readSyncToken, syncNow } from './pages/sync-phone';

async function editAddress(page: Page, head: string, address: string) {
  await page
    .getByRole('link', { name: new RegExp(head) })
    .first()
    .click();
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
    await card
      .getByRole('row', { name: /Địa chỉ/ })
      .getByText('Xóm 9 (máy B)')
      .waitFor();
    await card.getByRole('button', { name: 'Giữ tất cả của tôi' }).click();
    await a.getByText('Không có thay đổi nào trùng với người khác.').waitFor();
    await syncNow(a);
    await syncNow(b);

    // Every record is on the server once, at the version the story implies.
    const all = await pullEverything(env.server.url, await readSyncToken(a));
    const villages = all.filter((r) => r.entity === 'village');
    expect(villages).toHaveLength(51);
    expect(new Set(villages.map((v) => v.data.name)).size).toBe(51);
    expect(villages.every((v) => v.version === 1)).toBe(true);
    const household = all.find((r) => r.entity === 'household');
    expect(household).toMatchObject({ version: 3, data: { address: 'Xóm 2 (máy A)' } });

    // B sees A's resolution.
    await b.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Thôn, tổ' }).click();
    await new VillagesPage(b).openVillage('Thôn Đông');
    await b
      .getByRole('link', { name: /Nguyễn Văn An/ })
      .first()
      .click();
    await b.getByText('Xóm 2 (máy A)').waitFor();
    await contextA.close();
    await contextB.close();
  }, 180_000);
});
