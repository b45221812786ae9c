import { createHash, createHmac } from 'node:crypto';
import { EXPORT_SIGNATURE_ALG, type ExportFile } from '../../src/shared/protocol/export-file.schema';
import { exportSigningPayload } from '../../src/shared/protocol/export-signature';

/**
 * The file as the device holding `token` would sign it: HMAC-SHA256 of the shared payload keyed
 * with SHA-256 of the token. Written with node:crypto, apart from the phone's signer
 * (@noble/hashes) and the server's check, so a mistake in either does not hide in both.
 */
export function signedBy(file: ExportFile, token: string): ExportFile {
  const key = createHash('sha256').update(token, 'utf8').digest();
  const value = createHmac('sha256', key).update(exportSigningPayload(file), 'utf8').digest('hex');
  return { ...file, signature: { alg: EXPORT_SIGNATURE_ALG, value } };
}
