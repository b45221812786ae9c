import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScenarioRow } from '../../bench/compare/result';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * `npm run bench --smoke`: every scenario's real code (ours, PouchDB, the one-POST client, the
 * 3G variant with its baselines' rounds at once, the fault proxy, the burst, the register
 * screens) at tiny sizes, one repetition, nothing judged.
 * It only has to run to the end and say what it measured, so the bench cannot rot.
 */
describe('the benchmark', () => {
  it('still runs every scenario end to end at tiny sizes (smoke mode)', { timeout: 125_000 }, () => {
    const started = Date.now();
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke', '--dist'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 115_000,
    });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\| # \| measure \| ours \| baseline/);
    expect(result.stdout).toMatch(/\| metric/); // the register screens' table
    const file = path.join(ROOT, 'bench/results/latest-smoke.json');
    expect(fs.statSync(file).mtimeMs).toBeGreaterThanOrEqual(started - 1000);
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { rows: ScenarioRow[]; versions: Record<string, string> };
    const scenarios = new Set(report.rows.map((r) => r.scenario));
    for (const s of ['1-upload', '2-bootstrap', '3-burst', '4-faults', '5-counts']) expect(scenarios, s).toContain(s);
    // The browser scenarios measured both sides; nothing is judged in a smoke run.
    for (const id of ['upload-unthrottled', 'upload-3g', 'bootstrap-total', 'faults-upload-lost', 'counts-first']) {
      const row = report.rows.find((r) => r.id === id);
      expect(row?.ours?.samples.length, id).toBeGreaterThan(0);
      expect(row?.baseline?.samples.length, id).toBeGreaterThan(0);
    }
    // The burst ran (on PGlite at least), rather than leaving its "not measured" row.
    expect(report.rows.some((r) => r.id === 'burst-throughput' && (r.ours?.samples.length ?? 0) > 0)).toBe(true);
    expect(report.rows.every((r) => r.met === null)).toBe(true);
    expect(report.versions['pouchdb-browser']).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
