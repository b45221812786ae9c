import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/http/app';
import { openPgliteStore } from '../../src/server/store/pglite-store';
import { runMigrations } from '../../src/server/store/migrations';
import { errorBodySchema } from '../../src/shared/protocol/errors.schema';
import { enrollResponseSchema } from '../../src/shared/protocol/sync.schema';
import { postJson } from '../support/sync-fixtures';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { TEST_DATABASE_URL } from '../support/test-stores';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The real CLI, as `npm run admin --` runs it, on the given data directory (never PostgreSQL). */
function runCli(dataDir: string, args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli/admin.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', PORT: '8080', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** --json's promise: stdout is exactly one JSON object, nothing before or after it. */
function onlyJsonObject(run: CliRun): Record<string, unknown> {
  const lines = run.stdout.split('\n').filter((line) => line.trim() !== '');
  expect(lines, `stdout: ${run.stdout}\nstderr: ${run.stderr}`).toHaveLength(1);
  const value: unknown = JSON.parse(lines[0] ?? '');
  expect(value).toBeTypeOf('object');
  return value as Record<string, unknown>;
}

const tempDirs: string[] = [];
const tempDataDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'skh-admin-cli-'));
  tempDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});
const CODE = /^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/;

describe('the admin CLI with no server running', () => {
  it('--json enrollment-code prints exactly one JSON object with a code and leaves the data directory unlocked', async () => {
    const dataDir = tempDataDir();
    const run = await runCli(dataDir, ['--json', 'enrollment-code', '--commune', '25942']);
    expect(run.code).toBe(0);
    const result = onlyJsonObject(run);
    expect(result).toMatchObject({
      command: 'enrollment-code',
      communeCode: '25942',
      communeName: 'Phường Dĩ An',
      via: 'pglite',
    });
    expect(result.code).toMatch(CODE);
    expect(result.connectUrl).toBe(`http://127.0.0.1:8080/#/ket-noi?code=${String(result.code)}`);
    expect(fs.existsSync(path.join(dataDir, 'server.lock'))).toBe(false);
  });

  it('wrong usage exits with code 2, with --json as one error object', async () => {
    const dataDir = tempDataDir();
    const missing = await runCli(dataDir, ['enrollment-code', '--json']);
    expect(missing.code).toBe(2);
    expect(onlyJsonObject(missing)).toEqual({ error: { code: 'usage', message: 'Thiếu --commune.' } });
    const unknown = await runCli(dataDir, ['xoa-het']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('Không có lệnh "xoa-het"');
  });

  it('a failing command exits with code 1 and a Vietnamese message', async () => {
    const run = await runCli(tempDataDir(), ['--json', 'seed', '--commune', '99999', '--households', '5']);
    expect(run.code).toBe(1);
    expect(onlyJsonObject(run)).toEqual({
      error: { code: 'unknown_commune', message: 'Mã xã 99999 không có trong danh mục đơn vị hành chính.' },
    });
  });
});

describe.skipIf(!TEST_DATABASE_URL)('the admin CLI with DATABASE_URL', () => {
  it('works on PostgreSQL directly, with no data directory lock', async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    const name = `skh_cli_${randomUUID().replaceAll('-', '')}`;
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(TEST_DATABASE_URL ?? '');
      url.pathname = `/${name}`;
      const run = await runCli(tempDataDir(), ['--json', 'seed', '--commune', '25942', '--households', '3'], {
        DATABASE_URL: url.toString(),
      });
      expect(run.code).toBe(0);
      expect(onlyJsonObject(run)).toMatchObject({ via: 'postgres', results: { conflict: 0, rejected: 0 } });
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});

describe('the admin CLI with a server running', () => {
  let server: ServerProcess;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = tempDataDir();
    server = await startServerProcess({ DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('the server publishes its admin channel in a file only its user can read', () => {
    const stat = fs.statSync(path.join(dataDir, 'admin.json'));
    expect(stat.mode & 0o777).toBe(0o600);
  });

  it('enrollment-code goes through the admin channel, and its code enrols a device at that server', async () => {
    const run = await runCli(dataDir, ['--json', 'enrollment-code', '--commune', '25942', '--expires', '2h']);
    expect(run.code).toBe(0);
    const result = onlyJsonObject(run);
    expect(result).toMatchObject({ communeCode: '25942', via: 'server' });
    const port = new URL(server.url).port;
    expect(result.connectUrl).toBe(`http://127.0.0.1:${port}/#/ket-noi?code=${String(result.code)}`);

    const enrolled = await postJson(`${server.url}/api/v1/devices/enroll`, {
      code: result.code,
      deviceName: 'Máy thử',
    });
    expect(enrolled.status).toBe(200);
    const { deviceId } = enrollResponseSchema.parse(enrolled.body);
    const devices = onlyJsonObject(await runCli(dataDir, ['devices', '--commune', '25942', '--json']));
    expect(devices).toMatchObject({ via: 'server', devices: [expect.objectContaining({ deviceId, canLogIn: true })] });
  });

  it('a request to /api/admin without the admin token, or with a device token, gets 401, and the routes are not in the OpenAPI document', async () => {
    const code = onlyJsonObject(await runCli(dataDir, ['--json', 'enrollment-code', '--commune', '25942'])).code;
    const { token } = enrollResponseSchema.parse(
      (await postJson(`${server.url}/api/v1/devices/enroll`, { code, deviceName: 'Máy thử' })).body,
    );
    const body = { communeCode: '25942', expiresInMs: 3_600_000 };
    const attempts: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${token}` },
      { authorization: 'Bearer not-the-admin-token-0123456789abcdefghijkl' },
    ];
    for (const headers of attempts) {
      const answer = await postJson(`${server.url}/api/admin/enrollment-code`, body, headers);
      expect(answer.status).toBe(401);
      expect(errorBodySchema.parse(answer.body).error.code).toBe('unauthorized');
    }
    const openApi = await (await fetch(`${server.url}/api/v1/openapi.json`)).text();
    expect(openApi).toContain('/api/v1/devices/enroll');
    expect(openApi).not.toContain('/api/admin');
  });

  it('import refuses an unsigned file naming an enrolled device, saying so in Vietnamese, and exits with code 1', async () => {
    const code = onlyJsonObject(await runCli(dataDir, ['--json', 'enrollment-code', '--commune', '25942'])).code;
    const { deviceId } = enrollResponseSchema.parse(
      (await postJson(`${server.url}/api/v1/devices/enroll`, { code, deviceName: 'Máy chị Lan' })).body,
    );
    const file = path.join(tempDataDir(), 'chua-gui-25942-May-chi-Lan.json');
    const villageId = randomUUID();
    const op = {
      opId: randomUUID(),
      seq: 1,
      entity: 'village',
      recordId: villageId,
      communeCode: '25942',
      kind: 'upsert',
      baseVersion: null,
      data: { name: 'Thôn Giả', kind: 'thon' },
      clientTime: new Date().toISOString(),
    };
    fs.writeFileSync(
      file,
      JSON.stringify({
        format: 'so-khuyen-hoc-unsynced',
        version: 1,
        exportedAt: new Date().toISOString(),
        deviceId,
        deviceName: 'Máy chị Lan',
        communeCode: '25942',
        ops: [op],
      }),
    );

    const run = await runCli(dataDir, ['import', file]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'Lỗi: Tệp ghi tên một thiết bị đã đăng ký với máy chủ này nhưng không có chữ ký hợp lệ của thiết bị đó',
    );
    expect(run.stdout).toBe('');
  });

  it('seed runs in the server through the channel, and the same seed run again after the server stopped changes nothing', async () => {
    const seeded = onlyJsonObject(
      await runCli(dataDir, ['--json', 'seed', '--commune', '25942', '--households', '8', '--seed', '4']),
    );
    expect(seeded).toMatchObject({ via: 'server', results: { duplicate: 0, conflict: 0, rejected: 0 } });
    const total = Object.values(seeded.records as Record<string, number>).reduce((a, b) => a + b, 0);
    expect((seeded.results as { applied: number }).applied).toBe(total);

    expect(await server.stop()).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'admin.json'))).toBe(false);
    const again = onlyJsonObject(
      await runCli(dataDir, ['--json', 'seed', '--commune', '25942', '--households', '8', '--seed', '4']),
    );
    expect(again).toMatchObject({ via: 'pglite', results: { applied: 0, duplicate: total, conflict: 0, rejected: 0 } });
  });
});

describe('the admin routes inside the app', () => {
  it('answer a request from another machine, or one a proxy forwarded, as an unknown route', async () => {
    const store = await openPgliteStore();
    await runMigrations(store);
    const token = 'a'.repeat(43);
    const app = await buildApp({ store, adminToken: token });
    try {
      const request = {
        method: 'POST' as const,
        url: '/api/admin/devices',
        payload: {},
        headers: { authorization: `Bearer ${token}` },
      };
      expect((await app.inject({ ...request, remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
      expect((await app.inject({ ...request, remoteAddress: '::ffff:127.0.0.1' })).statusCode).toBe(200);
      const remote = await app.inject({ ...request, remoteAddress: '192.168.1.20' });
      expect(remote.statusCode).toBe(404);
      expect(remote.json()).toEqual({ error: { code: 'not_found', message: 'No route POST /api/admin/devices' } });
      const forwarded = await app.inject({
        ...request,
        remoteAddress: '127.0.0.1',
        headers: { ...request.headers, 'x-forwarded-for': '203.0.113.9' },
      });
      expect(forwarded.statusCode).toBe(404);
    } finally {
      await app.close();
      await store.close();
    }
  });

  it('do not exist when the app has no admin token (PostgreSQL deployments)', async () => {
    const store = await openPgliteStore();
    const app = await buildApp({ store });
    try {
      const answer = await app.inject({
        method: 'POST',
        url: '/api/admin/devices',
        payload: {},
        remoteAddress: '127.0.0.1',
      });
      expect(answer.statusCode).toBe(404);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
