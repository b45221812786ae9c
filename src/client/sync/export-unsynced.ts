import { EXPORT_FILE_FORMAT, type ExportFile } from '../../shared/protocol/export-file.schema';
import type { AppDatabase } from '../db/db';
import { takeAll } from '../db/outbox.repository';
import { readSetting } from '../db/settings.repository';
import { toWire } from './push-outbox';
import { signExportFile } from './sign-export';

/**
 * Writes every unsynced change to an export file. Each op gets its protocol seq here if it had
 * none, and is frozen like a sent op: the file and a later push carry the same opIds and seqs,
 * so the server applies each change once whichever arrives first. The outbox is not emptied.
 * An enrolled device signs the file with its token (sign-export.ts): its server imports a file
 * naming it only with that signature. A never-enrolled device has no token and writes none.
 */
export async function exportUnsynced(db: AppDatabase, now: Date): Promise<ExportFile> {
  const [commune, account, deviceName] = await Promise.all([
    readSetting(db, 'commune'),
    readSetting(db, 'syncAccount'),
    readSetting(db, 'deviceName'),
  ]);
  if (!commune) throw new Error('no commune is set up on this device');
  // Frozen like sent ops: later edits get their own op.
  const ops = await takeAll(db);
  const file: ExportFile = {
    format: EXPORT_FILE_FORMAT,
    version: 1,
    exportedAt: now.toISOString(),
    deviceId: account?.deviceId ?? null,
    deviceName: deviceName ?? '',
    communeCode: commune.communeCode,
    ops: ops.map(toWire),
  };
  // Hashed after the outbox's transaction: a large file's hashing does not hold the outbox open.
  return account?.token === undefined ? file : { ...file, signature: signExportFile(file, account.token) };
}

/** A file name the office can read: commune, device and time, no personal data. */
export function exportFileName(file: ExportFile): string {
  const stamp = file.exportedAt.replace(/[-:]/g, '').replace(/\..*$/, '');
  const device = file.deviceName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `chua-gui-${file.communeCode}-${device || 'thiet-bi'}-${stamp}.json`;
}
