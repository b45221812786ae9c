/**
 * Standalone run of the burst scenarios (3 and 4):
 *   node --import tsx bench/burst/main.ts [--smoke] [--profile]
 * prints a Markdown table; `npm run bench` calls runBurstScenarios itself.
 */
import type { ScenarioRow, Stat } from '../compare/result';
import { runBurstScenarios } from './burst';

const format = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1));
const cell = (s: Stat | null) => (s ? `${format(s.median)} / ${format(s.p90)}` : '–');
const met = (row: ScenarioRow) => (row.met === null ? '' : row.met ? 'yes' : '**no**');

function table(rows: readonly ScenarioRow[]): string {
  const lines = [
    '| scenario | store | measure | unit | ours median / p90 | baseline | target | met | note |',
    '|---|---|---|---|---:|---:|---|---|---|',
  ];
  for (const r of rows) {
    const baseline = r.baseline ? `${cell(r.baseline)} (${r.baselineName ?? ''})` : '';
    lines.push(
      `| ${r.scenario} | ${r.oursName ?? ''} | ${r.label} | ${r.unit} | ${cell(r.ours)} | ${baseline} | ${r.target ?? ''} | ${met(r)} | ${r.note ?? ''} |`,
    );
  }
  return lines.join('\n');
}

const smoke = process.argv.includes('--smoke');
const started = performance.now();
const rows = await runBurstScenarios({
  smoke,
  profile: process.argv.includes('--profile'),
  deadlineMs: Date.now() + (smoke ? 60_000 : 240_000),
  log: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write(`\n${table(rows)}\n\nwhole run: ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
