/**
 * Bundles the page kit (entry.ts: pouchdb-browser plus the app's Dexie database and count query)
 * into one script in a temporary directory, with an index.html that loads it. Vite (the app's
 * own bundler) does it once per run, in about 2 s; nothing comes from a CDN.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';

export async function bundlePageKit(): Promise<{ dir: string; ms: number; close(): void }> {
  const started = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-bench-page-'));
  await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    build: {
      outDir: dir,
      emptyOutDir: false,
      minify: true,
      sourcemap: false,
      copyPublicDir: false,
      lib: {
        entry: path.join(import.meta.dirname, 'entry.ts'),
        formats: ['iife'],
        name: 'benchKitBundle',
        fileName: () => 'bench-kit.js',
      },
    },
  });
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>bench</title></head><body><script src="/bench-kit.js"></script></body></html>\n',
  );
  return { dir, ms: performance.now() - started, close: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
