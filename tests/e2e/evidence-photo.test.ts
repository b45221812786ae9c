import { describe, expect, it } from 'vitest';
import { PHONE } from '../support/browser';
import { useE2eEnvironment } from '../support/e2e-fixture';
import { AppPage } from './pages/app-page';
import { HouseholdFormPage, SetupPage, VillagesPage } from './pages/register-pages';

describe('evidence photos', () => {
  const env = useE2eEnvironment();

  it('shrinks a large camera photo on the device to at most 1280 px and under 300 KB, offline', async () => {
    const context = await env.browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(env.server.url);
    await new AppPage(page).waitForServiceWorkerControl();
    await context.setOffline(true);
    await new SetupPage(page).chooseCommune('Thành phố Hồ Chí Minh', '25942', /Phường Dĩ An/);
    await page.getByRole('link', { name: 'Thêm thôn' }).click();
    const villages = new VillagesPage(page);
    await villages.addVillage('Tổ dân phố 3');
    await villages.openVillage('Tổ dân phố 3');
    await page.getByRole('link', { name: '+ Thêm hộ' }).click();
    await new HouseholdFormPage(page).fillMember(0, { name: 'Lê Văn Cường', sex: 'Nam', birthYear: '1975' });
    await new HouseholdFormPage(page).save('Lê Văn Cường');
    await page.getByRole('link', { name: 'Đánh giá Công dân học tập cho Lê Văn Cường' }).click();

    // A 4000×3000 photo full of noise: the hardest case for JPEG, several MB at high quality.
    const original = await page.evaluate(async () => {
      const canvas = new OffscreenCanvas(4000, 3000);
      const context = canvas.getContext('2d')!;
      const image = context.createImageData(4000, 3000);
      for (let i = 0; i < image.data.length; i += 4) {
        const v = (i * 2654435761) >>> 24;
        image.data[i] = v;
        image.data[i + 1] = (v * 7) & 255;
        image.data[i + 2] = (v * 13) & 255;
        image.data[i + 3] = 255;
      }
      context.putImageData(image, 0, 0);
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.95 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    });
    const photo = Buffer.from(original, 'base64');
    expect(photo.length).toBeGreaterThan(1_000_000);

    const criterion = page.getByRole('listitem', { name: /^Đọc, cập nhật/ });
    await criterion.getByText('Thêm ghi chú, ảnh minh chứng').click();
    await criterion
      .getByLabel('Chụp ảnh')
      .setInputFiles({ name: 'anh-minh-chung.jpg', mimeType: 'image/jpeg', buffer: photo });
    await criterion.getByRole('button', { name: 'Bỏ ảnh 1' }).waitFor();

    const stored = await page.evaluate(
      () =>
        new Promise<{ width: number; height: number; bytes: number; blobSize: number; type: string }[]>(
          (resolve, reject) => {
            const open = indexedDB.open('so-khuyen-hoc');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const request = open.result.transaction('attachments').objectStore('attachments').getAll();
              request.onsuccess = () =>
                resolve(
                  request.result.map((a: { width: number; height: number; bytes: number; blob: Blob }) => ({
                    width: a.width,
                    height: a.height,
                    bytes: a.bytes,
                    blobSize: a.blob.size,
                    type: a.blob.type,
                  })),
                );
            };
          },
        ),
    );
    expect(stored).toHaveLength(1);
    const [row] = stored;
    expect(Math.max(row!.width, row!.height)).toBeLessThanOrEqual(1280);
    expect(row!.width / row!.height).toBeCloseTo(4 / 3, 1);
    expect(row!.blobSize).toBeLessThan(300 * 1024);
    expect(row!.bytes).toBe(row!.blobSize);
    expect(row!.type).toBe('image/jpeg');
    await context.close();
  });
});
