import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signedBy } from '../../../tests/support/signed-export';
import { EXPORT_FILE_FORMAT, type ExportFile } from '../../shared/protocol/export-file.schema';
import { hasValidSignature } from './import-signature';

const TOKEN = 'phone-token-0123456789abcdefghijklmnopqrstuvwxyzAB';
const KEY = createHash('sha256').update(TOKEN).digest();

function fileWithData(data: unknown): ExportFile {
  return {
    format: EXPORT_FILE_FORMAT,
    version: 1,
    exportedAt: '2026-11-20T08:15:00.000Z',
    deviceId: '0196f0c2-8a4b-7c3d-9e8f-00000000d001',
    deviceName: 'Máy chị Lan',
    communeCode: '25942',
    ops: [
      {
        opId: '0196f0c2-8a4b-7c3d-9e8f-0000000a0001',
        seq: 1,
        entity: 'village',
        recordId: '0196f0c2-8a4b-7c3d-9e8f-0000000b0001',
        communeCode: '25942',
        kind: 'upsert',
        baseVersion: null,
        data,
        clientTime: '2026-11-20T08:00:00.000Z',
      },
    ],
  };
}

describe("checking an export file's signature", () => {
  it("accepts the signature made with the device's token, and refuses another token's, a missing one and an upper-case copy", () => {
    const file = fileWithData({ name: 'Thôn Đông', kind: 'thon' });
    const signed = signedBy(file, TOKEN);
    expect(hasValidSignature(signed, KEY)).toBe(true);
    expect(hasValidSignature(signedBy(file, `${TOKEN}x`), KEY)).toBe(false);
    expect(hasValidSignature(file, KEY)).toBe(false);
    const value = signed.signature?.value ?? '';
    expect(hasValidSignature({ ...signed, signature: { alg: 'HMAC-SHA256', value: value.toUpperCase() } }, KEY)).toBe(
      false,
    );
  });

  it('answers "does not match", not an error, for data nested too deep to serialise', () => {
    let deep: unknown = 'x';
    for (let level = 0; level < 200_000; level += 1) deep = [deep];
    const file = fileWithData(deep);
    expect(hasValidSignature({ ...file, signature: { alg: 'HMAC-SHA256', value: '0'.repeat(64) } }, KEY)).toBe(false);
  });
});
