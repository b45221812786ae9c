/**
 * The burst's runs as rows of the comparison table (bench/compare/table.ts). Every Stat holds one
 * sample per repetition (e.g. each run's p99), so median and p90 are across repetitions. There is
 * no external baseline for scenario 3; scenario 4 compares the faulty run's bytes per op with the
 * clean run's on the same store.
 */
import { makeRow, type ScenarioRow, type Target } from '../compare/table';
import { percentile, type Stat } from '../harness/stats';
import type { BurstRun } from './run-once';

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

interface Measure {
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  readonly value: (run: BurstRun) => number | undefined;
  readonly better?: 'higher';
  /** The issue's target, for which stores (all, or PostgreSQL only). */
  readonly target?: Target & { readonly stores?: 'PostgreSQL' };
}

/** Checked on the worst repetition. */
const zero = { text: '0', holds: (s: Stat) => Math.max(...s.samples) === 0 };
const ms = (values: readonly number[], p: number) => round(percentile(values, p));

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
    value: (r) => ms(r.pushLatencies, 0.5),
  },
  {
    id: 'burst-push-p99',
    label: 'push request latency p99 (200 answers)',
    unit: 'ms',
    value: (r) => ms(r.pushLatencies, 0.99),
    // Checked on the median repetition.
    target: { text: '< 1000 ms on PostgreSQL', stores: 'PostgreSQL', holds: (s) => s.median < 1000 },
  },
  {
    id: 'burst-push-ack-p99',
    label: 'push to acknowledged p99 (incl. 503 waits, retries)',
    unit: 'ms',
    value: (r) => ms(r.pushToAck, 0.99),
  },
  { id: 'burst-pull-p50', label: 'pull page latency p50', unit: 'ms', value: (r) => ms(r.pullLatencies, 0.5) },
  { id: 'burst-pull-p99', label: 'pull page latency p99', unit: 'ms', value: (r) => ms(r.pullLatencies, 0.99) },
  {
    id: 'burst-errors',
    label: 'errors (bad answers; devices unfinished at the deadline)',
    unit: 'count',
    value: (r) => r.errors,
    target: { ...zero, stores: 'PostgreSQL' },
  },
  {
    id: 'burst-503',
    label: '503 back-pressure answers (honoured, retried)',
    unit: 'count',
    value: (r) => r.overloaded,
  },
  {
    id: 'burst-server-cpu',
    label: 'server process CPU, user+sys, during the burst',
    unit: 's',
    value: (r) => round(r.serverCpuS, 2),
  },
  {
    id: 'burst-db-cpu',
    label: 'PostgreSQL processes CPU during the burst',
    unit: 's',
    value: (r) => (r.databaseCpuS === undefined ? undefined : round(r.databaseCpuS, 2)),
  },
  {
    id: 'burst-server-rss',
    label: 'server process peak RSS (VmHWM)',
    unit: 'MiB',
    value: (r) => round(r.serverPeakRssMiB, 0),
  },
  {
    id: 'burst-missing',
    label: 'acknowledged records missing after the burst',
    unit: 'count',
    value: (r) => r.missing,
    target: zero,
  },
  {
    id: 'burst-duplicates',
    label: 'records duplicated after the burst',
    unit: 'count',
    value: (r) => r.duplicates,
    target: zero,
  },
];

const FAULT_MEASURES: readonly Measure[] = [
  {
    id: 'faults-lost',
    label: 'records lost (acknowledged, not on the server)',
    unit: 'count',
    value: (r) => r.missing,
    target: zero,
  },
  { id: 'faults-duplicated', label: 'records duplicated', unit: 'count', value: (r) => r.duplicates, target: zero },
  {
    id: 'faults-extra-requests',
    label: 'extra requests: retries after a reset',
    unit: 'count',
    value: (r) => r.networkFailures,
  },
  {
    id: 'faults-errors',
    label: 'errors (bad answers; devices unfinished at the deadline)',
    unit: 'count',
    value: (r) => r.errors,
  },
];

interface Context {
  smoke: boolean;
  window: string;
}

function note(runs: readonly BurstRun[], window: string): string {
  const answered = runs.map((r) => `${r.answeredOps}/${r.ops}`).join(', ');
  const extra = [...new Set(runs.flatMap((r) => r.notes))].slice(0, 2).join('; ');
  return `${runs.length} run(s); ops acknowledged within the ${window} window: ${answered}${extra ? `; ${extra}` : ''}`;
}

function rowsOf(scenario: string, measures: readonly Measure[], runs: readonly BurstRun[], context: Context) {
  const store = runs[0]?.store ?? '';
  return measures.flatMap((m): ScenarioRow[] => {
    const samples = runs.map(m.value).filter((v): v is number => v !== undefined);
    if (samples.length === 0) return [];
    const target = m.target && (!m.target.stores || store.startsWith(m.target.stores)) ? m.target : undefined;
    const withNote = m.id.endsWith('throughput') || m.id.endsWith('lost');
    const { id, label, unit } = m;
    const row = {
      scenario,
      id,
      label,
      unit,
      better: m.better ?? 'lower',
      ours: samples,
      oursName: store,
      target,
    } as const;
    return [makeRow(withNote ? { ...row, note: note(runs, context.window) } : row, context.smoke)];
  });
}

export const burstRows = (clean: readonly BurstRun[], context: Context) =>
  rowsOf('3-burst', BURST_MEASURES, clean, context);

/** Fault rows, with bytes per acknowledged op beside the clean runs' on the same store. */
export function faultRows(faulty: readonly BurstRun[], clean: readonly BurstRun[], context: Context): ScenarioRow[] {
  const perOp = (r: BurstRun) => round(r.bytes / Math.max(1, r.answeredOps), 0);
  const store = faulty[0]?.store ?? '';
  const resets = faulty
    .map((r) => (r.proxy ? `${r.proxy.resetBefore} before / ${r.proxy.resetAfter} after the server` : ''))
    .join(', ');
  const bytes = makeRow(
    {
      scenario: '4-faults',
      id: 'faults-bytes-per-op',
      label: 'TCP bytes per acknowledged op, both ways (vs the clean burst)',
      unit: 'B',
      better: 'lower',
      ours: faulty.map(perOp),
      oursName: store,
      baseline: clean.map(perOp),
      baselineName: clean.length > 0 ? `same burst without faults (${store})` : null,
      note: `connections reset: ${resets}; includes 503 retries of both runs`,
    },
    context.smoke,
  );
  return [...rowsOf('4-faults', FAULT_MEASURES, faulty, context), bytes];
}
