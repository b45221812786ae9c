/**
 * `npm run bench -- --readme`: the performance tables of README.md, written from
 * bench/results/latest.json (each part's latest full measurement) between their markers
 * (`<!-- bench:<name>:start -->` … `<!-- bench:<name>:end -->`), formatted with the repository's
 * Prettier settings. Nothing outside the markers is touched; a table whose results are missing is
 * left as it is.
 */
import fs from 'node:fs';
import path from 'node:path';
import prettier from 'prettier';
import type { ScenarioRow } from './compare/table';
import { formatRatio, formatValue } from './compare/table';
import { log, RESULTS_DIR } from './harness/common';
import type { Stat } from './harness/stats';

interface Latest {
  machine: { cpus: number; cpuModel: string };
  parts: Record<
    string,
    { startedAt: string; loadAverage1m?: number[]; rows?: ScenarioRow[]; report?: unknown } | undefined
  >;
  rows: ScenarioRow[];
}

interface RegisterReport {
  options: { cpuThrottle: number; repetitions: number };
}

const day = (iso: string) => iso.slice(0, 16).replace('T', ' ');
const load = (average?: number[]) => (average ? ` (load ${average.join('→')})` : '');
const value = (s: Stat | null, unit: string) => (s ? `${formatValue(s.median, unit)} (n=${s.samples.length})` : '–');
const verdict = (row: ScenarioRow) => (row.met === null ? 'not judged' : row.met ? 'met' : '**not met**');
const isPostgres = (row: ScenarioRow) => row.id.endsWith('-postgres') || (row.oursName ?? '').includes('PostgreSQL');

/** One line per measure, ours on PGlite (or the device alone) beside ours on PostgreSQL. */
function comparisonTable(latest: Latest): string | undefined {
  if (latest.rows.length === 0) return undefined;
  const groups = new Map<string, { lite?: ScenarioRow; pg?: ScenarioRow }>();
  for (const row of latest.rows) {
    const key = `${row.scenario} ${row.id.replace(/-postgres$/, '')}`;
    const group = groups.get(key) ?? {};
    group[isPostgres(row) ? 'pg' : 'lite'] = row;
    groups.set(key, group);
  }
  const lines = [
    '| #   | measure | ours (PGlite; counts: Dexie) | ours on PostgreSQL | baseline | ratio | target |',
    '| --- | ------- | ---: | ---: | ---: | ---: | ------ |',
  ];
  for (const { lite, pg } of groups.values()) {
    const first = lite ?? pg;
    if (!first) continue;
    const sides = [lite, pg].filter((r): r is ScenarioRow => r !== undefined);
    const ratios = sides.filter((r) => r.ratio !== null).map((r) => formatRatio(r.ratio));
    const judged = sides.filter((r) => r.target !== null);
    const target = judged[0] ? `${judged[0].target ?? ''}: ${judged.map(verdict).join(' / ')}` : '–';
    const label = first.label.replace(/\|/g, '\\|');
    const cells = [first.scenario, label, lite ? value(lite.ours, lite.unit) : '–', pg ? value(pg.ours, pg.unit) : '–'];
    cells.push(value(first.baseline, first.unit), ratios.join(' / ') || '–', target);
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const rowKey = (row: ScenarioRow) => `${row.scenario} ${row.id} ${row.oursName ?? ''}`;
  const inTable = new Set(latest.rows.map(rowKey));
  const measured = Object.entries(latest.parts)
    .filter(([, part]) => part?.rows?.some((row) => inTable.has(rowKey(row))))
    .map(([name, part]) => `${name} ${day(part?.startedAt ?? '')}${load(part?.loadAverage1m)}`)
    .join(', ');
  const caption =
    `Written by \`npm run bench -- --readme\` from \`bench/results/latest.json\` (${measured}; ` +
    `${latest.machine.cpus} CPUs, ${latest.machine.cpuModel}): the median of n timed repetitions; ` +
    'p90, every sample and the notes are in the file and in the printed table.';
  return [caption, '', ...lines].join('\n');
}

function registerTable(latest: Latest): string | undefined {
  const part = latest.parts.register;
  const report = part?.report as RegisterReport | undefined;
  if (!part?.rows || !report) return undefined;
  const lines = ['| measure | median | p90 | goal |', '| --- | ---: | ---: | --- |'];
  for (const r of part.rows) {
    const cell = (pick: (s: Stat) => number) => (r.ours ? formatValue(pick(r.ours), r.unit) : '–');
    lines.push(`| ${r.label} | ${cell((s) => s.median)} | ${cell((s) => s.p90)} | ${r.target ?? 'information'} |`);
  }
  const caption =
    `Written by \`npm run bench -- --readme\` from \`bench/results/latest.json\` (register ${day(part.startedAt)}${load(part.loadAverage1m)}, ` +
    `CPU throttle ×${report.options.cpuThrottle}, ${report.options.repetitions} timed runs; paint times, nearest rank):`;
  return [caption, '', ...lines].join('\n');
}

const TABLES: Record<string, (latest: Latest) => string | undefined> = {
  comparison: comparisonTable,
  register: registerTable,
};

/** Rewrites the marked regions of `readmeFile`; 0 when done, 1 when there are no results to write from. */
export async function updateReadme(readmeFile: string): Promise<number> {
  const resultsFile = path.join(RESULTS_DIR, 'latest.json');
  if (!fs.existsSync(resultsFile)) {
    log(`no ${path.relative(path.dirname(readmeFile), resultsFile)}: run \`npm run bench\` first`);
    return 1;
  }
  const latest = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as Latest;
  const config = { ...(await prettier.resolveConfig(readmeFile)), parser: 'markdown' };
  let text = fs.readFileSync(readmeFile, 'utf8');
  for (const [name, table] of Object.entries(TABLES)) {
    const start = `<!-- bench:${name}:start -->`;
    const end = `<!-- bench:${name}:end -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    const markdown = table(latest);
    if (from < 0 || to < from || markdown === undefined) {
      log(`README: the ${name} table is left as it is (${markdown === undefined ? 'no results' : 'no markers'})`);
      continue;
    }
    const body = (await prettier.format(markdown, config)).trimEnd();
    text = `${text.slice(0, from + start.length)}\n\n${body}\n\n${text.slice(to)}`;
    log(`README: the ${name} table written`);
  }
  fs.writeFileSync(readmeFile, text);
  return 0;
}
