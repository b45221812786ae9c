/**
 * One row of the comparison table: our number beside the baseline's, for one scenario and one
 * measure (every comparison part and the burst return rows of this shape), and the Markdown table
 * `npm run bench` prints (ours, the baseline, the ratio, the target and whether it is met, notes).
 */
import { stat, type Stat } from '../harness/stats';

export interface ScenarioRow {
  /** '1-upload' | '2-bootstrap' | '3-burst' | '4-faults' | '5-counts' (the issue's numbering). */
  readonly scenario: string;
  /** Stable id of the measure, e.g. 'upload-3g'. */
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
  /** e.g. 'PouchDB replicate.to → express-pouchdb (LevelDB)'; null when there is no baseline. */
  readonly baselineName: string | null;
  /** How many times better ours is (baseline/ours for 'lower', ours/baseline for 'higher'); null without both. */
  readonly ratio: number | null;
  /** The issue's target in words, e.g. '≥ 10× PouchDB' or '0'; null when none. */
  readonly target: string | null;
  /** Whether the target holds; null when there is no target or the run was a smoke. */
  readonly met: boolean | null;
  /** Anything a reader must know to read the number honestly (scaled down, extrapolated, failed…). */
  readonly note?: string;
}

export function ratioOf(better: 'lower' | 'higher', ours: Stat | null, baseline: Stat | null): number | null {
  if (!ours || !baseline || !(ours.median > 0) || !(baseline.median > 0)) return null;
  return better === 'lower' ? baseline.median / ours.median : ours.median / baseline.median;
}

/**
 * A row's target as a check: ours at least `ratio`× better than the baseline, ours (every sample)
 * at most `max`, or any check of ours (`holds`).
 */
export type Target =
  { text: string; ratio: number } | { text: string; max: number } | { text: string; holds: (ours: Stat) => boolean };

export type RowInput = Omit<ScenarioRow, 'ratio' | 'target' | 'met' | 'ours' | 'baseline' | 'baselineName'> & {
  ours: readonly number[] | null;
  baseline?: readonly number[] | null;
  baselineName?: string | null;
  target?: Target | undefined;
};

/** Builds a row: stats, the ratio, and whether the target holds (never judged in a smoke run). */
export function makeRow(input: RowInput, smoke: boolean): ScenarioRow {
  const { target, ours: oursSamples, baseline: baselineSamples, baselineName = null, ...rest } = input;
  const ours = oursSamples && oursSamples.length > 0 ? stat(oursSamples) : null;
  const baseline = baselineSamples && baselineSamples.length > 0 ? stat(baselineSamples) : null;
  const ratio = ratioOf(input.better, ours, baseline);
  let met: boolean | null = null;
  if (target && !smoke) {
    if ('ratio' in target) met = ratio === null ? null : ratio >= target.ratio;
    else if ('max' in target) met = ours === null ? null : Math.max(...ours.samples) <= target.max;
    else met = ours === null ? null : target.holds(ours);
  }
  return { ...rest, ours, baseline, baselineName, ratio, target: target?.text ?? null, met };
}

/** A row that says a part or a scenario could not be measured, and why. */
export const missingRow = (scenario: string, id: string, label: string, smoke: boolean, note?: string) =>
  makeRow({ scenario, id, label, unit: 'count', better: 'lower', ours: null, ...(note ? { note } : {}) }, smoke);

export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '–';
  if (unit === 'ms' && Math.abs(value) >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (unit === 'ms') return `${value >= 100 ? Math.round(value) : Math.round(value * 10) / 10} ms`;
  const text = Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en') : String(Math.round(value * 100) / 100);
  return unit === 'count' ? text : `${text} ${unit}`;
}

export const formatRatio = (ratio: number | null) =>
  ratio === null ? '–' : `${ratio >= 10 ? Math.round(ratio) : Math.round(ratio * 100) / 100}×`;

function formatStat(s: Stat | null, unit: string): string {
  if (!s) return '–';
  const n = s.samples.length;
  return n === 1
    ? `${formatValue(s.median, unit)} (n=1)`
    : `${formatValue(s.median, unit)} (p90 ${formatValue(s.p90, unit)}, n=${n})`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownTable(rows: readonly ScenarioRow[]): string {
  const lines = ['| # | measure | ours | baseline | ratio | target | met? |', '|---|---|---:|---:|---:|---|---|'];
  for (const r of rows) {
    const met = r.met === null ? (r.target ? 'not judged' : '') : r.met ? 'yes' : '**no**';
    const ours = `${formatStat(r.ours, r.unit)}${r.oursName ? `<br>${r.oursName}` : ''}`;
    const baseline = `${formatStat(r.baseline, r.unit)}${r.baselineName ? `<br>${r.baselineName}` : ''}`;
    const target = cell(r.target ?? '');
    lines.push(
      `| ${r.scenario} | ${cell(r.label)} | ${ours} | ${cell(baseline)} | ${formatRatio(r.ratio)} | ${target} | ${met} |`,
    );
  }
  const notes = rows.filter((r) => r.note).map((r) => `- \`${r.id}\`: ${r.note ?? ''}`);
  return [...lines, '', 'Notes:', ...notes].join('\n');
}
