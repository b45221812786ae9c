import { describe, expect, it } from 'vitest';
import { EXPORT_FILE_FORMAT, type ExportFile } from '../../../shared/protocol/export-file.schema';
import { MAX_IMPORT_BYTES } from '../../../shared/protocol/import.schema';
import { sequentialIds } from '../../../../tests/factories/records';
import { readExportFile } from './read-export-file';

const newId = sequentialIds();

function exportFile(overrides: Partial<ExportFile> = {}): ExportFile {
  const op = (seq: number) => ({
    opId: newId(),
    seq,
    entity: 'village',
    recordId: newId(),
    communeCode: '25942',
    kind: 'upsert' as const,
    baseVersion: null,
    data: { name: `Thôn ${seq}`, kind: 'thon' },
    clientTime: '2026-11-20T08:00:00.000Z',
  });
  return {
    format: EXPORT_FILE_FORMAT,
    version: 1,
    exportedAt: '2026-11-20T08:15:00.000Z',
    deviceId: null,
    deviceName: 'Máy chị Lan',
    communeCode: '25942',
    ops: [op(1), op(2)],
    ...overrides,
  };
}

const asFile = (content: unknown) =>
  new Blob([typeof content === 'string' ? content : JSON.stringify(content)], { type: 'application/json' });

describe('reading a file chosen for import', () => {
  it('accepts an export file of this commune', async () => {
    const file = exportFile();
    expect(await readExportFile(asFile(file), '25942')).toEqual({ ok: true, file });
  });

  it.each([
    ['text that is not JSON', 'Sổ Khuyến học', 'notExport'],
    ['JSON of another kind', { hello: 'xã' }, 'notExport'],
    [
      'an export whose seqs repeat (edited by hand)',
      { ...exportFile(), ops: exportFile().ops.map((op) => ({ ...op, seq: 1 })) },
      'notExport',
    ],
    ['an export of another commune', exportFile({ communeCode: '26734' }), 'otherCommune'],
    ['an export with no change in it', exportFile({ ops: [] }), 'empty'],
  ])('refuses %s', async (_what, content, problem) => {
    expect(await readExportFile(asFile(content), '25942')).toEqual({ ok: false, problem });
  });

  it('refuses a file over the import limit without reading it', async () => {
    const huge = new Blob([new Uint8Array(MAX_IMPORT_BYTES + 1)]);
    expect(await readExportFile(huge, '25942')).toEqual({ ok: false, problem: 'tooLarge' });
  });
});
