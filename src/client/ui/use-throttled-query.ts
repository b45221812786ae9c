import { useEffect, useState } from 'react';

/**
 * The result of `query`, run once and again after `subscribe` reports a change, but at most once
 * per `intervalMs` (the last change always gets its run). For the home screen's counts while a
 * sync writes thousands of records: a live query would re-read the whole register per batch.
 * `undefined` until the first result.
 */
export function useThrottledQuery<T>(
  query: () => Promise<T>,
  subscribe: (onChange: () => void) => () => void,
  intervalMs: number,
  deps: readonly unknown[],
): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [failure, setFailure] = useState<{ error: unknown } | undefined>(undefined);
  useEffect(() => {
    let isActive = true;
    let isRunning = false;
    let isDirty = false;
    let lastRunAt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      timer = undefined;
      if (isRunning) {
        isDirty = true;
        return;
      }
      isRunning = true;
      isDirty = false;
      lastRunAt = performance.now();
      try {
        const result = await query();
        if (isActive) setValue(() => result);
      } catch (error) {
        if (isActive) setFailure({ error });
      } finally {
        isRunning = false;
        if (isDirty && isActive) schedule();
      }
    };
    const schedule = () => {
      if (timer !== undefined) return;
      timer = setTimeout(() => void run(), Math.max(0, lastRunAt + intervalMs - performance.now()));
    };
    const unsubscribe = subscribe(() => {
      if (isRunning) isDirty = true;
      else schedule();
    });
    void run();
    return () => {
      isActive = false;
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
    // The caller's deps decide when query and subscribe are new (as with useLiveQuery).
  }, deps);
  // Like useLiveQuery: a failed read goes to the error boundary, never shown as stale numbers.
  if (failure) throw failure.error;
  return value;
}
