import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { adminChannelPath, readAdminChannel, type AdminChannelInfo } from '../admin/admin-channel-file';
import type { CommandContext } from '../admin/command-context';
import { runAdminCommand, type AdminCommandName } from '../admin/commands';
import type { ServerConfig } from '../config';
import { acquireDataDirLock, DataDirInUseError } from '../store/data-dir-lock';
import { runMigrations } from '../store/migrations';
import { openStore } from '../store/open-store';
import { callAdminChannel } from './admin-client';
import { CliFailure } from './cli-failure';

/** How the command reached the data: its own PostgreSQL connection, its own PGlite, or the running server. */
export type Via = 'postgres' | 'pglite' | 'server';

export interface Executed {
  readonly result: object;
  readonly via: Via;
  /** Set when `via` is 'server'. */
  readonly channel?: AdminChannelInfo;
}

/** A server that just took the lock publishes admin.json once it listens. */
const CHANNEL_WAIT_MS = 3000;

async function runOnOwnStore(
  config: ServerConfig,
  command: AdminCommandName,
  args: unknown,
  ctx: CommandContext,
): Promise<object> {
  const store = await openStore(config);
  try {
    await runMigrations(store);
    return await runAdminCommand(store, command, args, ctx);
  } finally {
    await store.close(); // PGlite flushes its files here: never skip it
  }
}

async function waitForChannel(dataDir: string, ownerPid: number): Promise<AdminChannelInfo | undefined> {
  for (let waited = 0; ; waited += 100) {
    const channel = readAdminChannel(dataDir);
    // Only the lock holder's file counts: one left by a server that died is stale.
    if (channel?.pid === ownerPid) return channel;
    if (waited >= CHANNEL_WAIT_MS) return undefined;
    await sleep(100);
  }
}

/**
 * Runs an admin command where the data is, never with two writers on one PGlite directory:
 * - DATABASE_URL set: PostgreSQL directly (it takes many connections);
 * - else if a process holds DATA_DIR/server.lock: through that server's local admin channel;
 * - else: this process takes the lock, opens PGlite, migrates, runs, closes, releases.
 */
export async function executeCommand(
  config: ServerConfig,
  command: AdminCommandName,
  args: unknown,
  ctx: CommandContext,
): Promise<Executed> {
  if (config.databaseUrl) return { result: await runOnOwnStore(config, command, args, ctx), via: 'postgres' };
  let release: () => void;
  try {
    release = acquireDataDirLock(config.dataDir);
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    const channel = await waitForChannel(config.dataDir, error.pid);
    if (!channel) {
      throw new CliFailure(
        'data_dir_in_use',
        `Thư mục dữ liệu ${config.dataDir} đang được tiến trình ${error.pid} dùng và tiến trình đó không mở kênh quản trị. Đợi nó xong (hoặc dừng nó) rồi chạy lại.`,
      );
    }
    return { result: await callAdminChannel(channel, command, args, ctx.signal), via: 'server', channel };
  }
  try {
    fs.rmSync(adminChannelPath(config.dataDir), { force: true }); // left by a server that died: stale
    return { result: await runOnOwnStore(config, command, args, ctx), via: 'pglite' };
  } finally {
    release();
  }
}
