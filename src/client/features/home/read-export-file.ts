import { exportFileSchema, findRepeatedSeq, type ExportFile } from '../../../shared/protocol/export-file.schema';
import { MAX_IMPORT_BYTES } from '../../../shared/protocol/import.schema';

export type ExportFileProblem = 'tooLarge' | 'notExport' | 'otherCommune' | 'empty';
export type ExportFileReading = { ok: true; file: ExportFile } | { ok: false; problem: ExportFileProblem };

/**
 * Checks a file chosen for import before anything is sent: the server refuses the same files
 * (POST /api/v1/imports), but this way the person learns it at once, also offline, and a file
 * the server would refuse never leaves the device.
 */
export async function readExportFile(file: Blob, communeCode: string): Promise<ExportFileReading> {
  if (file.size > MAX_IMPORT_BYTES) return { ok: false, problem: 'tooLarge' };
  let json: unknown;
  try {
    json = JSON.parse(await file.text());
  } catch {
    return { ok: false, problem: 'notExport' };
  }
  const parsed = exportFileSchema.safeParse(json);
  if (!parsed.success || findRepeatedSeq(parsed.data.ops) >= 0) return { ok: false, problem: 'notExport' };
  if (parsed.data.communeCode !== communeCode) return { ok: false, problem: 'otherCommune' };
  if (parsed.data.ops.length === 0) return { ok: false, problem: 'empty' };
  return { ok: true, file: parsed.data };
}
