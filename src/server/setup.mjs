// Plain Node, no dependencies: runs before `npm ci` has installed anything.
// Used by `npm start` (src/server/start.mjs) and `npm test` (tests/run-tests.mjs).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const INSTALL_STAMP = 'node_modules/.skh-install-stamp';
const BUILD_STAMP = 'dist/.skh-build-stamp';
/** What the built PWA is made from: a change in any of these means a new build. */
const BUILD_INPUTS = [
  'index.html',
  'vite.config.ts',
  'package-lock.json',
  'public',
  'src/client',
  'src/shared',
  'src/domain',
];

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} thất bại (mã ${result.status ?? result.signal})`);
}

function hashFiles(root, entries) {
  const hash = createHash('sha256');
  const visit = (rel) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    const stat = fs.statSync(abs);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(abs).sort()) visit(path.join(rel, name));
    } else if (!/\.test\.tsx?$/.test(rel)) {
      hash.update(rel).update('\0').update(fs.readFileSync(abs)).update('\0');
    }
  };
  entries.forEach(visit);
  return hash.digest('hex');
}

function stampMatches(root, stampFile, value) {
  try {
    return fs.readFileSync(path.join(root, stampFile), 'utf8') === value;
  } catch {
    return false;
  }
}

/** `npm ci` when node_modules is missing or was installed from another package-lock.json. */
export function ensureDependencies(root) {
  const lockHash = hashFiles(root, ['package.json', 'package-lock.json']);
  if (stampMatches(root, INSTALL_STAMP, lockHash)) return false;
  process.stdout.write('Cài các gói npm (npm ci)…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  run(npm, fs.existsSync(path.join(root, 'package-lock.json')) ? ['ci', '--no-audit', '--no-fund'] : ['install'], root);
  fs.writeFileSync(path.join(root, INSTALL_STAMP), lockHash);
  return true;
}

/** Builds the PWA into dist/ unless the last build came from the same sources. */
export function ensureBuild(root) {
  const sourceHash = hashFiles(root, BUILD_INPUTS);
  if (fs.existsSync(path.join(root, 'dist/index.html')) && stampMatches(root, BUILD_STAMP, sourceHash)) return false;
  process.stdout.write('Build ứng dụng (vite build)…\n');
  run(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], root);
  fs.writeFileSync(path.join(root, BUILD_STAMP), sourceHash);
  return true;
}
