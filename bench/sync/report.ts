/**
 * The sync benchmark's table: one row per goal, PASS when every timed repetition is under it.
 */
import { median } from '../harness/common';

export interface Row {
  id: string;
  label: string;
  samplesMs: number[];
  warmupsMs: number[];
  goalMs: number | null;
  /** null: not judged (information, smoke, or nothing measured). */
  pass: boolean | null;
  error?: string;
}

export function row(
  id: string,
  label: string,
  samplesMs: number[],
  warmupsMs: number[],
  goalMs: number | null,
  smoke: boolean,
  error?: string,
): Row {
  const judged = goalMs !== null && !smoke && samplesMs.length > 0;
  return {
    id,
    label,
    samplesMs,
    warmupsMs,
    goalMs,
    pass: judged ? Math.max(...samplesMs) < (goalMs ?? 0) : null,
    ...(error ? { error } : {}),
  };
}

export function markdownTable(rows: readonly Row[], smoke: boolean): string {
  const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines = ['| scenario | median | max | n | goal | pass? |', '|---|---:|---:|---:|---|---|'];
  for (const r of rows) {
    const has = r.samplesMs.length > 0;
    const verdict = !has
      ? r.error
        ? `not measured: ${r.error}`
        : 'not measured'
      : r.pass === null
        ? smoke && r.goalMs !== null
          ? 'not judged (smoke)'
          : 'info'
        : r.pass
          ? 'PASS'
          : 'FAIL';
    lines.push(
      `| ${r.label} | ${has ? sec(median(r.samplesMs)) : '–'} | ${has ? sec(Math.max(...r.samplesMs)) : '–'} | ${r.samplesMs.length} | ${r.goalMs === null ? '–' : `< ${r.goalMs / 1000} s`} | ${verdict}${r.error && has ? ` (later: ${r.error})` : ''} |`,
    );
  }
  return lines.join('\n');
}
