import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('the benchmark', () => {
  it('still runs end to end on a small register (smoke mode)', () => {
    const started = Date.now();
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke', '--dist'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 80_000,
    });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\| metric/);
    const written = fs
      .readdirSync(path.join(ROOT, 'bench/results'))
      .filter((f) => f.startsWith('smoke-register-'))
      .map((f) => fs.statSync(path.join(ROOT, 'bench/results', f)).mtimeMs);
    expect(Math.max(...written)).toBeGreaterThanOrEqual(started - 1000);
  });
});
