/**
 * The burst's runs as rows of the comparison table (bench/compare/result.ts). Every Stat holds
 * one sample per repetition (e.g. each run's p99), so median and p90 are across repetitions.
 * There is no external baseline for scenario 3 (baseline null); scenario 4 compares the faulty
 * run's bytes per op with the clean run's on the same store.
 */
import { ratioOf, stat, type ScenarioRow, type Stat } from '../compare/result';
import type { BurstRun } from './run-once';

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

interface Measure {
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  readonly better: 'lower' | 'higher';
  readonly value: (run: BurstRun) => number | undefined;
  /** The issue's target, for which stores, checked on the worst repetition (p90) or the median. */
  readonly target?: {
    readonly text: string;
    readonly stores: 'all' | 'PostgreSQL';
    readonly holds: (s: Stat) => boolean;
  };
}

const zero = { text: '0', stores: 'all', holds: (s: Stat) => Math.max(...s.samples) === 0 } as const;

const BURST_MEASURES: readonly Measure[] = [
  {
    id: 'burst-throughput',
    label: 'ops acknowledged per second of burst',
    unit: 'ops/s',
    better: 'higher',
    value: (r) => round(r.answeredOps / (r.wallMs / 1000)),
  },
  {
    id: 'burst-push-p50',
    label: 'push request latency p50 (200 answers)',
    unit: 'ms',
    better: 'lower',
    value: (r) => round(percentile(r.pushLatencies, 0.5)),
  },
  {
    id: 'burst-push-p99',
    label: 'push request latency p99 (200 answers)',
    unit: 'ms',
    better: 'lower',
    value: (r) => round(percentile(r.pushLatencies, 0.99)),
    target: { text: '< 1000 ms on PostgreSQL', stores: 'PostgreSQL', holds: (s) => s.median < 1000 },
  },
  {
    id: 'burst-push-ack-p99',
    label: 'push to acknowledged p99 (incl. 503 waits, retries)',
    unit: 'ms',
    better: 'lower',
    value: (r) => round(percentile(r.pushToAck, 0.99)),
  },
  {
    id: 'burst-pull-p50',
    label: 'pull page latency p50',
    unit: 'ms',
    better: 'lower',
    value: (r) => round(percentile(r.pullLatencies, 0.5)),
  },
  {
    id: 'burst-pull-p99',
    label: 'pull page latency p99',
    unit: 'ms',
    better: 'lower',
    value: (r) => round(percentile(r.pullLatencies, 0.99)),
  },
  {
    id: 'burst-errors',
    label: 'errors (bad answers; devices unfinished at the deadline)',
    unit: 'count',
    better: 'lower',
    value: (r) => r.errors,
    target: { ...zero, stores: 'PostgreSQL' },
  },
  {
    id: 'burst-503',
    label: '503 back-pressure answers (honoured, retried)',
    unit: 'count',
    better: 'lower',
    value: (r) => r.overloaded,
  },
  {
    id: 'burst-server-cpu',
    label: 'server process CPU, user+sys, during the burst',
    unit: 's',
    better: 'lower',
    value: (r) => round(r.serverCpuS, 2),
  },
  {
    id: 'burst-db-cpu',
    label: 'PostgreSQL processes CPU during the burst',
    unit: 's',
    better: 'lower',
    value: (r) => (r.databaseCpuS === undefined ? undefined : round(r.databaseCpuS, 2)),
  },
  {
    id: 'burst-server-rss',
    label: 'server process peak RSS (VmHWM)',
    unit: 'MiB',
    better: 'lower',
    value: (r) => round(r.serverPeakRssMiB, 0),
  },
  {
    id: 'burst-missing',
    label: 'acknowledged records missing after the burst',
    unit: 'count',
    better: 'lower',
    value: (r) => r.missing,
    target: zero,
  },
  {
    id: 'burst-duplicates',
    label: 'records duplicated after the burst',
    unit: 'count',
    better: 'lower',
    value: (r) => r.duplicates,
    target: zero,
  },
];

