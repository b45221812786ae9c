import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeServiceWorker, fakeStorage, renderApp } from '../../../tests/support/render-app';
import { writeSetting } from '../db/settings.repository';
import { openDatabase } from '../db/db';

beforeEach(() => {
  window.location.hash = '';
});
afterEach(cleanup);

describe('app shell', () => {
  it('opens on the home screen in Vietnamese with the working year', async () => {
    await renderApp();
    expect(await screen.findByRole('heading', { level: 1, name: 'Trang chủ' })).toBeInTheDocument();
    expect(screen.getByText('Năm đánh giá 2026')).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Điều hướng chính' })).toBeInTheDocument();
    expect(await screen.findByText('Chưa đặt tên thiết bị')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Đặt tên thiết bị' })).toHaveAttribute('href', '#/cai-dat');
  });

  it('goes to the settings screen from the header, and to clans from the bottom navigation', async () => {
    const { user } = await renderApp();
    await user.click(await screen.findByRole('link', { name: 'Cài đặt' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Cài đặt' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Cài đặt' })).toHaveAttribute('aria-current', 'page');

    const nav = screen.getByRole('navigation', { name: 'Điều hướng chính' });
    await user.click(within(nav).getByRole('link', { name: 'Dòng họ' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Dòng họ' })).toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'Dòng họ' })).toHaveAttribute('aria-current', 'page');
  });
});

describe('first run', () => {
  it('asks for the commune, finds it typed without diacritics, and then opens the home screen', async () => {
    const { user, db } = await renderApp({ withCommune: false });
    expect(await screen.findByRole('heading', { level: 1, name: 'Chọn xã của thiết bị' })).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Tỉnh, thành phố'), 'Thành phố Hồ Chí Minh');
    await user.type(screen.getByLabelText('Tên xã, phường hoặc mã xã'), 'di an');
    await user.click(await screen.findByRole('button', { name: /Phường Dĩ An/ }));
    await user.click(screen.getByRole('button', { name: 'Dùng xã này' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Trang chủ' })).toBeInTheDocument();
    expect(await screen.findByText('Phường Dĩ An, Thành phố Hồ Chí Minh')).toBeInTheDocument();
    expect((await db.settings.get('commune'))?.value).toMatchObject({ communeCode: '25942', provinceCode: '79' });
  });
});

describe('device name form', () => {
  it('refuses an empty name with a Vietnamese message and stores nothing', async () => {
    window.location.hash = '#/cai-dat';
    const { user, db } = await renderApp();
    await user.click(await screen.findByRole('button', { name: 'Lưu tên' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Vui lòng nhập tên thiết bị.');
    expect(screen.getByLabelText('Tên thiết bị')).toHaveAttribute('aria-invalid', 'true');
    expect(await db.settings.get('deviceName')).toBeUndefined();
  });

  it('saves a name, and shows it again after the app is opened anew', async () => {
    window.location.hash = '#/cai-dat';
    const first = await renderApp();
    await first.user.type(await screen.findByLabelText('Tên thiết bị'), 'Máy chị Lan – thôn Đông');
    await first.user.click(screen.getByRole('button', { name: 'Lưu tên' }));
    expect(await screen.findByText('Đã lưu tên thiết bị.')).toBeInTheDocument();
    cleanup();

    const reopened = await openDatabase(first.db.name);
    await renderApp({ db: reopened });
    await waitFor(() => expect(screen.getByLabelText('Tên thiết bị')).toHaveValue('Máy chị Lan – thôn Đông'));
  });
});

describe('language', () => {
  it('switches to English and remembers the choice on the device', async () => {
    window.location.hash = '#/cai-dat';
    const { user, db } = await renderApp();
    await user.click(await screen.findByRole('radio', { name: 'English' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument();
    await waitFor(async () => expect((await db.settings.get('language'))?.value).toBe('en'));
  });
});

describe('storage persistence', () => {
  it('warns when the browser refused persistent storage, and asks again on request', async () => {
    window.location.hash = '#/cai-dat';
    const storage = fakeStorage({ persisted: false, persist: true });
    const db = await openDatabase(`storage-${Math.random()}`);
    await writeSetting(db, 'storagePersistence', 'denied', new Date());
    const { user } = await renderApp({ db, storage });

    expect(await screen.findByText(/chưa cho phép lưu trữ bền vững/)).toBeInTheDocument();
    expect(await screen.findByText('Đã dùng 1,5 MB trên tối đa 2 GB.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Xin lại quyền lưu trữ' }));
    expect(await screen.findByText(/Đã được phép lưu trữ bền vững/)).toBeInTheDocument();
  });

  it('shows the storage warning on the home screen too', async () => {
    const db = await openDatabase(`storage-home-${Math.random()}`);
    await writeSetting(db, 'storagePersistence', 'denied', new Date());
    await renderApp({ db });
    expect(
      await screen.findByText(/Trình duyệt chưa cho phép lưu trữ bền vững. Xem phần Cài đặt./),
    ).toBeInTheDocument();
  });
});

describe('app update prompt', () => {
  it('offers a new version and applies it only when the user taps Cập nhật', async () => {
    const serviceWorker = fakeServiceWorker();
    const { user } = await renderApp({ serviceWorker });
    act(() => serviceWorker.announceNewVersion());
    expect(await screen.findByText('Đã có phiên bản mới của ứng dụng.')).toBeInTheDocument();
    expect(serviceWorker.calls.applied).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Cập nhật' }));
    expect(serviceWorker.calls.applied).toEqual([true]);
  });

  it('waits while a form holds unsaved typing, then shows once it is saved', async () => {
    window.location.hash = '#/cai-dat';
    const serviceWorker = fakeServiceWorker();
    const { user } = await renderApp({ serviceWorker });
    await user.type(await screen.findByLabelText('Tên thiết bị'), 'Máy thôn Bắc');
    act(() => serviceWorker.announceNewVersion());
    expect(screen.queryByText('Đã có phiên bản mới của ứng dụng.')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Lưu tên' }));
    expect(await screen.findByText('Đã có phiên bản mới của ứng dụng.')).toBeInTheDocument();
    expect(screen.getByLabelText('Tên thiết bị')).toHaveValue('Máy thôn Bắc');
  });

  it('says once that the app is ready offline, and can be closed', async () => {
    const serviceWorker = fakeServiceWorker();
    const { user } = await renderApp({ serviceWorker });
    act(() => serviceWorker.announceOfflineReady());
    expect(await screen.findByText('Ứng dụng đã sẵn sàng dùng khi không có mạng.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Đóng' }));
    expect(screen.queryByText('Ứng dụng đã sẵn sàng dùng khi không có mạng.')).not.toBeInTheDocument();
  });
});
