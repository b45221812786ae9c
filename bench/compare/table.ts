/**
 * The comparison's output: one Markdown table (ours, the baseline, the ratio, the target) and
 * the JSON report (bench/results/latest.json for a full run, latest-smoke.json for a smoke run).
 */
import fs from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR } from '../harness/common';
import type { ScenarioRow, Stat } from './result';

function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '–';
  if (unit === 'ms' && Math.abs(value) >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (unit === 'ms') return `${value >= 100 ? Math.round(value) : Math.round(value * 10) / 10} ms`;
  const text = Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en') : String(Math.round(value * 100) / 100);
  return unit === 'count' ? text : `${text} ${unit}`;
}

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
    const ratio = r.ratio === null ? '–' : `${r.ratio >= 10 ? Math.round(r.ratio) : Math.round(r.ratio * 100) / 100}×`;
    const met = r.met === null ? (r.target ? 'not judged' : '') : r.met ? 'yes' : '**no**';
    const baseline = r.baselineName
      ? `${formatStat(r.baseline, r.unit)}<br>${r.baselineName}`
      : formatStat(r.baseline, r.unit);
    lines.push(
      `| ${r.scenario} | ${cell(r.label)} | ${formatStat(r.ours, r.unit)}${r.oursName ? `<br>${r.oursName}` : ''} | ${cell(baseline)} | ${ratio} | ${cell(r.target ?? '')} | ${met} |`,
    );
  }
  const notes = rows.filter((r) => r.note).map((r) => `- \`${r.id}\`: ${r.note ?? ''}`);
  return [...lines, '', 'Notes:', ...notes].join('\n');
}

export function writeReport(report: { mode: string; rows: readonly ScenarioRow[] } & Record<string, unknown>): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, report.mode === 'smoke' ? 'latest-smoke.json' : 'latest.json');
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
