import { describe, expect, it, vi } from 'vitest';
import { browserQrCamera, type CameraScope } from './qr-camera';

function scopeWith(options: {
  formats?: string[];
  detector?: boolean;
  camera?: boolean;
}): CameraScope & { getUserMedia: ReturnType<typeof vi.fn> } {
  // A stand-in stream: these tests only look at what was asked for.
  const getUserMedia = vi.fn(
    async (_constraints: MediaStreamConstraints) => ({ getTracks: () => [] }) as unknown as MediaStream,
  );
  class FakeBarcodeDetector {
    static getSupportedFormats = async () => options.formats ?? ['qr_code'];
    detect = async () => [];
  }
  return {
    getUserMedia,
    navigator: options.camera === false ? {} : { mediaDevices: { getUserMedia } },
    ...(options.detector === false ? {} : { BarcodeDetector: FakeBarcodeDetector }),
  };
}

describe("the browser's QR camera", () => {
  it('is absent where the browser has no BarcodeDetector, or no camera API (plain http)', () => {
    expect(browserQrCamera(scopeWith({ detector: false }))).toBeUndefined();
    expect(browserQrCamera(scopeWith({ camera: false }))).toBeUndefined();
  });

  it('can scan only where BarcodeDetector reads the qr_code format', async () => {
    await expect(browserQrCamera(scopeWith({ formats: ['qr_code', 'ean_13'] }))?.isAvailable()).resolves.toBe(true);
    await expect(browserQrCamera(scopeWith({ formats: ['ean_13', 'code_128'] }))?.isAvailable()).resolves.toBe(false);
  });

  it('asks for the rear camera and no microphone', async () => {
    const scope = scopeWith({});
    await browserQrCamera(scope)?.openRearCamera();
    expect(scope.getUserMedia).toHaveBeenCalledWith({ video: { facingMode: { ideal: 'environment' } }, audio: false });
  });
});
