// A throwaway PostgreSQL cluster for the test run: initdb in a fresh /tmp folder, trust auth,
// its own free port, loopback only; torn down afterwards. Plain Node, no dependencies.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

function findBinDir() {
  const candidates = [];
  const fromPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (fromPath) candidates.push(path.dirname(fs.realpathSync(fromPath)));
  const debianRoot = '/usr/lib/postgresql';
  if (fs.existsSync(debianRoot)) {
    for (const version of fs.readdirSync(debianRoot).sort((a, b) => Number(b) - Number(a)))
      candidates.push(path.join(debianRoot, version, 'bin'));
  }
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl')));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Returns `{ url, version, stop }`, or `{ skipped: reason }` when PostgreSQL binaries are absent.
 * Tests get a cluster without fsync (a test's data need not survive a power cut); `durable: true`
 * keeps PostgreSQL's default durability (fsync, synchronous_commit, full_page_writes on), which the
 * benchmark measures.
 */
export async function startPostgresCluster({ durable = false } = {}) {
  const binDir = findBinDir();
  if (!binDir) return { skipped: 'no PostgreSQL binaries (initdb, pg_ctl) found on this machine' };

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // initdb refuses to run as root: run the cluster as the postgres system user then.
  const asUser = (file, args) =>
    isRoot ? ['runuser', ['-u', 'postgres', '--', path.join(binDir, file), ...args]] : [path.join(binDir, file), args];
  if (isRoot && spawnSync('id', ['postgres']).status !== 0)
    return { skipped: 'running as root and there is no postgres system user' };

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-pg-'));
  fs.chmodSync(dir, 0o755);
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir, { mode: 0o700 });
  if (isRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const port = await freePort();

  const exec = (file, args) => {
    const [cmd, cmdArgs] = asUser(file, args);
    execFileSync(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  };
  try {
    exec('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']);
    exec('pg_ctl', [
      '-D',
      dataDir,
      '-l',
      path.join(dir, 'log.txt'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off'} -c max_connections=200`,
      'start',
    ]);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    const stderr = error.stderr ? String(error.stderr).trim() : String(error);
    throw new Error(`could not start a throwaway PostgreSQL cluster: ${stderr}`, { cause: error });
  }
  const version = spawnSync(path.join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout.trim();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    version,
    stop() {
      try {
        exec('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
