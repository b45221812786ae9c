// `npm test`: everything a fresh machine needs, then every suite; ends with "N passed, N failed".
// Plain Node, no dependencies (it runs before `npm ci`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuild, ensureDependencies } from '../src/server/setup.mjs';
import { startPostgresCluster } from './support/postgres-cluster.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const say = (line) => process.stdout.write(`${line}\n`);
const DEFAULT_CHROMIUM = '/usr/bin/chromium';

function ensureChromium() {
  const wanted = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  if (fs.existsSync(wanted)) return wanted;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(
      `Browser tests need Chromium at ${wanted}. Install it with "sudo apt-get install -y chromium" ` +
        '(or set CHROMIUM_PATH to a Chromium binary), then run npm test again.',
    );
  }
  say("Installing Debian's chromium for the browser tests (apt-get)…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status})`);
  }
  if (!fs.existsSync(DEFAULT_CHROMIUM)) throw new Error('apt-get installed chromium but /usr/bin/chromium is missing');
  return DEFAULT_CHROMIUM;
}

function step(name, command, args, env = process.env) {
  say(`\n▶ ${name}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  const ok = result.status === 0;
  say(ok ? `✔ ${name}` : `✘ ${name} (exit ${result.status ?? result.signal})`);
  return ok;
}

const bin = (name) => path.join(root, 'node_modules', name);
let postgres;
let passed = 0;
let failed = 0;
try {
  ensureDependencies(root);
  const chromium = ensureChromium();
  say(`Chromium: ${chromium}`);

  const checks = [
    step('typecheck (tsc, strict)', process.execPath, [bin('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']),
    step('lint (eslint, zero warnings)', process.execPath, [bin('eslint/bin/eslint.js'), '.', '--max-warnings', '0']),
  ];
  passed += checks.filter(Boolean).length;
  failed += checks.filter((ok) => !ok).length;

  ensureBuild(root);

  const cluster = await startPostgresCluster();
  const env = { ...process.env, CHROMIUM_PATH: chromium };
  if ('skipped' in cluster) {
    say(`\n⚠ PostgreSQL tests SKIPPED: ${cluster.skipped}. Server tests run on PGlite only.`);
    say('  Install PostgreSQL (apt-get install -y postgresql) to run them on both databases.');
  } else {
    postgres = cluster;
    env.TEST_DATABASE_URL = cluster.url;
    say(`\nPostgreSQL for tests: ${cluster.version} on ${cluster.url}`);
  }

  const report = path.join(root, '.tmp', 'vitest.json');
  fs.mkdirSync(path.dirname(report), { recursive: true });
  fs.rmSync(report, { force: true });
  const isVitestOk = step('unit, integration and browser tests (vitest)', process.execPath,
    [bin('vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], env);
  if (fs.existsSync(report)) {
    const results = JSON.parse(fs.readFileSync(report, 'utf8'));
    passed += results.numPassedTests;
    failed += results.numFailedTests;
    // A file that failed to load counts as a failure even when it declared no test.
    failed += results.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
    // Vitest also fails a run for an unhandled error outside any test: that is a failure too.
    if (!isVitestOk && results.numFailedTests === 0) {
      say('vitest failed the run without a failing test (an unhandled error, see above): counting it as one failure');
      failed += 1;
    }
  } else {
    say('vitest wrote no report: counting the run as failed');
    failed += 1;
  }
} catch (error) {
  say(`\n✘ ${error instanceof Error ? error.message : String(error)}`);
  failed += 1;
} finally {
  if (postgres) postgres.stop();
}
say(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
