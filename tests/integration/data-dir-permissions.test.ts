import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/server/config';
import { startServer } from '../../src/server/main';

/** Every folder and file under `dir`, with its permission bits (octal). */
function modesUnder(dir: string): { path: string; kind: 'dir' | 'file'; mode: string }[] {
  const found: { path: string; kind: 'dir' | 'file'; mode: string }[] = [];
  const walk = (p: string) => {
    const stat = fs.statSync(p);
    found.push({
      path: path.relative(dir, p),
      kind: stat.isDirectory() ? 'dir' : 'file',
      mode: (stat.mode & 0o777).toString(8),
    });
    if (stat.isDirectory()) for (const entry of fs.readdirSync(p)) walk(path.join(p, entry));
  };
  walk(dir);
  return found;
}

describe('the PGlite data directory', () => {
  let dataDir: string | undefined;
  afterEach(() => {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is private to the server user: folders 0700 while it runs, and every file 0600 once it stopped', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-perm-'));
    const config = readConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      STATIC_DIR: path.join(dataDir, 'no-app'),
      LOG_LEVEL: 'silent',
    });
    const server = await startServer(config);
    const pglite = path.join(dataDir, 'pglite');
    try {
      const running = modesUnder(pglite);
      expect(running.filter((e) => e.kind === 'file').length).toBeGreaterThan(100);
      expect(running.filter((e) => e.kind === 'dir' && e.mode !== '700')).toEqual([]);
      expect(running.filter((e) => e.kind === 'file' && e.mode !== '600')).toEqual([]);
    } finally {
      await server.close();
    }
    expect(modesUnder(pglite).filter((e) => (e.kind === 'dir' ? e.mode !== '700' : e.mode !== '600'))).toEqual([]);
  }, 60_000);
});
