import { describe, expect, it } from 'vitest';
import { EXPORT_FILE_FORMAT, type ExportFile } from './export-file.schema';
import { canonicalJson, exportSigningPayload } from './export-signature';

const file: ExportFile = {
  format: EXPORT_FILE_FORMAT,
  version: 1,
  exportedAt: '2026-11-20T08:15:00.000Z',
  deviceId: '0196f0c2-8a4b-7c3d-9e8f-00000000d001',
  deviceName: 'Máy chị Lan – thôn Đông',
  communeCode: '25942',
  ops: [
    {
      opId: '0196f0c2-8a4b-7c3d-9e8f-0000000a0001',
      seq: 1,
      entity: 'household',
      recordId: '0196f0c2-8a4b-7c3d-9e8f-0000000b0001',
      communeCode: '25942',
      kind: 'upsert',
      baseVersion: null,
      data: {
        headName: 'Lò Văn Páo',
        villageId: '0196f0c2-8a4b-7c3d-9e8f-0000000c0001',
        note: undefined,
        tags: ['a', undefined],
      },
      clientTime: '2026-11-20T08:00:00.000Z',
    },
  ],
};

describe('the signing payload of an export file', () => {
  it('is the same for the file the phone wrote and the file read back from disk with its keys in another order', () => {
    // JSON.parse gives what a file on disk holds; the replacer writes every object's keys reversed.
    const readBack: ExportFile = JSON.parse(JSON.stringify(file, null, 1));
    const reversedKeys = [
      ...Object.keys(file),
      ...Object.keys(file.ops[0] ?? {}),
      'headName',
      'villageId',
      'tags',
    ].reverse();
    const reordered: ExportFile = JSON.parse(JSON.stringify(readBack, reversedKeys));
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(readBack));
    expect(exportSigningPayload(readBack)).toBe(exportSigningPayload(file));
    expect(exportSigningPayload(reordered)).toBe(exportSigningPayload(file));
  });

  it.each([
    ['the device id', { deviceId: '0196f0c2-8a4b-7c3d-9e8f-00000000d002' }],
    ['the commune', { communeCode: '25943' }],
    ['the export time', { exportedAt: '2026-11-20T08:15:01.000Z' }],
    ['the device name', { deviceName: 'Máy khác' }],
  ])('changes when %s changes', (_field, change) => {
    expect(exportSigningPayload({ ...file, ...change })).not.toBe(exportSigningPayload(file));
  });

  it.each([
    ['opId', { opId: '0196f0c2-8a4b-7c3d-9e8f-0000000a0002' }],
    ['seq', { seq: 2 }],
    ['entity', { entity: 'citizen' }],
    ['recordId', { recordId: '0196f0c2-8a4b-7c3d-9e8f-0000000b0002' }],
    ['communeCode', { communeCode: '25943' }],
    ['kind', { kind: 'delete' as const }],
    ['baseVersion', { baseVersion: 3 }],
    ['data', { data: { headName: 'Lò Văn Pao', villageId: '0196f0c2-8a4b-7c3d-9e8f-0000000c0001' } }],
    ['clientTime', { clientTime: '2026-11-20T08:00:01.000Z' }],
  ])("changes when an op's %s changes", (_field, change) => {
    const [op] = file.ops;
    if (!op) throw new Error('one op expected');
    expect(exportSigningPayload({ ...file, ops: [{ ...op, ...change }] })).not.toBe(exportSigningPayload(file));
  });

  it('writes JSON values as JSON.stringify does, with object keys sorted', () => {
    expect(canonicalJson({ b: [1, undefined, 'x'], a: { d: null, c: -0, e: undefined } })).toBe(
      '{"a":{"c":0,"d":null},"b":[1,null,"x"]}',
    );
    expect(canonicalJson('\ud800\u0000')).toBe(JSON.stringify('\ud800\u0000'));
  });
});
