import { useEffect, useRef, useState } from 'react';
import type { FieldValues, UseFormReturn } from 'react-hook-form';
import { useServices } from '../../app/services';
import { discardDraft, readDraft, writeDraft } from '../../db/draft.repository';

/** Short enough that a crash loses at most a few keystrokes, long enough not to write per key. */
const DRAFT_DEBOUNCE_MS = 300;

/**
 * Keeps every change of a form in IndexedDB as a draft, and restores it when the form opens
 * again (after a reload, a crash or a closed tab). Returns when the draft was restored, so the
 * form can say so, and `clear` for after a save.
 */
export function useFormDraft<T extends FieldValues, TOutput = T>(
  key: string,
  form: UseFormReturn<T, unknown, TOutput>,
  ready: boolean,
) {
  const { db, now } = useServices();
  const [restoredAt, setRestoredAt] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const pending = useRef<T | null>(null);
  const { reset, watch } = form;

  useEffect(() => {
    if (!ready) return;
    let cancelled = false;
    void readDraft(db, key).then((draft) => {
      if (cancelled) return;
      if (draft) {
        // Keep the saved values as the baseline so the form counts as changed (dirty).
        reset(draft.values as T, { keepDefaultValues: true });
        setRestoredAt(draft.updatedAt);
      }
      setLoaded(true);
    });
    return () => {
      cancelled = true;
    };
  }, [db, key, ready, reset]);

  useEffect(() => {
    if (!loaded) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      const values = pending.current;
      pending.current = null;
      if (values) void writeDraft(db, key, values, now());
    };
    const subscription = watch((values, { type }) => {
      if (type !== 'change') return;
      pending.current = structuredClone(values) as T;
      if (timer) clearTimeout(timer);
      timer = setTimeout(flush, DRAFT_DEBOUNCE_MS);
    });
    const onHide = () => flush();
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onHide);
    return () => {
      subscription.unsubscribe();
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onHide);
      flush(); // unmounting mid-typing keeps what was typed
    };
  }, [db, key, loaded, now, watch]);

  const clear = async () => {
    pending.current = null;
    await discardDraft(db, key);
    setRestoredAt(null);
  };
  return { restoredAt, loaded, clear };
}
