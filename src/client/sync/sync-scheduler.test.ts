import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SyncEngine, SyncOutcome } from './sync-engine';
import { backoffDelayMs, RETRY_BASE_MS, RETRY_MAX_MS, startSyncScheduler, SYNC_INTERVAL_MS } from './sync-scheduler';

describe('backoffDelayMs', () => {
  it.each([
    [1, 0, RETRY_BASE_MS / 2],
    [1, 1, RETRY_BASE_MS],
    [3, 0, (RETRY_BASE_MS * 4) / 2],
    [30, 1, RETRY_MAX_MS],
  ])('after %d failures with random %d waits %d ms', (failures, random, expected) => {
    expect(backoffDelayMs(failures, () => random)).toBe(expected);
  });

  it('waits at least as long as the server asked (Retry-After)', () => {
    expect(backoffDelayMs(1, () => 0, 60_000)).toBe(60_000);
  });
});

describe('startSyncScheduler', () => {
  function fakeEngine(outcomes: SyncOutcome[]) {
    const calls: number[] = [];
    const engine: SyncEngine = {
      syncNow: async () => {
        calls.push(Date.now());
        return outcomes.shift() ?? { ok: true, push: { sent: 0, applied: 0, conflicts: 0, rejected: 0, ackSeq: undefined }, received: 0 };
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
    const { engine, calls } = fakeEngine([{ ok: false, failure: { ok: false, kind: 'overloaded', status: 503, retryAfterMs: 30_000 } }]);
    const stop = startSyncScheduler(engine, { window, random: () => 0 });
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
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
});
