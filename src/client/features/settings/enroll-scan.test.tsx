import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sequentialIds, TEST_NOW } from '../../../../tests/factories/records';
import { ServicesProvider } from '../../app/services';
import { openDatabase } from '../../db/db';
import { writeSetting } from '../../db/settings.repository';
import { createI18n } from '../../i18n/i18n';
import { EnrollForm } from './enroll-form';
import { browserQrCamera, type CameraScope } from './qr-camera';
import { MAX_SCAN_READS } from './qr-scanner';

const LINK = 'http://192.168.1.10:8080/#/ket-noi?code=K7M2Q-9XRTA';

/**
 * The edge of the world a phone's browser gives: BarcodeDetector and getUserMedia. `frames` are
 * what each read of the picture finds (the last one repeats); the camera's one track records
 * whether it was stopped.
 */
function fakeBrowserCamera(
  options: { frames?: string[][]; formats?: string[]; refuse?: string; answerLater?: boolean } = {},
) {
  const frames = [...(options.frames ?? [[]])];
  const track = { isStopped: false, stop: () => (track.isStopped = true) };
  // A stand-in for a MediaStream: the app only hands it to <video> and stops its tracks.
  const stream = { getTracks: () => [track] } as unknown as MediaStream;
  let answer: (value: MediaStream) => void = () => undefined;
  let reads = 0;
  class FakeBarcodeDetector {
    static getSupportedFormats = async () => options.formats ?? ['qr_code'];
    async detect() {
      reads += 1;
      const frame = frames.length > 1 ? frames.shift() : frames[0];
      return (frame ?? []).map((rawValue) => ({ rawValue }));
    }
  }
  const getUserMedia = async (): Promise<MediaStream> => {
    if (options.refuse) throw new DOMException('camera refused', options.refuse);
    if (options.answerLater) return new Promise((resolve) => (answer = resolve));
    return stream;
  };
  const scope: CameraScope = Object.assign(
    { navigator: { mediaDevices: { getUserMedia } } },
    { BarcodeDetector: FakeBarcodeDetector },
  );
  return { camera: browserQrCamera(scope), track, reads: () => reads, answerNow: () => answer(stream) };
}

