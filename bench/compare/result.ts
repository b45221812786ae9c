/**
 * One row of the comparison table (`npm run bench`): our number beside the baseline's, for one
 * scenario and one measure. Every scenario module returns rows of this shape; the runner prints
 * them as Markdown and writes them to bench/results/latest.json.
 */
export interface Stat {
  readonly median: number;
  readonly p90: number;
  /** Every timed repetition, in run order (warm-ups excluded). */
  readonly samples: readonly number[];
}

export interface ScenarioRow {
  /** '1-upload' | '2-bootstrap' | '3-burst' | '4-faults' | '5-counts' (the numbering). */
  readonly scenario: string;
  /** Stable id of the measure, e.g. 'upload-25k-3g'. */
  readonly id: string;
  /** What is measured, in a few words (English; the bench is for engineers). */
  readonly label: string;
  /** 'ms', 's', 'ops/s', 'B', 'B/record', 'MiB', 'count', '%'. */
  readonly unit: string;
  /** Whether a smaller number is the better one (times, bytes, errors) or a bigger one (throughput). */
  readonly better: 'lower' | 'higher';
  readonly ours: Stat | null;
  /** What "ours" ran on when it matters, e.g. 'PGlite' or 'PostgreSQL 15'. */
  readonly oursName?: string;
  readonly baseline: Stat | null;
  /** e.g. 'PouchDB 9.0.0 → express-pouchdb 4.2.0 (LevelDB)'; null when there is no baseline. */
  readonly baselineName: string | null;
  /** How many times better ours is (baseline/ours for 'lower', ours/baseline for 'higher'); null without both. */
  readonly ratio: number | null;
  /** The target in words, e.g. '≥ 10× PouchDB' or '0'; null when none. */
  readonly target: string | null;
  /** Whether the target holds; null when there is no target or the run was a smoke. */
  readonly met: boolean | null;
  /** Anything a reader must know to read the number honestly (scaled down, extrapolated, failed…). */
  readonly note?: string;
}

export function stat(samples: readonly number[]): Stat {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
  const middle = sorted.length / 2;
  const median =
    sorted.length === 0
      ? Number.NaN
      : sorted.length % 2 === 1
        ? (sorted[Math.floor(middle)] ?? Number.NaN)
        : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
  return { median, p90: at(0.9), samples: [...samples] };
}

export function ratioOf(better: 'lower' | 'higher', ours: Stat | null, baseline: Stat | null): number | null {
  if (!ours || !baseline || !(ours.median > 0) || !(baseline.median > 0)) return null;
  return better === 'lower' ? baseline.median / ours.median : ours.median / baseline.median;
}

/** A row's target as a check: ours at least `ratio`× better than the baseline, or ours (every sample) at most `max`. */
export type Target = { text: string; ratio: number } | { text: string; max: number };

export type RowInput = Omit<ScenarioRow, 'ratio' | 'target' | 'met' | 'ours' | 'baseline'> & {
  ours: readonly number[] | null;
  baseline: readonly number[] | null;
  target?: Target;
};

/** Builds a row: stats, the ratio, and whether the target holds (never judged in a smoke run). */
export function makeRow(input: RowInput, smoke: boolean): ScenarioRow {
  const { target, ours: oursSamples, baseline: baselineSamples, ...rest } = input;
  const ours = oursSamples && oursSamples.length > 0 ? stat(oursSamples) : null;
  const baseline = baselineSamples && baselineSamples.length > 0 ? stat(baselineSamples) : null;
  const ratio = ratioOf(input.better, ours, baseline);
  let met: boolean | null = null;
  if (target && !smoke) {
    if ('ratio' in target) met = ratio === null ? null : ratio >= target.ratio;
    else met = ours === null ? null : Math.max(...ours.samples) <= target.max;
  }
  return { ...rest, ours, baseline, ratio, target: target?.text ?? null, met };
}
