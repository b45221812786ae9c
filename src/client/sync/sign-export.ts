import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { EXPORT_SIGNATURE_ALG, type ExportFile, type ExportSignature } from '../../shared/protocol/export-file.schema';
import { exportSigningPayload } from '../../shared/protocol/export-signature';

/**
 * The device's signature of its export file: HMAC-SHA256 of the shared payload, keyed with
 * SHA-256 of its token, which is the hash the server keeps (devices.token_hash). Pure JavaScript
 * (@noble/hashes), because crypto.subtle does not exist on a plain-HTTP LAN address. Only the
 * signature goes into the file: neither the token nor its hash leaves the device.
 */
export function signExportFile(file: Omit<ExportFile, 'signature'>, token: string): ExportSignature {
  const key = sha256(utf8ToBytes(token));
  return { alg: EXPORT_SIGNATURE_ALG, value: bytesToHex(hmac(sha256, key, utf8ToBytes(exportSigningPayload(file)))) };
}
