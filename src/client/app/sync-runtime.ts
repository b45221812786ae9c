import type { AppDatabase } from '../db/db';
import type { SettingValue } from '../db/settings.repository';
import { createSyncEngine, type SyncEngine } from '../sync/sync-engine';
import { startSyncScheduler } from '../sync/sync-scheduler';
import { createHttpTransport } from '../sync/transport';

/**
 * The sync engine and its scheduler for an enrolled device. Loaded by SyncProvider after the first
 * screen is up (import()), so the protocol's code is not in the start-up JavaScript.
 */
export function startSync(options: {
  readonly db: AppDatabase;
  readonly account: SettingValue<'syncAccount'>;
  readonly fetch: (input: string, init?: RequestInit) => Promise<Response>;
  readonly clock: () => Date;
  readonly random: () => number;
}): { readonly engine: SyncEngine; readonly stop: () => void } {
  const { db, account, clock, random } = options;
  const transport = createHttpTransport({ serverUrl: account.serverUrl, token: account.token, fetch: options.fetch });
  const locks = typeof navigator !== 'undefined' && 'locks' in navigator ? navigator.locks : undefined;
  const engine = createSyncEngine({ db, transport, deviceId: account.deviceId, clock, locks });
  return { engine, stop: startSyncScheduler(engine, { window, random }) };
}
