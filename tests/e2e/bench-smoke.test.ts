import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScenarioRow } from '../../bench/compare/table';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * A correctness check, not a benchmark: the bench gets a budget no busy machine needs (its smoke
 * default of 110 s cut parts short on a loaded CI machine and turned CI red), and nothing here
 * looks at a time. The only limit is for a bench that hangs: past it the bench's whole process
 * group is killed and the test fails with what it printed (spawnSync's own timeout once left a
 * hung bench running for 15 minutes, holding the run).
 */
const BENCH_BUDGET_S = 480;
/** Every part but the burst: burst-smoke.test.ts runs it with stronger checks (nothing lost or doubled), not twice. */
const PARTS = ['upload', 'upload3g', 'faults', 'bootstrap', 'counts', 'register'];
const HUNG_AFTER_MS = (BENCH_BUDGET_S + 60) * 1000;

interface BenchRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly hung: boolean;
}

function runBenchSmoke(): Promise<BenchRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/run.ts',
        '--smoke',
        '--dist',
        `--budget=${BENCH_BUDGET_S}`,
        `--only=${PARTS.join(',')}`,
      ],
      {
        cwd: ROOT,
        detached: true, // its own process group: a kill reaches the browsers and servers it started
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      hung = true;
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, HUNG_AFTER_MS);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, hung });
    });
  });
}

/**
 * `npm run bench -- --smoke`: every scenario's real code (ours, PouchDB, the one-POST client, the
 * 3G variant with its baselines' rounds at once, the fault proxy, the register screens; the burst
 * in burst-smoke.test.ts) at tiny sizes, one repetition, nothing judged.
 * It only has to run to the end and say what it measured, so the bench cannot rot.
 */
describe('the benchmark', () => {
  it(
    'still runs every scenario end to end at tiny sizes (smoke mode)',
    { timeout: HUNG_AFTER_MS + 30_000 },
    async () => {
      const started = Date.now();
      const result = await runBenchSmoke();
      expect(
        result.hung,
        `the bench was still running after ${HUNG_AFTER_MS / 1000} s:\n${result.stdout}${result.stderr}`,
      ).toBe(false);
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toMatch(/\| # \| measure \| ours \| baseline/);
      expect(result.stdout).toMatch(/\| metric/); // the register screens' table
      const file = path.join(ROOT, 'bench/results/latest-smoke.json');
      expect(fs.statSync(file).mtimeMs).toBeGreaterThanOrEqual(started - 1000);
      const report = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        rows: ScenarioRow[];
        versions: Record<string, string>;
      };
      const scenarios = new Set(report.rows.map((r) => r.scenario));
      for (const s of ['1-upload', '2-bootstrap', '4-faults', '5-counts']) expect(scenarios, s).toContain(s);
      // The browser scenarios measured both sides; nothing is judged in a smoke run.
      for (const id of ['upload-unthrottled', 'upload-3g', 'bootstrap-total', 'faults-upload-lost', 'counts-first']) {
        const row = report.rows.find((r) => r.id === id);
        expect(row?.ours?.samples.length, id).toBeGreaterThan(0);
        expect(row?.baseline?.samples.length, id).toBeGreaterThan(0);
      }
      expect(report.rows.every((r) => r.met === null)).toBe(true);
      expect(report.versions['pouchdb-browser']).toMatch(/^\d+\.\d+\.\d+$/);
    },
  );
});