async function renderEnrollForm(qrCamera: ReturnType<typeof browserQrCamera>) {
  const db = await openDatabase(`enroll-scan-${Math.random()}`);
  await writeSetting(db, 'deviceName', 'Máy tổ 3', TEST_NOW);
  const i18n = await createI18n('vi');
  const services = {
    db,
    now: () => TEST_NOW,
    newId: sequentialIds(),
    storage: undefined,
    appVersion: '0.0.0-test',
    random: () => 0.5,
    compressPhoto: async (blob: Blob) => ({ blob, width: 1, height: 1 }),
    qrCamera,
  };
  const view = render(
    <I18nextProvider i18n={i18n}>
      <ServicesProvider services={services}>
        <EnrollForm />
      </ServicesProvider>
    </I18nextProvider>,
  );
  return { view, user: userEvent.setup() };
}

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('scanning the enrolment QR code in the app', () => {
  it('fills in the server address and the code from the scanned link, and turns the camera off', async () => {
    const world = fakeBrowserCamera({ frames: [[], [], [LINK]] });
    const { user } = await renderEnrollForm(world.camera);

    await user.click(await screen.findByRole('button', { name: 'Quét mã QR' }));
    expect(await screen.findByLabelText('Hình từ máy ảnh sau')).toBeInTheDocument();

    expect(
      await screen.findByText('Đã đọc mã QR: địa chỉ máy chủ và mã đăng ký đã được điền. Bấm “Kết nối”.'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Địa chỉ máy chủ xã')).toHaveValue('http://192.168.1.10:8080');
    expect(screen.getByLabelText('Mã đăng ký thiết bị')).toHaveValue('K7M2Q-9XRTA');
    expect(screen.queryByLabelText('Hình từ máy ảnh sau')).not.toBeInTheDocument();
    expect(world.track.isStopped).toBe(true);
  });

  it('says a QR code that is not an enrolment link is not ours, and keeps looking', async () => {
    const world = fakeBrowserCamera({ frames: [['https://zalo.me/g/abcdef'], ['https://zalo.me/g/abcdef'], [LINK]] });
    const { user } = await renderEnrollForm(world.camera);
    await user.click(await screen.findByRole('button', { name: 'Quét mã QR' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Mã QR này không phải mã kết nối của Sổ Khuyến học.');
    expect(screen.getByLabelText('Địa chỉ máy chủ xã')).not.toHaveValue('https://zalo.me');
    await waitFor(() => expect(screen.getByLabelText('Mã đăng ký thiết bị')).toHaveValue('K7M2Q-9XRTA'));
  });

  it('explains a refused camera permission, and the address and code can still be typed', async () => {
    const world = fakeBrowserCamera({ refuse: 'NotAllowedError' });
    const { user } = await renderEnrollForm(world.camera);
    await user.click(await screen.findByRole('button', { name: 'Quét mã QR' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Ứng dụng chưa được phép dùng máy ảnh.');
    await user.type(screen.getByLabelText('Mã đăng ký thiết bị'), 'K7M2Q-9XRTA');
    expect(screen.getByRole('button', { name: 'Kết nối' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Quét mã QR' })).toBeInTheDocument();
  });

  it('says so when the device has no camera', async () => {
    const world = fakeBrowserCamera({ refuse: 'NotFoundError' });
    const { user } = await renderEnrollForm(world.camera);
    await user.click(await screen.findByRole('button', { name: 'Quét mã QR' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Không tìm thấy máy ảnh trên thiết bị này.');
  });

  it('turns the camera off when the person closes it, and when the form goes away', async () => {
    const closed = fakeBrowserCamera();
    const first = await renderEnrollForm(closed.camera);
    await first.user.click(await screen.findByRole('button', { name: 'Quét mã QR' }));
    await screen.findByText('Hướng máy ảnh vào mã QR kết nối do cán bộ xã đưa.');
    await first.user.click(screen.getByRole('button', { name: 'Đóng máy ảnh' }));
    expect(closed.track.isStopped).toBe(true);
    cleanup();

    const left = fakeBrowserCamera();
    const second = await renderEnrollForm(left.camera);
    await second.user.click(await screen.findByRole('button', { name: 'Quét mã QR' }));
    await screen.findByText('Hướng máy ảnh vào mã QR kết nối do cán bộ xã đưa.');
    second.view.unmount();
    expect(left.track.isStopped).toBe(true);
  });

  it('turns the camera off at once when the permission is granted after the person left', async () => {
    const world = fakeBrowserCamera({ answerLater: true });
    const { user, view } = await renderEnrollForm(world.camera);
    await user.click(await screen.findByRole('button', { name: 'Quét mã QR' }));
    expect(screen.getByText('Đang mở máy ảnh…')).toBeInTheDocument();
    view.unmount();

    await act(async () => world.answerNow());
    expect(world.track.isStopped).toBe(true);
  });

  it('gives up after a bounded number of reads, turns the camera off and says how to go on', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const world = fakeBrowserCamera({ frames: [[]] });
    const { user } = await renderEnrollForm(world.camera);
    await user.click(await screen.findByRole('button', { name: 'Quét mã QR' }));
    await screen.findByText('Hướng máy ảnh vào mã QR kết nối do cán bộ xã đưa.');

    await act(async () => vi.runAllTimersAsync());

    expect(world.reads()).toBe(MAX_SCAN_READS);
    expect(world.track.isStopped).toBe(true);
    expect(screen.getByRole('alert')).toHaveTextContent('Chưa đọc được mã QR nào nên máy ảnh đã tắt.');
  });

  it('offers no scanning where the browser cannot read QR codes', async () => {
    await renderEnrollForm(fakeBrowserCamera({ formats: ['ean_13'] }).camera);
    await screen.findByLabelText('Mã đăng ký thiết bị');
    await act(async () => undefined);
    expect(screen.queryByRole('button', { name: 'Quét mã QR' })).not.toBeInTheDocument();
  });
});
