/**
 * Small helpers shared by the bench's parts: paths, logging, rounding, deadlines, versions, the
 * machine, the results file and the fresh build of the current source that the browser parts serve.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const RESULTS_DIR = path.join(ROOT, 'bench', 'results');

/** Progress goes to stderr; stdout holds only the tables. */
export const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
export const round = (n: number) => Math.round(n);
export const round1 = (n: number) => Math.round(n * 10) / 10;
export const num = (n: number) => n.toLocaleString('en');
export const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 100) / 100;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  try {
    const file = path.join(ROOT, 'node_modules', name, 'package.json');
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

export const APP_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

export function errorText(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
}

export function machine() {
  return {
    platform: `${os.platform()} ${os.release()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryBytes: os.totalmem(),
  };
}

/** The 1/5/15-minute load averages: other work on the machine skews the numbers. */
export const loadAverage = () => os.loadavg().map(round1);

/**
 * The app the browser parts serve: the current source built into a temporary directory (so the
 * bench measures what is in src/ and never rewrites the shared dist/), or `--dist` as it is.
 */
export function prepareBuild(useDist: boolean, unminified: boolean) {
  const distIndex = path.join(ROOT, 'dist', 'index.html');
  if (useDist) {
    if (!fs.existsSync(distIndex)) throw new Error('--dist given but dist/ has no build');
    const note = `dist/ as built at ${fs.statSync(distIndex).mtime.toISOString()}`;
    return { staticDir: path.join(ROOT, 'dist'), temporary: false, note };
  }
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-bench-dist-'));
  const started = performance.now();
  const args = ['node_modules/vite/bin/vite.js', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'];
  if (unminified) args.push('--minify', 'false');
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0)
    throw new Error(`vite build failed (${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`);
  const ms = round(performance.now() - started);
  return {
    staticDir: outDir,
    temporary: true,
    note: `fresh ${unminified ? 'UNMINIFIED ' : ''}build of the current source (${ms} ms)`,
  };
}

/** Writes `name` (JSON) into bench/results/ and returns its path relative to the repository. */
export function writeResult(name: string, value: unknown): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, name);
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  return path.relative(ROOT, file);
}

export const fileStamp = (date: Date) => date.toISOString().replace(/[:.]/g, '-');
