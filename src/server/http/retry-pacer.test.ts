import { describe, expect, it } from 'vitest';
import { createRetryPacer } from './retry-pacer';

function pacerAt(startMs: number, options: { slots: number; maxSeconds: number; initialServiceMs: number }) {
  let nowMs = startMs;
  const pacer = createRetryPacer({ ...options, now: () => nowMs });
  return { pacer, advance: (ms: number) => (nowMs += ms) };
}

const counts = (values: number[]) =>
  values.reduce<Record<number, number>>((all, v) => ({ ...all, [v]: (all[v] ?? 0) + 1 }), {});

describe('createRetryPacer', () => {
  it('tells a crowd refused together to come back over the next seconds, about as many each second as the slots finish', () => {
    // 2 slots × 5 pushes a second each (200 ms), promised half as many again: 15 a second.
    const { pacer } = pacerAt(1_000_000, { slots: 2, maxSeconds: 30, initialServiceMs: 200 });
    const waits = Array.from({ length: 40 }, () => pacer.nextRetryAfterSeconds());
    expect(counts(waits)).toEqual({ 1: 15, 2: 15, 3: 10 });
  });

  it('promises fewer devices a second once pushes are measured to take longer', () => {
    const { pacer } = pacerAt(1_000_000, { slots: 2, maxSeconds: 30, initialServiceMs: 200 });
    for (let i = 0; i < 100; i += 1) pacer.noteService(1_000);
    const waits = Array.from({ length: 9 }, () => pacer.nextRetryAfterSeconds());
    expect(counts(waits)).toEqual({ 1: 3, 2: 3, 3: 3 });
  });

  it('never tells a device to wait longer than the most it may', () => {
    const { pacer } = pacerAt(1_000_000, { slots: 1, maxSeconds: 3, initialServiceMs: 1_500 });
    expect(Array.from({ length: 5 }, () => pacer.nextRetryAfterSeconds())).toEqual([1, 2, 3, 3, 3]);
  });

  it('counts from the present: a second that has passed is not held against later devices', () => {
    const { pacer, advance } = pacerAt(1_000_000, { slots: 1, maxSeconds: 30, initialServiceMs: 1_500 });
    expect([pacer.nextRetryAfterSeconds(), pacer.nextRetryAfterSeconds()]).toEqual([1, 2]);
    advance(5_000);
    expect(pacer.nextRetryAfterSeconds()).toBe(1);
  });

  it('ignores a measurement that is not a duration', () => {
    const { pacer } = pacerAt(1_000_000, { slots: 1, maxSeconds: 30, initialServiceMs: 500 });
    pacer.noteService(Number.NaN);
    pacer.noteService(-5);
    // Still 1.5 × 1 slot × 2 pushes a second = 3 a second.
    expect(counts(Array.from({ length: 6 }, () => pacer.nextRetryAfterSeconds()))).toEqual({ 1: 3, 2: 3 });
  });
});
