import './zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerSW } from 'virtual:pwa-register';
import { App } from './app/app';
import { openDatabase } from './db/db';
import { readSetting, writeSetting } from './db/settings.repository';
import { createI18n, DEFAULT_LANGUAGE } from './i18n/i18n';
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
  const language = (await readSetting(db, 'language')) ?? DEFAULT_LANGUAGE;
  const i18n = await createI18n(language);
  document.documentElement.lang = language;
  i18n.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });

  const now = () => new Date();
  const newId = () => uuidv7(Date.now(), crypto.getRandomValues(new Uint8Array(16)));
  const storage = typeof navigator.storage === 'undefined' ? undefined : navigator.storage;
  // Not awaited: the answer may take a moment and the app must not wait for it.
  void requestPersistentStorage(storage).then((state) => writeSetting(db, 'storagePersistence', state, now()));

  const updates = createSwUpdates(registerSW);
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
}

start().catch((error: unknown) => {
  // The shell could not start (e.g. IndexedDB blocked in a private window): say so in place,
  // in Vietnamese, from static text in index.html rather than a blank page.
  document.getElementById('boot-error')?.removeAttribute('hidden');
  console.error(error instanceof Error ? error.name : 'boot failed');
});
