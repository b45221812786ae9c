// `npm test`: everything a fresh machine needs, then every suite; its last line is
// "N passed, N failed, N skipped" (CI reads it). Under CI=true nothing may be silently missing:
// no PostgreSQL fails the run (run-summary.mjs).
// Plain Node, no dependencies (it runs before `npm ci`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuild, ensureDependencies } from '../src/server/setup.mjs';
import { startPostgresCluster } from './support/postgres-cluster.mjs';
import { closingLine, countVitestReport, ensurePostgres, isCiEnv } from './support/run-summary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const say = (line) => process.stdout.write(`${line}\n`);
const DEFAULT_CHROMIUM = '/usr/bin/chromium';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function aptInstall(what, packages) {
  say(`Installing Debian's ${what} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', ...packages],
  ]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status})`);
  }
}

function ensureChromium() {
  const wanted = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  if (fs.existsSync(wanted)) return wanted;
  if (!isRoot) {
    throw new Error(
      `Browser tests need Chromium at ${wanted}. Install it with "sudo apt-get install -y chromium" ` +
        '(or set CHROMIUM_PATH to a Chromium binary), then run npm test again.',
    );
  }
  aptInstall('chromium for the browser tests', ['chromium']);
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
let skipped = 0;
try {
  ensureDependencies(root);
  const chromium = ensureChromium();
  say(`Chromium: ${chromium}`);

  const checks = [
    step('format (prettier --check)', process.execPath, [
      bin('prettier/bin/prettier.cjs'),
      '--check',
      '.',
      '--log-level',
      'warn',
    ]),
    step('typecheck (tsc, strict)', process.execPath, [bin('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit']),
    step('lint (eslint, zero warnings)', process.execPath, [bin('eslint/bin/eslint.js'), '.', '--max-warnings', '0']),
  ];
  passed += checks.filter(Boolean).length;
  failed += checks.filter((ok) => !ok).length;

  ensureBuild(root);
  // A size budget on the build just made (not a timing): start-up JS ≤ 150 KB gzip, areas precached.
  const budget = step('bundle budget (start-up JS ≤ 150 KB gzip, field precached, office not)', process.execPath, [
    path.join(root, 'tests/checks/bundle-budget.mjs'),
    path.join(root, 'dist'),
  ]);
  passed += budget ? 1 : 0;
  failed += budget ? 0 : 1;

  const cluster = await ensurePostgres({
    start: () => startPostgresCluster(),
    install: () => aptInstall('postgresql for the server tests', ['postgresql']),
    isRoot,
    isCi: isCiEnv(process.env),
    say,
  });
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
  const isVitestOk = step(
    'unit, integration and browser tests (vitest)',
    process.execPath,
    [bin('vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    env,
  );
  if (fs.existsSync(report)) {
    const counts = countVitestReport(JSON.parse(fs.readFileSync(report, 'utf8')), isVitestOk);
    if (counts.unexplained)
      say('vitest failed the run without a failing test (an unhandled error, see above): counting it as one failure');
    passed += counts.passed;
    failed += counts.failed;
    skipped += counts.skipped;
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
// Always the last line printed.
say(`\n${closingLine({ passed, failed, skipped })}`);
process.exit(failed === 0 ? 0 : 1);
