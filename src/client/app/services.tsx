import { createContext, useContext, type ReactNode } from 'react';
import type { AppDatabase } from '../db/db';
import type { CompressedPhoto } from '../features/assessments/compress-photo';
import type { QrCamera } from '../features/settings/qr-camera';

/** What features need from the outside world, passed in so tests give real fakes. */
export interface AppServices {
  readonly db: AppDatabase;
  readonly now: () => Date;
  /** A new UUID v7 for records and operations. */
  readonly newId: () => string;
  readonly storage: StorageManager | undefined;
  readonly appVersion: string;
  /** The network, for sync only (sync/transport.ts); absent in tests that never sync. */
  readonly fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  /** Randomness for retry jitter. */
  readonly random: () => number;
  /** Shrinks a photo for storage (the browser's canvas; tests pass a stand-in). */
  readonly compressPhoto: (file: Blob) => Promise<CompressedPhoto>;
  /** The camera and QR decoder for enrolment; absent where the browser lacks either. */
  readonly qrCamera?: QrCamera;
}

const ServicesContext = createContext<AppServices | null>(null);

export function ServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('ServicesProvider is missing above this component');
  return services;
}
