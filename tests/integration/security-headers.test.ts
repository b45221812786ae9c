import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/http/app';
import { runMigrations } from '../../src/server/store/migrations';
import type { Store } from '../../src/server/store/store';
import { STORE_CASES } from '../support/test-stores';

describe.each(STORE_CASES)('security headers on $kind', ({ open }) => {
  let store: Store;
  let dispose: () => Promise<void>;
  let app: FastifyInstance;
  let staticDir: string;

  beforeAll(async () => {
    ({ store, dispose } = await open());
    await runMigrations(store);
    staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-static-'));
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Sổ Khuyến học</title>');
    fs.mkdirSync(path.join(staticDir, 'assets'));
    fs.writeFileSync(path.join(staticDir, 'assets', 'index-abcdef12.js'), 'export {};');
    app = await buildApp({ store, staticDir });
  });
  afterAll(async () => {
    await app?.close();
    await dispose?.();
    fs.rmSync(staticDir, { recursive: true, force: true });
  });

  const requests = [
    { what: 'the app shell', method: 'GET', url: '/', status: 200 },
    { what: 'an in-app route (SPA fallback)', method: 'GET', url: '/ho-gia-dinh', status: 200 },
    { what: 'a built asset', method: 'GET', url: '/assets/index-abcdef12.js', status: 200 },
    { what: 'an API answer', method: 'GET', url: '/api/v1/health', status: 200 },
    { what: 'a refused request', method: 'GET', url: '/api/v1/sync/pull', status: 401 },
    { what: 'unreadable JSON', method: 'POST', url: '/api/v1/devices/enroll', status: 400, payload: '{"code": [' },
    { what: 'a missing file', method: 'GET', url: '/assets/missing.js', status: 404 },
  ] as const;

  it.each(requests)('$what carries the CSP, nosniff, no-referrer and frame refusal', async (request) => {
    const answer = await app.inject({
      method: request.method,
      url: request.url,
      ...('payload' in request ? { payload: request.payload, headers: { 'content-type': 'application/json' } } : {}),
    });
    expect(answer.statusCode).toBe(request.status);
    const csp = String(answer.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(answer.headers['x-frame-options']).toBe('DENY');
  });
});
