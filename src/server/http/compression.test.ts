import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteStore } from '../store/pglite-store';
import { runMigrations } from '../store/migrations';
import type { Store } from '../store/store';
import { buildApp } from './app';

const BROWSER = 'gzip, deflate, br, zstd';

describe('compression of answers', () => {
  let store: Store;
  let app: FastifyInstance;
  let staticDir: string;

  beforeAll(async () => {
    store = await openPgliteStore();
    await runMigrations(store);
    staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-static-'));
    fs.writeFileSync(
      path.join(staticDir, 'index.html'),
      `<!doctype html><title>Sổ Khuyến học</title>${' '.repeat(4096)}`,
    );
    fs.mkdirSync(path.join(staticDir, 'assets'));
    fs.writeFileSync(path.join(staticDir, 'assets', 'index-abcdef12.js'), `export const a = '${'x'.repeat(8192)}';`);
    app = await buildApp({ store, staticDir });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
    fs.rmSync(staticDir, { recursive: true, force: true });
  });

  const get = (url: string, acceptEncoding?: string) =>
    app.inject({ method: 'GET', url, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });

  it('gzips a JSON answer of 1 KiB or more for a client that accepts gzip, and sends the same JSON', async () => {
    const plain = await get('/api/v1/openapi.json');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(1024);
    const zipped = await get('/api/v1/openapi.json', BROWSER);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('accept-encoding');
    expect(gunzipSync(zipped.rawPayload).equals(plain.rawPayload)).toBe(true);
  });

  it('sends JSON as it is to a client that accepts only encodings other than gzip', async () => {
    for (const acceptEncoding of ['br', 'deflate', 'identity']) {
      expect((await get('/api/v1/openapi.json', acceptEncoding)).headers['content-encoding']).toBeUndefined();
    }
  });

  it('leaves JSON answers under 1 KiB, and the static app files, uncompressed', async () => {
    const small = await get('/api/v1/health', BROWSER);
    expect(small.rawPayload.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
    for (const url of ['/', '/ho-gia-dinh', '/assets/index-abcdef12.js']) {
      const answer = await get(url, BROWSER);
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['content-encoding']).toBeUndefined();
    }
  });
});
