import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { createAdminToken, loopbackHostFor, publishAdminChannel } from './admin/admin-channel-file';
import { readConfig, type ServerConfig } from './config';
import { buildApp } from './http/app';
import { hasBuiltApp } from './http/static-files';
import { acquireDataDirLock } from './store/data-dir-lock';
import { runMigrations } from './store/migrations';
import { describeDatabaseUrl, openStore, pgliteDirectory } from './store/open-store';

/**
 * One process: migrations, then the API and the built PWA on one port.
 * Ctrl-C (SIGINT) or SIGTERM closes the listener, lets running requests finish, then closes the
 * database, so PGlite's files are never left half-written.
 */
export async function startServer(config: ServerConfig) {
  const releaseLock = config.databaseUrl ? () => undefined : acquireDataDirLock(config.dataDir);
  let store;
  try {
    store = await openStore(config);
  } catch (error) {
    releaseLock();
    throw error;
  }
  const schemaVersion = await runMigrations(store);
  // PGlite: this process is the store's only user, so the admin CLI comes through it (admin/).
  const adminToken = config.databaseUrl ? undefined : createAdminToken();
  const app = await buildApp({
    store,
    staticDir: config.staticDir,
    logger: { level: config.logLevel, redact: ['req.headers.authorization'] },
    adminToken,
    attachmentQuotaBytes: config.attachmentQuotaBytes,
  });
  const address = await app.listen({ port: config.port, host: config.host });
  const closeAdminChannel = adminToken ? openAdminChannel(config, app, adminToken) : () => undefined;

  const where = config.databaseUrl
    ? `PostgreSQL ${describeDatabaseUrl(config.databaseUrl)}`
    : `PGlite trong ${pgliteDirectory(config.dataDir)}`;
  process.stdout.write(
    [
      '',
      `Sổ Khuyến học đang chạy tại ${address}`,
      `Dữ liệu: ${where} (phiên bản lược đồ ${schemaVersion})`,
      hasBuiltApp(config.staticDir)
        ? `Ứng dụng: ${config.staticDir}`
        : `Chưa có bản build ứng dụng trong ${config.staticDir}: chỉ chạy API`,
      'Nhấn Ctrl-C để dừng.',
      '',
    ].join('\n') + '\n',
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      closeAdminChannel(); // first: a CLI started now opens the store itself once the lock is free
      await app.close();
      await store.close();
      releaseLock();
    })();
    return closing;
  };
  return { app, address, close };
}

/**
 * Publishes DATA_DIR/admin.json for the admin CLI; returns its remover. Without a loopback
 * address to serve it on (HOST is one LAN address) there is no channel: the CLI then says to
 * stop the server first.
 */
function openAdminChannel(config: ServerConfig, app: FastifyInstance, token: string): () => void {
  const addresses = app.addresses().filter((a): a is AddressInfo => typeof a !== 'string');
  const host = loopbackHostFor(addresses);
  const port = addresses[0]?.port;
  if (host === undefined || port === undefined) {
    process.stdout.write(`Kênh quản trị cục bộ tắt: máy chủ không nghe trên 127.0.0.1 (HOST=${config.host}).\n`);
    return () => undefined;
  }
  return publishAdminChannel(config.dataDir, { pid: process.pid, host, port, listenHost: config.host, token });
}

async function main() {
  const config = readConfig(process.env);
  const server = await startServer(config);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      process.stderr.write('Buộc dừng ngay.\n');
      process.exit(130);
    }
    process.stdout.write(`\nNhận ${signal}: đang dừng an toàn (đợi yêu cầu đang chạy, đóng cơ sở dữ liệu)…\n`);
    server.close().then(
      () => {
        process.stdout.write('Đã dừng.\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`Lỗi khi dừng: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

const isEntryPoint =
  process.env.SKH_RUN_MAIN === '1' ||
  (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href);
if (isEntryPoint) {
  main().catch((error: unknown) => {
    process.stderr.write(`Không khởi động được máy chủ: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
