import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/http/app';
import { LATEST_SCHEMA_VERSION, runMigrations } from '../../src/server/store/migrations';
import type { Store } from '../../src/server/store/store';
import { errorBodySchema } from '../../src/shared/protocol/errors.schema';
import { STORE_CASES } from '../support/test-stores';

describe.each(STORE_CASES)('server on $kind', ({ kind, open }) => {
  let store: Store;
  let dispose: () => Promise<void>;
  let app: FastifyInstance;
  let baseUrl: string;
  let staticDir: string;

  beforeAll(async () => {
    ({ store, dispose } = await open());
    await runMigrations(store);
    staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-static-'));
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Sổ Khuyến học</title>');
    app = await buildApp({ store, staticDir });
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await app?.close();
    await dispose?.();
    fs.rmSync(staticDir, { recursive: true, force: true });
  });

  it(`health reports ${kind} as its database and the latest schema version`, async () => {
    const response = await fetch(`${baseUrl}/api/v1/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: kind, schemaVersion: LATEST_SCHEMA_VERSION });
  });

  it('answers malformed JSON with 400 and the protocol error body', async () => {
    const response = await fetch(`${baseUrl}/api/v1/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"ops": [',
    });
    expect(response.status).toBe(400);
    const body = errorBodySchema.parse(await response.json());
    expect(body.error.code).toBe('invalid_request');
  });

  it('answers an unknown API route with 404 and the protocol error body', async () => {
    const response = await fetch(`${baseUrl}/api/v1/no-such-route?cursor=abc`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = errorBodySchema.parse(await response.json());
    expect(body.error).toEqual({ code: 'not_found', message: 'No route GET /api/v1/no-such-route' });
  });

  it('answers an unknown API route with another method with 404 too', async () => {
    const response = await fetch(`${baseUrl}/api/v1/health`, { method: 'DELETE' });
    expect(response.status).toBe(404);
    expect(errorBodySchema.parse(await response.json()).error.code).toBe('not_found');
  });

  it('serves the app shell for an in-app route but 404 for a missing file', async () => {
    const page = await fetch(`${baseUrl}/cai-dat`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('Sổ Khuyến học');

    const missing = await fetch(`${baseUrl}/assets/missing-abc.js`);
    expect(missing.status).toBe(404);
    expect(errorBodySchema.parse(await missing.json()).error.code).toBe('not_found');
  });

  it('publishes an OpenAPI document generated from the zod schemas', async () => {
    const response = await fetch(`${baseUrl}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<string, { get?: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const schema = doc.paths['/api/v1/health']?.get?.responses['200']?.content['application/json']?.schema;
    expect(schema).toMatchObject({
      properties: { database: { enum: ['pglite', 'postgres'] }, status: { enum: ['ok'] } },
      required: expect.arrayContaining(['status', 'database', 'schemaVersion']),
    });
  });

  it('running the migrations again changes nothing', async () => {
    expect(await runMigrations(store)).toBe(LATEST_SCHEMA_VERSION);
    const rows = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(rows[0]?.n).toBe(LATEST_SCHEMA_VERSION);
    const installation = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM installation');
    expect(installation[0]?.n).toBe(1);
  });

  it('rolls a failed transaction back completely', async () => {
    await store.query(
      'CREATE TABLE IF NOT EXISTS tx_probe (commune_code text NOT NULL, id int NOT NULL, PRIMARY KEY (commune_code, id))',
    );
    await expect(
      store.transaction(async (tx) => {
        await tx.query("INSERT INTO tx_probe VALUES ('25942', 1)");
        await tx.query("INSERT INTO tx_probe VALUES ('25942', 1)"); // duplicate key
      }),
    ).rejects.toThrow();
    const rows = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM tx_probe');
    expect(rows[0]?.n).toBe(0);
  });
});
