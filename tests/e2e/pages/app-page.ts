import type { Page } from 'playwright-core';

/** The app as a person sees it: roles and labels, never CSS selectors. */
export class AppPage {
  constructor(readonly page: Page) {}

  /** Opens the app and waits for its shell (any first screen: home or first-run setup). */
  async open(url: string) {
    await this.page.goto(url);
    await this.page.getByRole('banner').getByText('Sổ Khuyến học').waitFor();
    await this.page.getByRole('heading', { level: 1 }).waitFor();
  }

  /** Resolves once a service worker controls the page (the shell is then precached). */
  async waitForServiceWorkerControl() {
    await this.page.evaluate(() => navigator.serviceWorker.ready);
    await this.page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  }

  homeHeading() {
    return this.page.getByRole('heading', { level: 1, name: 'Trang chủ' });
  }

  settingsHeading() {
    return this.page.getByRole('heading', { level: 1, name: 'Cài đặt' });
  }

  networkStatus() {
    return this.page.getByTestId('network-status');
  }

  async goToSettings() {
    await this.page.getByRole('banner').getByRole('link', { name: 'Cài đặt' }).click();
    await this.settingsHeading().waitFor();
  }

  async goHome() {
    await this.page
      .getByRole('navigation', { name: 'Điều hướng chính' })
      .getByRole('link', { name: 'Trang chủ' })
      .click();
    await this.homeHeading().waitFor();
  }

  deviceNameInput() {
    return this.page.getByLabel('Tên thiết bị');
  }

  async saveDeviceName(name: string) {
    await this.deviceNameInput().fill(name);
    await this.page.getByRole('button', { name: 'Lưu tên' }).click();
    await this.page.getByText('Đã lưu tên thiết bị.').waitFor();
  }
}
