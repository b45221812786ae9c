import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseConnectLink, type ConnectLink } from './connect-link';
import type { QrCamera, QrDetector } from './qr-camera';

/** How often a frame is read; a few reads a second find a steady code and spare a cheap phone's battery. */
export const SCAN_INTERVAL_MS = 250;
/** Reads before the camera gives up (one minute): an open camera never runs on unattended. */
export const MAX_SCAN_READS = 240;

export type ScanProblem = 'denied' | 'noCamera' | 'failed' | 'timeout';

function problemOf(error: unknown): ScanProblem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'noCamera';
  return 'failed';
}

/** The first code in the frame; undefined when there is none or the frame is not ready yet. */
async function readFrame(detector: QrDetector, video: HTMLVideoElement): Promise<string | undefined> {
  try {
    return (await detector.detect(video))[0]?.rawValue;
  } catch {
    return undefined;
  }
}

/** true once the browser can tell whether this device scans QR codes and says it does. */
export function useCanScanQr(camera: QrCamera | undefined): boolean {
  const [canScan, setCanScan] = useState(false);
  useEffect(() => {
    let isCurrent = true;
    void camera?.isAvailable().then((answer) => isCurrent && setCanScan(answer));
    return () => {
      isCurrent = false;
    };
  }, [camera]);
  return canScan;
}

interface QrScannerProps {
  readonly camera: QrCamera;
  readonly onScanned: (link: ConnectLink) => void;
  /** The camera is off again: refused, missing, broken, or nothing readable in time. */
  readonly onProblem: (problem: ScanProblem) => void;
  readonly onClose: () => void;
}

/**
 * The rear camera's picture, read a few times a second until an enrolment link shows up. The
 * camera is on only while this is on screen: every way out (a link found, "Đóng máy ảnh", a
 * problem, the time limit, leaving the screen) stops its tracks, also when the person leaves
 * before the permission prompt was answered.
 */
export function QrScanner({ camera, onScanned, onProblem, onClose }: QrScannerProps) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [isStarting, setStarting] = useState(true);
  const [sawOtherCode, setSawOtherCode] = useState(false);
  const found = useEffectEvent(onScanned);
  const failed = useEffectEvent(onProblem);

  useEffect(() => {
    let isStopped = false;
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = () => {
      isStopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
    const pause = () => new Promise((resolve) => (timer = setTimeout(resolve, SCAN_INTERVAL_MS)));

    const scan = async () => {
      try {
        stream = await camera.openRearCamera();
      } catch (error) {
        if (!isStopped) failed(problemOf(error));
        return;
      }
      const element = video.current;
      if (isStopped || !element) return stop();
      element.srcObject = stream; // autoPlay: a muted inline video may start by itself
      setStarting(false);
      const detector = camera.createDetector();
      for (let read = 0; read < MAX_SCAN_READS && !isStopped; read += 1) {
        const text = await readFrame(detector, element);
        if (isStopped) return;
        const link = text === undefined ? undefined : parseConnectLink(text);
        if (link) {
          stop();
          found(link);
          return;
        }
        if (text !== undefined) setSawOtherCode(true);
        await pause();
      }
      if (!isStopped) {
        stop();
        failed('timeout');
      }
    };
    void scan();
    return stop;
  }, [camera]);

  return (
    <div className="notice" role="group" aria-label={t('sync.scan.title')}>
      <p role="status">{t(isStarting ? 'sync.scan.starting' : 'sync.scan.hint')}</p>
      <video
        ref={video}
        autoPlay
        muted
        playsInline
        aria-label={t('sync.scan.video')}
        style={{
          display: 'block',
          width: '100%',
          aspectRatio: '4 / 3',
          objectFit: 'cover',
          borderRadius: 8,
          background: '#000',
        }}
      />
      {sawOtherCode && (
        <p className="field-error" role="alert">
          {t('sync.scan.otherCode')}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button small" onClick={onClose}>
          {t('sync.scan.close')}
        </button>
      </div>
    </div>
  );
}
