/**
 * The register benchmark's metrics: warm-ups then timed repetitions of each screen, median and
 * p90 (nearest rank) of the paint times, and the Markdown table.
 */
import { log, median, round1 } from '../harness/common';
import type { Timing } from '../page-probe';

/** What runMetrics needs of the run's options. */
export interface MetricOptions {
  smoke: boolean;
  warmups: number;
  repetitions: number;
}

export function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

export interface MetricSpec {
  id: string;
  label: string;
  goalMs: number;
  detail: string;
  /** false: shown for information against the goal, never judged (not one of the issue's goals). */
  judged?: boolean;
}

export interface MetricResult extends Required<MetricSpec> {
  warmupsPaintMs: number[];
  samplesPaintMs: number[];
  samplesDomMs: number[];
  medianMs: number | null;
  p90Ms: number | null;
  medianDomMs: number | null;
  /** median and p90 both under the goal; null when not judged (smoke, info metric, or error). */
  pass: boolean | null;
  error?: string;
}

/**
 * Runs warm-ups then the timed repetitions of one scenario; `once` returns one Timing per spec
 * (a scenario may time several states of the same action). Errors are recorded, not thrown.
 */
export async function runMetrics(
  options: MetricOptions,
  specs: readonly MetricSpec[],
  once: (index: number) => Promise<Timing[]>,
): Promise<MetricResult[]> {
  const results: MetricResult[] = specs.map((spec) => ({
    judged: true,
    ...spec,
    warmupsPaintMs: [],
    samplesPaintMs: [],
    samplesDomMs: [],
    medianMs: null,
    p90Ms: null,
    medianDomMs: null,
    pass: null,
  }));
  try {
    for (let i = 0; i < options.warmups + options.repetitions; i += 1) {
      const timings = await once(i);
      results.forEach((result, k) => {
        const timing = timings[k];
        if (!timing) throw new Error(`no timing for ${result.id}`);
        if (i < options.warmups) result.warmupsPaintMs.push(round1(timing.paintMs));
        else {
          result.samplesPaintMs.push(round1(timing.paintMs));
          result.samplesDomMs.push(round1(timing.domMs));
        }
      });
    }
    for (const result of results) {
      result.medianMs = round1(median(result.samplesPaintMs));
      result.p90Ms = round1(percentile(result.samplesPaintMs, 90));
      result.medianDomMs = round1(median(result.samplesDomMs));
      if (!options.smoke && result.judged)
        result.pass = result.medianMs < result.goalMs && result.p90Ms < result.goalMs;
    }
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    for (const result of results) result.error = message;
  }
  for (const r of results) {
    log(
      `${r.label}: ${r.error ? `ERROR ${r.error}` : `median ${r.medianMs} ms, p90 ${r.p90Ms} ms (${r.samplesPaintMs.join(', ')})`}`,
    );
  }
  return results;
}

export async function runMetric(
  options: MetricOptions,
  spec: MetricSpec,
  once: (index: number) => Promise<Timing>,
): Promise<MetricResult> {
  const [result] = await runMetrics(options, [spec], async (i) => [await once(i)]);
  if (!result) throw new Error('runMetrics returned nothing');
  return result;
}

export function markdownTable(metrics: readonly MetricResult[], smoke: boolean): string {
  const lines = ['| metric | median ms | p90 ms | goal | pass? |', '|---|---:|---:|---|---|'];
  for (const m of metrics) {
    const under = m.medianMs !== null && m.p90Ms !== null && m.medianMs < m.goalMs && m.p90Ms < m.goalMs;
    const verdict = m.error
      ? `error: ${m.error}`
      : smoke
        ? 'not judged (smoke)'
        : !m.judged
          ? `info (${under ? 'under' : 'over'})`
          : m.pass
            ? 'PASS'
            : 'FAIL';
    lines.push(
      `| ${m.label} | ${m.medianMs ?? '–'} | ${m.p90Ms ?? '–'} | ${m.judged ? '' : '(info) '}< ${m.goalMs} ms | ${verdict} |`,
    );
  }
  return lines.join('\n');
}
