import { z } from 'zod';
import { exportFileSchema, findRepeatedSeq, type ExportFile } from '../../shared/protocol/export-file.schema';
import type { Device } from '../auth/devices';
import type { Store } from '../store/store';
import { AdminError } from './admin-error';
import { applyInBatches, emptyCounts, type PushCounts, type Rejection } from './apply-batches';
import type { CommandContext } from './command-context';
import { requireCommune } from './communes';
import { ensureTokenlessDevice, findDevice } from './device-rows';
import { exportSigningKey, hasValidSignature } from './import-signature';
import { stableUuid } from './stable-id';

/** The file's parsed JSON travels as is (over the admin channel too) and is checked here. */
export const importArgsSchema = z.object({ file: z.unknown() });
export type ImportArgs = z.input<typeof importArgsSchema>;

export interface ImportResult {
  readonly command: 'import';
  readonly communeCode: string;
  readonly communeName: string;
  readonly exportedAt: string;
  readonly ops: number;
  /** The server device the ops were applied as; null when the file held no op. */
  readonly deviceId: string | null;
  /** The name the device gave itself (in the file). */
  readonly deviceName: string;
  /** true: the file's device is enrolled here and the ops count as its own pushes. */
  readonly isEnrolledDevice: boolean;
  /** true: this import created the stand-in device (the first import of this device's files). */
  readonly deviceCreated: boolean;
  readonly results: PushCounts;
  readonly rejections: Rejection[];
  readonly interrupted: boolean;
}

/** An export file checked in full, or where it first goes wrong (the CLI says it, the HTTP route sends it). */
export type ExportFileCheck =
  { ok: true; file: ExportFile } | { ok: false; reason: 'shape' | 'repeated_seq'; path: string };

/** Nothing of a file is applied unless all of it passes: the schema, and seqs that are not repeated. */
export function checkExportFile(raw: unknown): ExportFileCheck {
  const parsed = exportFileSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: 'shape', path: parsed.error.issues[0]?.path.join('.') ?? '' };
  const repeated = findRepeatedSeq(parsed.data.ops);
  if (repeated >= 0) return { ok: false, reason: 'repeated_seq', path: `ops.${repeated}.seq` };
  return { ok: true, file: parsed.data };
}

function parseFile(raw: unknown): ExportFile {
  const checked = checkExportFile(raw);
  if (checked.ok) return checked.file;
  if (checked.reason === 'repeated_seq')
    throw new AdminError('invalid_file', 'Tệp có hai thay đổi cùng số thứ tự (seq): tệp đã bị sửa tay?');
  const where = checked.path.length > 0 ? ` (ở "${checked.path}")` : '';
  throw new AdminError(
    'invalid_file',
    `Tệp không phải tệp "dữ liệu chưa gửi" (so-khuyen-hoc-unsynced, phiên bản 1) hợp lệ${where}.`,
  );
}

const INVALID_SIGNATURE_MESSAGE =
  'Tệp ghi tên một thiết bị đã đăng ký với máy chủ này nhưng không có chữ ký hợp lệ của thiết bị đó: tệp đã bị sửa, hoặc không phải do thiết bị đó xuất. Chưa có gì được nhập. Hãy xuất lại tệp từ đúng thiết bị (bản ứng dụng mới ký tệp khi xuất).';

/**
 * The device row the file names, once the file is proven to be that device's own: a file naming
 * a device known here must carry its signature (import-signature.ts), or nobody's ops would be
 * safe from a file made in their name (it would spend the device's seqs and its next push would
 * be refused). Checked before anything is stored, and before the device's commune is revealed.
 * Rows that never had a token (seed, stand-ins) cannot sign, so no file may name them.
 * undefined: the file names no device known here (today's stand-in applies).
 */
async function namedDevice(store: Store, file: ExportFile): Promise<Device | undefined> {
  if (!file.deviceId) return undefined;
  const device = await findDevice(store, file.deviceId);
  if (!device) return undefined;
  const key = await exportSigningKey(store, device.deviceId);
  if (key === null || !hasValidSignature(file, key))
    throw new AdminError('invalid_signature', INVALID_SIGNATURE_MESSAGE);
  if (device.communeCode !== file.communeCode) {
    throw new AdminError(
      'commune_mismatch',
      `Thiết bị của tệp thuộc xã ${device.communeCode}, còn tệp ghi xã ${file.communeCode}.`,
    );
  }
  return device;
}

/**
 * The device the file's ops are applied as. An enrolled device of this commune (whose signature
 * namedDevice checked) is itself, so the file and that device's later push are one stream of
 * ops. Otherwise (never enrolled, or enrolled with another server) a tokenless stand-in whose id
 * is derived from the file: from its deviceId, or from its first op's id (a device that never
 * enrolled exports from seq 1 until it syncs, so every later file of it starts with that same
 * op). Same device → same stand-in → exactly once.
 */
async function deviceFor(
  store: Store,
  file: ExportFile,
  enrolled: Device | undefined,
  firstOpId: string,
  now: Date,
): Promise<{ device: Device; isEnrolledDevice: boolean; created: boolean }> {
  if (enrolled) return { device: enrolled, isEnrolledDevice: true, created: false };
  const key = file.deviceId ? `device:${file.deviceId.toLowerCase()}` : `first-op:${firstOpId.toLowerCase()}`;
  const name = `Nhập từ tệp: ${file.deviceName.trim() || 'thiết bị chưa đặt tên'}`.slice(0, 120);
  const { device, created } = await ensureTokenlessDevice(store, {
    communeCode: file.communeCode,
    deviceId: stableUuid('so-khuyen-hoc/import-device', file.communeCode, key),
    name,
    now,
  });
  return { device, isEnrolledDevice: false, created };
}

/**
 * Applies a checked export file like a push from its device; importing it again changes nothing.
 * The CLI (runImport) and POST /api/v1/imports (imports.route.ts) both end here. Throws
 * AdminError invalid_signature when the file names a device known here without that device's
 * valid signature, and commune_mismatch when the file's device is enrolled in another commune;
 * either way nothing is stored.
 */
export async function importExportFile(store: Store, file: ExportFile, ctx: CommandContext): Promise<ImportResult> {
  const commune = requireCommune(file.communeCode);
  const enrolled = await namedDevice(store, file);
  const ops = [...file.ops].sort((a, b) => a.seq - b.seq);
  const base = {
    command: 'import' as const,
    communeCode: commune.code,
    communeName: commune.name,
    exportedAt: file.exportedAt,
    ops: ops.length,
  };
  const first = ops[0];
  if (!first) {
    return {
      ...base,
      deviceId: null,
      deviceName: file.deviceName,
      isEnrolledDevice: false,
      deviceCreated: false,
      results: emptyCounts(),
      rejections: [],
      interrupted: false,
    };
  }
  const { device, isEnrolledDevice, created } = await deviceFor(store, file, enrolled, first.opId, ctx.now());
  const outcome = await applyInBatches(store, device, ops, ctx);
  return {
    ...base,
    deviceId: device.deviceId,
    deviceName: file.deviceName,
    isEnrolledDevice,
    deviceCreated: created,
    results: outcome.counts,
    rejections: outcome.rejections,
    interrupted: outcome.interrupted,
  };
}

/** The admin command: the file's parsed JSON, checked here. */
export async function runImport(
  store: Store,
  args: z.output<typeof importArgsSchema>,
  ctx: CommandContext,
): Promise<ImportResult> {
  return importExportFile(store, parseFile(args.file), ctx);
}
