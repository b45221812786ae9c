import { useEffect, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useIsAnyFormEditing } from './edit-guard';
import type { SwUpdates } from './sw-updates';

const OFFLINE_READY_VISIBLE_MS = 8_000;

/**
 * Offers a waiting app version. It never reloads by itself and stays hidden while a form holds
 * unsaved typing, so an update cannot interrupt someone filling in a form.
 */
export function UpdatePrompt({ updates }: { updates: SwUpdates }) {
  const { t } = useTranslation();
  const state = useSyncExternalStore(updates.subscribe, updates.getSnapshot);
  const isEditing = useIsAnyFormEditing();
  const showsOfflineReady = state.offlineReady && !state.needRefresh;
  // "Ready offline" is news once: it goes away by itself after a few seconds.
  useEffect(() => {
    if (!showsOfflineReady) return;
    const timer = setTimeout(updates.dismiss, OFFLINE_READY_VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [showsOfflineReady, updates]);

  if (state.needRefresh && !isEditing) {
    return (
      <section className="banner" role="status" aria-live="polite">
        <p>
          <strong>{t('update.available')}</strong> {t('update.safe')}
        </p>
        <div className="banner-actions">
          <button type="button" className="button primary" onClick={() => void updates.applyUpdate()}>
            {t('update.apply')}
          </button>
          <button type="button" className="button" onClick={updates.dismiss}>
            {t('update.later')}
          </button>
        </div>
      </section>
    );
  }
  if (showsOfflineReady) {
    return (
      <section className="banner subtle" role="status" aria-live="polite">
        <p>{t('update.offlineReady')}</p>
        <div className="banner-actions">
          <button type="button" className="button" onClick={updates.dismiss}>
            {t('update.dismiss')}
          </button>
        </div>
      </section>
    );
  }
  return null;
}
