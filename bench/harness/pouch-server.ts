/**
 * The baseline's server: express-pouchdb (CouchDB's HTTP API) over pouchdb-node's LevelDB adapter
 * (leveldown) in a temporary directory on disk, with its default durability, on 127.0.0.1.
 * The same HTTP server serves the bench page (its PouchDB in the browser) from `pageDir`, so
 * the page and the database share one origin and no CORS is involved. `/db/<name>` is CouchDB.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb-node';
import type { PouchStatic } from 'pouchdb-bench-types';

export interface PouchServer {
  /** Straight to the server (Node side: pre-filling, checks). */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** PouchDB in this process on the server's own LevelDB files (same databases as over HTTP). */
  readonly local: PouchStatic;
  /** The CouchDB URL of a database, through `base` (e.g. a proxy) or straight. */
  dbUrl(name: string, base?: string): string;
  /** Data directory size on disk, bytes. */
  diskBytes(): number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

export function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(full) : fs.statSync(full).size;
  }
  return total;
}

export async function startPouchServer(pageDir: string): Promise<PouchServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-bench-couch-'));
  const local = PouchDB.defaults({ prefix: `${dataDir}/` });
  const couch = expressPouchDB(local, { mode: 'minimumForPouchDB', inMemoryConfig: true });
  const server = http.createServer((request, response) => {
    const url = request.url ?? '/';
    if (url === '/db' || url.startsWith('/db/')) {
      request.url = url.slice(3) || '/';
      couch(request, response);
      return;
    }
    const file = path.join(
      pageDir,
      path.normalize(decodeURIComponent(url.split('?')[0] ?? '/')).replace(/^(\.\.[/\\])+/, ''),
    );
    const target = file.endsWith('/') ? path.join(file, 'index.html') : file;
    if (!target.startsWith(pageDir) || !fs.existsSync(target) || fs.statSync(target).isDirectory()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[path.extname(target)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    fs.createReadStream(target).pipe(response);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('pouch server has no port');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    port: address.port,
    dataDir,
    local,
    dbUrl: (name, base = url) => `${base}/db/${name}`,
    diskBytes: () => dirBytes(dataDir),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
