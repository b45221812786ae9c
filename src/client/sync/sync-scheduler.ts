import type { SyncEngine } from './sync-engine';

/** While online, sync this often even when nothing prompts it. */
export const SYNC_INTERVAL_MS = 5 * 60 * 1000; // 5 minutes
/** First retry after a failure; doubles each time up to the maximum. */
export const RETRY_BASE_MS = 5_000;
export const RETRY_MAX_MS = 10 * 60 * 1000; // 10 minutes

/** Added at random to a Retry-After, so phones told the same second do not arrive in the same instant. */
export const RETRY_AFTER_JITTER_MS = 1_000;
/** Refusals in a row retried when the server said; after them the backoff below is the least wait. */
export const RETRY_AFTER_TRUSTED_FAILURES = 5;

/** Exponential backoff with "equal jitter": half fixed, half random, so phones do not retry in step. */
function exponentialDelayMs(failures: number, random: () => number): number {
  const exponential = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
  return exponential / 2 + (random() * exponential) / 2;
}

/**
 * How long to wait after `failures` failed syncs in a row. A busy server's answer says when to
 * come back (Retry-After): ours spreads a crowd of phones over the coming seconds by it, so the
 * phone comes back then (plus up to a second at random), not after its own longer backoff, which
 * would leave the server idle while phones wait. A server that keeps refusing past a few tries
 * gets the exponential backoff again as the least wait; other failures always get it.
 */
export function backoffDelayMs(failures: number, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs === undefined) return exponentialDelayMs(failures, random);
  const asked = retryAfterMs + random() * RETRY_AFTER_JITTER_MS;
  return failures <= RETRY_AFTER_TRUSTED_FAILURES
    ? asked
    : Math.max(asked, exponentialDelayMs(failures - RETRY_AFTER_TRUSTED_FAILURES, random));
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
      const { failure } = outcome;
      // Blocked (the server no longer knows the device, or refused the push as a whole): retrying
      // on a timer would get the same answer. The next start, the online event, "Đồng bộ ngay" or
      // an app update (which restarts the app) try again.
      if (failure.kind === 'unauthorized' || failure.kind === 'push_refused') return;
      schedule(backoffDelayMs(failures, env.random, failure.kind === 'device' ? undefined : failure.retryAfterMs));
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