const FAULT_MEASURES: readonly Measure[] = [
  {
    id: 'faults-lost',
    label: 'records lost (acknowledged, not on the server)',
    unit: 'count',
    better: 'lower',
    value: (r) => r.missing,
    target: zero,
  },
  {
    id: 'faults-duplicated',
    label: 'records duplicated',
    unit: 'count',
    better: 'lower',
    value: (r) => r.duplicates,
    target: zero,
  },
  {
    id: 'faults-extra-requests',
    label: 'extra requests: retries after a reset',
    unit: 'count',
    better: 'lower',
    value: (r) => r.networkFailures,
  },
  {
    id: 'faults-errors',
    label: 'errors (bad answers; devices unfinished at the deadline)',
    unit: 'count',
    better: 'lower',
    value: (r) => r.errors,
  },
];

function note(runs: readonly BurstRun[], window: string): string {
  const answered = runs.map((r) => `${r.answeredOps}/${r.ops}`).join(', ');
  const extra = [...new Set(runs.flatMap((r) => r.notes))].slice(0, 2).join('; ');
  return `${runs.length} run(s); ops acknowledged within the ${window} window: ${answered}${extra ? `; ${extra}` : ''}`;
}

function rowsOf(
  scenario: string,
  measures: readonly Measure[],
  runs: readonly BurstRun[],
  context: { smoke: boolean; window: string },
): ScenarioRow[] {
  const store = runs[0]?.store ?? '';
  const rows: ScenarioRow[] = [];
  for (const m of measures) {
    const samples = runs.map(m.value).filter((v): v is number => v !== undefined);
    if (samples.length === 0) continue;
    const ours = stat(samples);
    const target = m.target && (m.target.stores === 'all' || store.startsWith(m.target.stores)) ? m.target : undefined;
    rows.push({
      scenario,
      id: m.id,
      label: m.label,
      unit: m.unit,
      better: m.better,
      ours,
      oursName: store,
      baseline: null,
      baselineName: null,
      ratio: null,
      target: target?.text ?? null,
      met: target && !context.smoke ? target.holds(ours) : null,
      ...(m.id.endsWith('throughput') || m.id.endsWith('lost') ? { note: note(runs, context.window) } : {}),
    });
  }
  return rows;
}

export function burstRows(clean: readonly BurstRun[], context: { smoke: boolean; window: string }): ScenarioRow[] {
  return rowsOf('3-burst', BURST_MEASURES, clean, context);
}

/** Fault rows, with bytes per acknowledged op beside the clean runs' on the same store. */
export function faultRows(
  faulty: readonly BurstRun[],
  clean: readonly BurstRun[],
  context: { smoke: boolean; window: string },
): ScenarioRow[] {
  const rows = rowsOf('4-faults', FAULT_MEASURES, faulty, context);
  const perOp = (r: BurstRun) => round(r.bytes / Math.max(1, r.answeredOps), 0);
  const ours = stat(faulty.map(perOp));
  const baseline = clean.length > 0 ? stat(clean.map(perOp)) : null;
  const resets = faulty
    .map((r) => (r.proxy ? `${r.proxy.resetBefore} before / ${r.proxy.resetAfter} after the server` : ''))
    .join(', ');
  rows.push({
    scenario: '4-faults',
    id: 'faults-bytes-per-op',
    label: 'TCP bytes per acknowledged op, both ways (vs the clean burst)',
    unit: 'B',
    better: 'lower',
    ours,
    oursName: faulty[0]?.store ?? '',
    baseline,
    baselineName: baseline ? `same burst without faults (${faulty[0]?.store ?? ''})` : null,
    ratio: ratioOf('lower', ours, baseline),
    target: null,
    met: null,
    note: `connections reset: ${resets}; includes 503 retries of both runs`,
  });
  return rows;
}
