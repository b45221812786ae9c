/**
 * The real server (src/server/main.ts, what `npm start` ends in) as a child process of its own,
 * so its CPU time and peak memory can be read from /proc (the burst). The burst's is API only
 * (STATIC_DIR an empty folder); the register part's serves the app's build. Loopback only, port
 * chosen by the OS; PGlite starts from a copy of a migrated empty database (untimed either way).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pgliteDirectory } from '../../src/server/store/open-store';
import { ROOT } from './common';
import { copyEmptyPglite } from './pglite-template';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const LISTENING = /đang chạy tại (http:\/\/127\.0\.0\.1:\d+)/;

export interface ServerChild {
  readonly url: string;
  readonly pid: number;
  readonly dataDir: string;
  /** SIGINT (as Ctrl-C) and wait; SIGKILL when it has not exited in time. Idempotent. */
  stop(): Promise<void>;
  output(): string;
}

/** `databaseUrl` undefined: PGlite in a fresh DATA_DIR (removed by `removeDataDir`). */
export async function startServerChild(options: {
  databaseUrl?: string | undefined;
  staticDir?: string;
}): Promise<ServerChild> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-burst-data-'));
  // PGlite: start from a migrated copy (the server's own initdb is untimed setup, ~2 s of CPU).
  if (!options.databaseUrl) await copyEmptyPglite(pgliteDirectory(dataDir));
  const staticDir = options.staticDir ?? path.join(dataDir, 'no-app');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    STATIC_DIR: staticDir,
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BURST_NODE_ARGS ? process.env.BURST_NODE_ARGS.split(' ') : []),
      '--import',
      'tsx',
      'src/server/main.ts',
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const keep = (chunk: Buffer) => {
    // Bounded: a chatty server must not grow the bench's memory.
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    const finished = await Promise.race([
      exited.then(() => true),
      sleep(STOP_TIMEOUT_MS, undefined, { ref: false }).then(() => false),
    ]);
    if (!finished) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  try {
    const url = await waitForUrl(() => output, exited);
    if (child.pid === undefined) throw new Error('server child has no pid');
    return { url, pid: child.pid, dataDir, stop, output: () => output };
  } catch (error) {
    await stop();
    removeDataDir(dataDir);
    throw error;
  }
}

async function waitForUrl(output: () => string, exited: Promise<void>): Promise<string> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const started = performance.now();
  while (performance.now() - started < START_TIMEOUT_MS) {
    const url = LISTENING.exec(output())?.[1];
    if (url) return url;
    if (hasExited) throw new Error(`server exited before it listened:\n${output()}`);
    await sleep(50);
  }
  throw new Error(`server did not listen within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

export function removeDataDir(dataDir: string): void {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
