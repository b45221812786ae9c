import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SyncEngine, SyncOutcome } from './sync-engine';
import {
  backoffDelayMs,
  RETRY_AFTER_JITTER_MS,
  RETRY_AFTER_TRUSTED_FAILURES,
  RETRY_BASE_MS,
  RETRY_MAX_MS,
  startSyncScheduler,
  SYNC_INTERVAL_MS,
} from './sync-scheduler';

describe('backoffDelayMs', () => {
  it.each([
    [1, 0, RETRY_BASE_MS / 2],
    [1, 1, RETRY_BASE_MS],
    [3, 0, (RETRY_BASE_MS * 4) / 2],
    [30, 1, RETRY_MAX_MS],
  ])('after %d failures with random %d waits %d ms', (failures, random, expected) => {
    expect(backoffDelayMs(failures, () => random)).toBe(expected);
  });

  it('waits as long as the server asked (Retry-After), plus up to a second at random', () => {
    expect(backoffDelayMs(1, () => 0, 60_000)).toBe(60_000);
    expect(backoffDelayMs(1, () => 0.5, 2_000)).toBe(2_000 + RETRY_AFTER_JITTER_MS / 2);
    // Not its own longer backoff: a busy server that spreads phones over the next seconds would sit idle.
    expect(backoffDelayMs(3, () => 1, 1_000)).toBe(1_000 + RETRY_AFTER_JITTER_MS);
  });

  it('after several refusals in a row the exponential backoff is the least wait again', () => {
    const trusted = RETRY_AFTER_TRUSTED_FAILURES;
    expect(backoffDelayMs(trusted, () => 0, 1_000)).toBe(1_000);
    expect(backoffDelayMs(trusted + 1, () => 0, 1_000)).toBe(RETRY_BASE_MS / 2);
    expect(backoffDelayMs(trusted + 30, () => 1, 1_000)).toBe(RETRY_MAX_MS);
  });
});

describe('startSyncScheduler', () => {
  function fakeEngine(outcomes: SyncOutcome[]) {
    const calls: number[] = [];
    const engine: SyncEngine = {
      syncNow: async () => {
        calls.push(Date.now());
        return (
          outcomes.shift() ?? {
            ok: true,
            push: { sent: 0, applied: 0, conflicts: 0, rejected: 0, ackSeq: undefined },
            received: 0,
          }
        );
      },
      getState: () => ({ status: 'idle' }),
      subscribe: () => () => undefined,
      checkReceipt: async () => ({ ok: false, kind: 'offline' }),
      fetchAttachment: async () => false,
      importFile: async () => ({ ok: false, kind: 'offline' }),
    };
    return { engine, calls };
  }

  afterEach(() => {
    vi.useRealTimers();
  });

  it('syncs at start, again every interval while online, and when the network returns', async () => {
    vi.useFakeTimers();
    const { engine, calls } = fakeEngine([]);
    const stop = startSyncScheduler(engine, { window, random: () => 0.5 });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(SYNC_INTERVAL_MS);
    expect(calls).toHaveLength(2);
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(3);
    stop();
    await vi.advanceTimersByTimeAsync(SYNC_INTERVAL_MS * 3);
    expect(calls).toHaveLength(3);
  });

  it('retries after a failure no sooner than the server asked (Retry-After)', async () => {
    vi.useFakeTimers();
    const { engine, calls } = fakeEngine([
      { ok: false, failure: { ok: false, kind: 'overloaded', status: 503, retryAfterMs: 30_000 } },
    ]);
    const stop = startSyncScheduler(engine, { window, random: () => 0 });
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(2);
    stop();
  });

  it('comes back when a busy server said (Retry-After 1 s), not after its own longer backoff', async () => {
    vi.useFakeTimers();
    const { engine, calls } = fakeEngine([
      { ok: false, failure: { ok: false, kind: 'overloaded', status: 503, retryAfterMs: 1_000 } },
    ]);
    const stop = startSyncScheduler(engine, { window, random: () => 0 });
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2); // the backoff alone would wait RETRY_BASE_MS / 2 = 2.5 s
    stop();
  });

  it('tries again with its backoff after a sync that failed on the device itself', async () => {
    vi.useFakeTimers();
    const { engine, calls } = fakeEngine([{ ok: false, failure: { ok: false, kind: 'device', reason: 'unexpected' } }]);
    const stop = startSyncScheduler(engine, { window, random: () => 0 });
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(RETRY_BASE_MS / 2 - 1);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    stop();
  });

  it('stops retrying when the server no longer accepts the device', async () => {
    vi.useFakeTimers();
    const { engine, calls } = fakeEngine([{ ok: false, failure: { ok: false, kind: 'unauthorized', status: 401 } }]);
    const stop = startSyncScheduler(engine, { window, random: () => 0 });
    await vi.advanceTimersByTimeAsync(RETRY_MAX_MS * 2);
    expect(calls).toHaveLength(1);
    stop();
  });

  it('does not resend a push the server refused as a whole on a timer; coming back online tries again', async () => {
    vi.useFakeTimers();
    const { engine, calls } = fakeEngine([
      { ok: false, failure: { ok: false, kind: 'push_refused', status: 400, code: 'invalid_request' } },
    ]);
    const stop = startSyncScheduler(engine, { window, random: () => 0 });
    await vi.advanceTimersByTimeAsync(RETRY_MAX_MS * 2);
    expect(calls).toHaveLength(1);
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(2);
    stop();
  });
});
