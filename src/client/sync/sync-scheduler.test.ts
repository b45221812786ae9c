import { describe, expect, it } from 'vitest';
import { backoffDelayMs, RETRY_BASE_MS, RETRY_MAX_MS } from './sync-scheduler';

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
