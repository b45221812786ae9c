import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useThrottledQuery } from './use-throttled-query';

/** A change source the test fires by hand, and a query that counts its runs. */
function setUp() {
  const listeners = new Set<() => void>();
  const state = { runs: 0, value: 0 };
  const subscribe = (onChange: () => void) => {
    listeners.add(onChange);
    return () => listeners.delete(onChange);
  };
  const query = () => {
    state.runs += 1;
    return Promise.resolve(state.value);
  };
  const fire = () => listeners.forEach((l) => l());
  function Counter() {
    const value = useThrottledQuery(query, subscribe, 1000, []);
    return <output>{value === undefined ? '…' : String(value)}</output>;
  }
  return { state, fire, listeners, Counter };
}

describe('a throttled query', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs once at first, then at most once a second however many changes come, and always after the last', async () => {
    const { state, fire, Counter } = setUp();
    render(<Counter />);
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(screen.getByRole('status').textContent).toBe('0');
    for (let i = 1; i <= 50; i += 1) {
      state.value = i;
      fire();
      await act(() => vi.advanceTimersByTimeAsync(20));
    }
    // 50 changes over one second: the first run, one throttled run, and the trailing one to come.
    expect(state.runs).toBeLessThanOrEqual(3);
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(screen.getByRole('status').textContent).toBe('50');
    expect(state.runs).toBeLessThanOrEqual(4);
  });

  it('stops listening when the screen goes away', async () => {
    const { listeners, Counter } = setUp();
    const { unmount } = render(<Counter />);
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(listeners.size).toBe(1);
    unmount();
    expect(listeners.size).toBe(0);
  });
});
