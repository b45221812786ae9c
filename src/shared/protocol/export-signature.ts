import type { ExportFile } from './export-file.schema';
import type { PushOp } from './sync.schema';

/*
 * Export files are signed by the device that wrote them (sync-protocol.md, "Import files are
 * signed"): HMAC-SHA256 of exportSigningPayload(file), keyed with the 32 bytes of SHA-256(device
 * token). The server stores exactly that hash (devices.token_hash, as hex) and the phone computes
 * it from the token it holds, so no new secret is kept anywhere and no secret leaves the phone.
 * The phone signs with @noble/hashes (crypto.subtle is missing on a plain-HTTP LAN address), the
 * server verifies with node:crypto; both hash this one string. The algorithm's name in the file
 * is EXPORT_SIGNATURE_ALG (export-file.schema.ts).
 */

/** Names the payload's layout: a changed layout gets a new tag, never a silently different string. */
const PAYLOAD_TAG = 'so-khuyen-hoc-export-signature/1';

type SignedFile = Omit<ExportFile, 'signature'>;

/** Every field of an op is signed: adding one to PushOp without signing it fails to compile. */
function signedOp(op: PushOp) {
  return {
    opId: op.opId,
    seq: op.seq,
    entity: op.entity,
    recordId: op.recordId,
    communeCode: op.communeCode,
    kind: op.kind,
    baseVersion: op.baseVersion,
    data: op.data,
    clientTime: op.clientTime,
  } satisfies Record<keyof PushOp, unknown>;
}

/**
 * The string both sides sign: the file's fields and every op with its data as in the file, as
 * JSON with object keys sorted (so reformatting the file or reordering keys changes nothing) and
 * values as JSON.stringify writes them (undefined properties left out, so a file read back from
 * disk gives the same string as the object the phone wrote). Throws RangeError on data nested too
 * deep for the stack; the caller treats that as a signature that does not match.
 */
export function exportSigningPayload(file: SignedFile): string {
  return canonicalJson({
    tag: PAYLOAD_TAG,
    format: file.format,
    version: file.version,
    deviceId: file.deviceId,
    communeCode: file.communeCode,
    exportedAt: file.exportedAt,
    deviceName: file.deviceName,
    ops: file.ops.map(signedOp),
  } satisfies Record<keyof SignedFile | 'tag', unknown>);
}

function hasToJson(value: object): value is { toJSON: () => unknown } {
  return 'toJSON' in value && typeof value.toJSON === 'function';
}

/** JSON.stringify's output for JSON data, with every object's keys in code-unit order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (hasToJson(value)) return canonicalJson(value.toJSON());
  if (Array.isArray(value))
    return `[${value.map((item: unknown) => (isOmitted(item) ? 'null' : canonicalJson(item))).join(',')}]`;
  const entries = Object.entries(value)
    .filter(([, item]) => !isOmitted(item))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
