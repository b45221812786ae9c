import type { SyncEngine } from './sync-engine';

/** While online, sync this often even when nothing prompts it. */
export const SYNC_INTERVAL_MS = 5 * 60 * 1000; // 5 minutes
/** First retry after a failure; doubles each time up to the maximum. */
export const RETRY_BASE_MS = 5_000;
export const RETRY_MAX_MS = 10 * 60 * 1000; // 10 minutes

/** Exponential backoff with "equal jitter": half fixed, half random, so phones do not retry in step. */
export function backoffDelayMs(failures: number, random: () => number, retryAfterMs?: number): number {
  const exponential = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
  const jittered = exponential / 2 + (random() * exponential) / 2;
  return Math.max(jittered, retryAfterMs ?? 0);
}

/**
 * When to sync: at start, when the browser comes online, every SYNC_INTERVAL_MS while online, and
 * after a failure with backoff (honouring Retry-After). Returns a stop function.
 */
export function startSyncScheduler(engine: SyncEngine, env: { window: Window; random: () => number }): () => void {
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const schedule = (delayMs: number) => {
    if (timer) clearTimeout(timer);
    if (!stopped) timer = setTimeout(() => void attempt(), delayMs);
  };
  const attempt = async () => {
    if (!env.window.navigator.onLine) return; // the online event starts the next one
    const outcome = await engine.syncNow();
    if (outcome.ok) {
      failures = 0;
      schedule(SYNC_INTERVAL_MS);
    } else {
      failures += 1;
      if (outcome.failure.kind !== 'unauthorized') schedule(backoffDelayMs(failures, env.random, outcome.failure.retryAfterMs));
    }
  };
  const onOnline = () => void attempt();
  env.window.addEventListener('online', onOnline);
  void attempt();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    env.window.removeEventListener('online', onOnline);
  };
}
