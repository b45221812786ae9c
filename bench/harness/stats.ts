/**
 * The bench's one definition of a median and a percentile: the nearest rank. The p-th percentile
 * of n samples is the ⌈p·n⌉-th smallest, always one of the samples: p90 of 10 is the 9th, p99 of
 * 200 the 198th, and the median (p50) of an even count the lower of the two middle samples.
 */
export const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** Nearest rank, `p` in (0, 1]; NaN without samples. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

export const median = (values: readonly number[]) => percentile(values, 0.5);

export interface Stat {
  readonly median: number;
  readonly p90: number;
  /** Every timed repetition, in run order (warm-ups excluded). */
  readonly samples: readonly number[];
}

export const stat = (samples: readonly number[]): Stat => ({
  median: median(samples),
  p90: percentile(samples, 0.9),
  samples: [...samples],
});
