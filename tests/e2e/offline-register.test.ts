import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useE2eEnvironment } from '../support/e2e-fixture';
import { AppPage } from './pages/app-page';
import { AssessmentPage, HouseholdFormPage, SetupPage, VillagesPage } from './pages/register-pages';

const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../test-results/screens');
async function shot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

describe('an officer works a whole day offline', () => {
  const env = useE2eEnvironment();

  it('sets up the commune, registers a household of three, assesses it and a member, and finds it all again after a reload', async () => {
    const page = await env.context.newPage();
    const app = new AppPage(page);
    await page.goto(env.server.url);
    await app.waitForServiceWorkerControl();
    await env.context.setOffline(true);
    await page.reload();

    await new SetupPage(page).chooseCommune('Thành phố Hồ Chí Minh', 'di an', /Phường Dĩ An/);
    await shot(page, 'home-empty');
    await page.getByRole('link', { name: 'Thêm thôn' }).click();
    const villages = new VillagesPage(page);
    await villages.addVillage('Thôn Đông');
    await shot(page, 'villages');
    await villages.openVillage('Thôn Đông');

    await page.getByRole('link', { name: '+ Thêm hộ' }).click();
    const form = new HouseholdFormPage(page);
    await page.getByLabel('Địa chỉ').fill('Xóm 2, đường Lý Thường Kiệt');
    await form.fillMember(0, {
      name: 'Nguyễn Văn An',
      sex: 'Nam',
      birthYear: '1978',
      cdhtGroup: 'Nông dân, lao động nông thôn',
    });
    await form.fillMember(1, {
      name: 'Trần Thị Bình',
      sex: 'Nữ',
      birthYear: '1982',
      relation: 'Vợ / chồng',
      cdhtGroup: 'Nông dân, lao động nông thôn',
    });
    await form.fillMember(2, {
      name: 'Nguyễn Minh Châu',
      sex: 'Nữ',
      birthYear: '2013',
      relation: 'Con',
      schooling: 'Đang đi học',
    });
    await shot(page, 'household-form');
    await form.save('Nguyễn Văn An');
    await shot(page, 'household');

    // Gia đình học tập for the household: 9 points everywhere, no disqualifier.
    await page.getByRole('link', { name: 'Đánh giá', exact: true }).click();
    const assessment = new AssessmentPage(page);
    await page.getByRole('heading', { level: 1, name: /^Gia đình học tập/ }).waitFor();
    await assessment.scoreAll([9]);
    for (const group of await page.getByRole('radiogroup').all()) await group.getByText('Đạt', { exact: true }).click();
    await expect.poll(() => assessment.scorePanel().textContent()).toContain('Đạt (90/100)');
    await shot(page, 'assessment-family');
    await assessment.save();
    await page.getByRole('button', { name: 'Xong, quay lại' }).click();

    // Công dân học tập for the wife: one indicator at 4 fails it whatever the total.
    await page.getByRole('link', { name: 'Đánh giá Công dân học tập cho Trần Thị Bình' }).click();
    await page.getByRole('heading', { level: 1, name: /^Công dân học tập/ }).waitFor();
    await assessment.scoreAll([9, 9, 9, 9, 9, 9, 9, 9, 9, 4]);
    await expect.poll(() => assessment.scorePanel().textContent()).toContain('Chưa đạt (85/100)');
    expect(await assessment.scorePanel().getByTestId('failure-reasons').textContent()).toContain(
      '4 điểm, dưới mức tối thiểu 5 điểm.',
    );
    await shot(page, 'assessment-citizen');
    await assessment.save();

    // Everything survives a reload with the network still off, and is found without diacritics.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /^Công dân học tập/ }).waitFor();
    expect(await assessment.scorePanel().textContent()).toContain('Chưa đạt (85/100)');
    await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Thôn, tổ' }).click();
    await villages.openVillage('Thôn Đông');
    await page.getByLabel(/^Tìm hộ/).fill('nguyen minh chau');
    await page.getByRole('link', { name: /Nguyễn Văn An/ }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'hộ' }).textContent()).toBe('1 / 1 hộ');
    await page.getByLabel(/^Tìm hộ/).fill('le thi');
    await page.getByText('0 / 1 hộ').waitFor();
    await page.getByLabel(/^Tìm hộ/).fill('');
    await page.getByRole('button', { name: 'Đạt', exact: true }).click();
    await page.getByRole('link', { name: /Nguyễn Văn An/ }).waitFor();
    await shot(page, 'household-list');

    await page.getByRole('link', { name: 'Trang chủ' }).click();
    await page.getByTestId('unsynced-count').filter({ hasText: 'thay đổi chưa gửi' }).waitFor();
    expect(await page.getByRole('row', { name: /Thôn Đông/ }).textContent()).toContain('1/1 đã đánh giá');
    await shot(page, 'home');
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  });
});
