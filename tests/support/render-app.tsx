import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App, WORKSPACE } from '../../src/client/app/app';
import { preloadScreens } from '../../src/client/app/routes';
import { openDatabase, type AppDatabase } from '../../src/client/db/db';
import { writeSetting } from '../../src/client/db/settings.repository';
import { createI18n, type Language } from '../../src/client/i18n/i18n';
import { createSwUpdates, type RegisterSw } from '../../src/client/pwa/sw-updates';
import { sequentialIds } from '../factories/records';

/**
 * A stand-in for vite-plugin-pwa's registerSW (the service worker is the edge of the world in
 * jsdom): it records the callbacks so a test can announce a waiting version.
 */
export function fakeServiceWorker() {
  const calls = { applied: [] as (boolean | undefined)[] };
  let callbacks: Parameters<RegisterSw>[0] = {};
  const registerSw: RegisterSw = (options) => {
    callbacks = options;
    return async (reload) => {
      calls.applied.push(reload);
    };
  };
  return {
    registerSw,
    calls,
    announceNewVersion: () => callbacks.onNeedRefresh?.(),
    announceOfflineReady: () => callbacks.onOfflineReady?.(),
  };
}

/** A StorageManager whose answers the test sets (browser policy is outside our control). */
export function fakeStorage(answers: { persisted: boolean; persist: boolean }): StorageManager {
  return {
    persisted: async () => answers.persisted,
    persist: async () => answers.persist,
    estimate: async () => ({ usage: 1_572_864, quota: 2 * 1024 ** 3 }),
    getDirectory: () => Promise.reject(new Error('not used')),
  };
}

/** jsdom has no canvas: stands in for the browser's encoder with a small JPEG-typed blob. */
async function fakeCompressPhoto(file: Blob) {
  return { blob: new Blob([await file.arrayBuffer()], { type: 'image/jpeg' }), width: 1280, height: 960 };
}

let counter = 0;
export const TEST_COMMUNE = {
  communeCode: '25942',
  communeName: 'Phường Dĩ An',
  provinceCode: '79',
  provinceName: 'Thành phố Hồ Chí Minh',
};
export const FIXED_NOW = new Date('2026-11-24T09:30:00+07:00');

export async function renderApp(
  options: {
    db?: AppDatabase;
    language?: Language;
    storage?: StorageManager;
    serviceWorker?: ReturnType<typeof fakeServiceWorker>;
    /** false: a device on its first run, with no commune chosen yet. */
    withCommune?: boolean;
    /** The network; omitted, the app cannot sync (most component tests). */
    fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  } = {},
) {
  counter += 1;
  // The workspace and screens load lazily; a test waits for their code here, once, rather than
  // inside a findBy timeout.
  await Promise.all([WORKSPACE.preload(), preloadScreens()]);
  const db = options.db ?? (await openDatabase(`app-test-${counter}-${Math.random()}`));
  if (options.withCommune !== false && !(await db.settings.get('commune'))) {
    await writeSetting(db, 'commune', TEST_COMMUNE, FIXED_NOW);
  }
  const i18n = await createI18n(options.language ?? 'vi');
  const serviceWorker = options.serviceWorker ?? fakeServiceWorker();
  const updates = createSwUpdates(serviceWorker.registerSw);
  const user = userEvent.setup();
  const view = render(
    <App
      services={{
        db,
        now: () => FIXED_NOW,
        newId: sequentialIds(),
        storage: options.storage,
        appVersion: '0.0.0-test',
        compressPhoto: fakeCompressPhoto,
        random: () => 0.5,
        fetch: options.fetch,
      }}
      i18n={i18n}
      updates={updates}
    />,
  );
  return { db, i18n, user, serviceWorker, view };
}
