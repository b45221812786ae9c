/** Reads QR codes in a video frame (the Shape Detection API's BarcodeDetector). */
export interface QrDetector {
  detect(frame: HTMLVideoElement): Promise<readonly { rawValue: string }[]>;
}

/** The camera and the QR decoder, one seam: the browser's here, fakes in tests (AppServices.qrCamera). */
export interface QrCamera {
  /** true where the browser decodes QR codes; the enrol form shows "Quét mã QR" only then. */
  isAvailable(): Promise<boolean>;
  /** The rear camera when there is one. Rejects as getUserMedia does (NotAllowedError, NotFoundError…). */
  openRearCamera(): Promise<MediaStream>;
  createDetector(): QrDetector;
}

interface BarcodeDetectorClass {
  new (options: { formats: string[] }): QrDetector;
  getSupportedFormats(): Promise<string[]>;
}

/** What of a window the camera needs (a fake in tests). */
export interface CameraScope {
  readonly navigator: { readonly mediaDevices?: Pick<MediaDevices, 'getUserMedia'> };
}

function barcodeDetectorOf(scope: CameraScope): BarcodeDetectorClass | undefined {
  const value: unknown = Reflect.get(scope, 'BarcodeDetector');
  // The Shape Detection API is not in TypeScript's DOM types; its shape is checked where used.
  return typeof value === 'function' ? (value as BarcodeDetectorClass) : undefined;
}

/**
 * The browser's camera and QR decoder, or undefined where either is missing: BarcodeDetector is
 * on Android Chrome but not on desktop Linux, and `mediaDevices` exists only on https or
 * localhost, so a commune server on plain http over the office Wi-Fi gets the typed form only.
 */
export function browserQrCamera(scope: CameraScope): QrCamera | undefined {
  const Detector = barcodeDetectorOf(scope);
  const media = scope.navigator.mediaDevices;
  if (!Detector || typeof media?.getUserMedia !== 'function') return undefined;
  return {
    async isAvailable() {
      try {
        return (await Detector.getSupportedFormats()).includes('qr_code');
      } catch {
        return false;
      }
    },
    openRearCamera: () => media.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false }),
    createDetector: () => new Detector({ formats: ['qr_code'] }),
  };
}
