import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ExportFile } from '../../shared/protocol/export-file.schema';
import { exportSigningPayload } from '../../shared/protocol/export-signature';
import type { Queryable } from '../store/store';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The key a device signs its export files with: SHA-256 of its token, which is what
 * devices.token_hash holds (as hex). null for a row that never had a token (the seed's, an
 * import's stand-in): no file can carry its signature. A revoked device keeps its key, so a
 * file it exported before revocation still imports.
 */
export async function exportSigningKey(db: Queryable, deviceId: string): Promise<Buffer | null> {
  const rows = await db.query<{ token_hash: string }>('SELECT token_hash FROM devices WHERE device_id = $1::uuid', [
    deviceId.toLowerCase(),
  ]);
  const hash = rows[0]?.token_hash;
  return hash !== undefined && SHA256_HEX.test(hash) ? Buffer.from(hash, 'hex') : null;
}

/**
 * true when the file carries the HMAC-SHA256 of its signing payload under this key. Compared in
 * constant time. Data nested too deep to serialise is a signature that does not match.
 */
export function hasValidSignature(file: ExportFile, key: Buffer): boolean {
  const claimed = file.signature?.value;
  if (claimed === undefined || !SHA256_HEX.test(claimed)) return false;
  let expected: Buffer;
  try {
    expected = createHmac('sha256', key).update(exportSigningPayload(file), 'utf8').digest();
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
  return timingSafeEqual(expected, Buffer.from(claimed, 'hex'));
}
