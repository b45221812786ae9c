/**
 * Small helpers shared by the benchmarks: paths, logging, rounding, deadlines, versions and the
 * fresh build of the current source that the browser benchmarks serve.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const RESULTS_DIR = path.join(ROOT, 'bench', 'results');

export let logPrefix = '[bench]';
/** Sets the prefix of progress lines (stderr). */
export function setLogPrefix(prefix: string) {
  logPrefix = prefix;
}
export const log = (message: string) => process.stderr.write(`${logPrefix} ${message}\n`);
export const round = (n: number) => Math.round(n);
export const round1 = (n: number) => Math.round(n * 10) / 10;
export const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

export class Deadline {
  private readonly end: number;
  constructor(budgetMs: number) {
    this.end = Date.now() + budgetMs;
  }
  left(): number {
    return this.end - Date.now();
  }
  /** A wait's limit: `ms`, or what is left of the budget. Throws when nothing is left. */
  step(ms: number): number {
    const left = this.left();
    if (left <= 0) throw new Error('bench time budget exhausted');
    return Math.min(ms, left);
  }
}

export function readPackageVersion(name: string): string {
  const file = path.join(ROOT, 'node_modules', name, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
}

// ---------------------------------------------------------------------------------------------
// Build (as bench/run.ts: the current source into a temporary directory, unless --dist)
// ---------------------------------------------------------------------------------------------

export function prepareBuild(
  useDist: boolean,
  unminified: boolean,
): { staticDir: string; temporary: boolean; note: string } {
  const distIndex = path.join(ROOT, 'dist', 'index.html');
  if (useDist) {
    if (!fs.existsSync(distIndex)) throw new Error('--dist given but dist/ has no build');
    return {
      staticDir: path.join(ROOT, 'dist'),
      temporary: false,
      note: `dist/ as built at ${fs.statSync(distIndex).mtime.toISOString()}`,
    };
  }
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-bench-sync-dist-'));
  const started = performance.now();
  const args = [
    'node_modules/vite/bin/vite.js',
    'build',
    '--outDir',
    outDir,
    '--emptyOutDir',
    '--logLevel',
    'warn',
    ...(unminified ? ['--minify', 'false'] : []),
  ];
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0)
    throw new Error(`vite build failed (${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`);
  return {
    staticDir: outDir,
    temporary: true,
    note: `fresh ${unminified ? 'UNMINIFIED ' : ''}build of the current source (${round(performance.now() - started)} ms)`,
  };
}

/** Runs a benchmark's main: its number is the exit code; a throw is printed and exits 1. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `${logPrefix} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
