import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerSW } from 'virtual:pwa-register';
import { App, WORKSPACE } from './app/app';
import { preloadScreen, preloadScreens } from './app/routes';
import { openDatabase } from './db/db';
import { createI18n, DEFAULT_LANGUAGE, isLanguage } from './i18n/i18n';
import { requestPersistentStorage } from './pwa/storage-persistence';
import { createSwUpdates } from './pwa/sw-updates';
import { compressPhoto } from './features/assessments/compress-photo';
import { browserQrCamera } from './features/settings/qr-camera';
import { uuidv7 } from '../shared/ids';
import './ui/styles.css';

async function start() {
  const root = document.getElementById('root');
  if (!root) throw new Error('#root is missing from index.html');
  const db = await openDatabase();
  // Read before the rest of the app: i18n's own check (isLanguage) rather than the settings
  // schema, so the start-up JavaScript needs no Zod.
  const stored = await db.settings.get('language');
  const language = isLanguage(stored?.value) ? stored.value : DEFAULT_LANGUAGE;
  const i18n = await createI18n(language);
  document.documentElement.lang = language;
  i18n.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });

  const now = () => new Date();
  const newId = () => uuidv7(Date.now(), crypto.getRandomValues(new Uint8Array(16)));
  const storage = typeof navigator.storage === 'undefined' ? undefined : navigator.storage;
  // Not awaited: the answer may take a moment and the app must not wait for it.
  void requestPersistentStorage(storage).then(async (state) => {
    const { writeSetting } = await import('./db/settings.repository');
    await writeSetting(db, 'storagePersistence', state, now());
  });

  const updates = createSwUpdates(registerSW, {
    container: 'serviceWorker' in navigator ? navigator.serviceWorker : undefined,
    onlineEvents: window,
    reload: () => window.location.reload(),
  });
  // The workspace and the first screen start loading as the frame paints (not earlier: on a slow
  // phone their parsing would hold up the first paint); the rest of the field area after them.
  const workspace = WORKSPACE.preload().catch(() => undefined);
  const firstScreen = preloadScreen(window.location.hash).catch(() => undefined);
  createRoot(root).render(
    <StrictMode>
      <App
        services={{
          db,
          now,
          newId,
          storage,
          appVersion: __APP_VERSION__,
          compressPhoto,
          fetch: (input, init) => fetch(input, init),
          random: Math.random,
          qrCamera: browserQrCamera(window),
        }}
        i18n={i18n}
        updates={updates}
      />
    </StrictMode>,
  );
  void Promise.all([workspace, firstScreen]).then(() => preloadScreens('field'));
}

start().catch((error: unknown) => {
  // The shell could not start (e.g. IndexedDB blocked in a private window): say so in place,
  // in Vietnamese, from static text in index.html rather than a blank page.
  document.getElementById('boot-error')?.removeAttribute('hidden');
  console.error(error instanceof Error ? error.name : 'boot failed');
});
