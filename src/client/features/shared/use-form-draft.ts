import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import type { FieldValues, UseFormReturn } from 'react-hook-form';
import { useServices } from '../../app/services';
import { discardDraft, readDraft, writeDraft } from '../../db/draft.repository';

/** Short enough that a crash loses at most a few keystrokes, long enough not to write per key. */
const DRAFT_DEBOUNCE_MS = 300;

/**
 * The draft of one form in IndexedDB: read once when `ready` (handed to `onRestore` if there is
 * one), then every value given to `keep` is written (after a short pause in the typing, at once
 * when the page hides, and when the form closes: leaving mid-typing keeps the last keystrokes).
 * Returns when the restored draft was saved, whether the read is done, `keep`, and `clear` for
 * after a save. Forms built on react-hook-form use `useFormDraft`, which feeds it their changes.
 */
export function useDraft<T>(key: string, ready: boolean, onRestore: (values: T) => void) {
  const { db, now } = useServices();
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const [restoredAt, setRestoredAt] = useState<string | null>(null);
  const writer = useRef<{ keep(values: T): void; drop(): void } | null>(null);
  const restore = useEffectEvent(onRestore);
  const loaded = loadedKey === key;

  useEffect(() => {
    if (!ready) return;
    let cancelled = false;
    void readDraft(db, key).then((draft) => {
      if (cancelled) return;
      if (draft) {
        restore(draft.values as T);
        setRestoredAt(draft.updatedAt);
      }
      setLoadedKey(key);
    });
    return () => {
      cancelled = true;
    };
  }, [db, key, ready]);

  useEffect(() => {
    if (!loaded) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pending: { values: T } | null = null;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (pending) void writeDraft(db, key, pending.values, now());
      pending = null;
    };
    writer.current = {
      keep(values) {
        pending = { values };
        clearTimeout(timer);
        timer = setTimeout(flush, DRAFT_DEBOUNCE_MS);
      },
      drop() {
        pending = null;
        clearTimeout(timer);
      },
    };
    const onHide = () => flush();
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onHide);
    return () => {
      writer.current = null;
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onHide);
      flush(); // unmounting mid-typing keeps what was typed
    };
  }, [db, key, loaded, now]);

  const keep = useCallback((values: T) => writer.current?.keep(values), []);
  const clear = useCallback(async () => {
    writer.current?.drop();
    await discardDraft(db, key);
    setRestoredAt(null);
  }, [db, key]);
  return { restoredAt, loaded, keep, clear };
}

/**
 * Keeps every change of a react-hook-form form as a draft (useDraft), and restores it when the
 * form opens again (after a reload, a crash or a closed tab). Returns when the draft was
 * restored, so the form can say so, and `clear` for after a save.
 */
export function useFormDraft<T extends FieldValues, TOutput = T>(
  key: string,
  form: UseFormReturn<T, unknown, TOutput>,
  ready: boolean,
) {
  const { reset, watch } = form;
  // Keep the saved values as the baseline so the form counts as changed (dirty).
  const draft = useDraft<T>(key, ready, (values) => reset(values, { keepDefaultValues: true }));
  const { loaded, keep } = draft;

  useEffect(() => {
    if (!loaded) return;
    const subscription = watch((values, { type }) => {
      if (type === 'change') keep(structuredClone(values) as T);
    });
    return () => subscription.unsubscribe();
  }, [keep, loaded, watch]);

  return { restoredAt: draft.restoredAt, loaded, clear: draft.clear };
}
