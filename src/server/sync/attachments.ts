import type { Device } from '../auth/devices';
import type { Store } from '../store/store';
import { readRecord } from './records';
import { isInScope } from './scope';

export interface NewAttachment {
  readonly id: string;
  readonly recordId: string;
  readonly contentType: string;
  readonly bytes: Buffer;
  /** Lower-case hex, already checked against the bytes. */
  readonly sha256: string;
  readonly now: Date;
}

export type StoreAttachmentOutcome =
  'created' | 'exists' | 'mismatch' | 'record_not_found' | 'forbidden' | 'quota_exceeded';

/**
 * Stores an evidence photo once. Idempotent by id: the same id with the same bytes is `exists`
 * (a retried upload), with other bytes `mismatch` (never overwritten). The record it belongs to
 * must already be on the server (devices upload after the op applied) and inside the scope. A new
 * photo that would take the commune's stored bytes past `quotaBytes` is `quota_exceeded`; a retry
 * of one already stored is still `exists`. The commune's uploads take turns (a transaction-scoped
 * advisory lock), so two at once cannot both squeeze under the quota.
 */
export async function storeAttachment(
  store: Store,
  device: Device,
  a: NewAttachment,
  quotaBytes: number,
): Promise<StoreAttachmentOutcome> {
  return store.transaction(async (tx) => {
    const record = await readRecord(tx, device.communeCode, a.recordId);
    if (!record) return 'record_not_found';
    if (!isInScope(device, record.village_id)) return 'forbidden';
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('attachments:' || $1::text))`, [device.communeCode]);
    const stored = await tx.query<{ sha256: string }>(
      'SELECT sha256 FROM attachments WHERE commune_code = $1 AND id = $2',
      [device.communeCode, a.id],
    );
    if (stored[0]) return stored[0].sha256 === a.sha256 ? 'exists' : 'mismatch';
    const used = await tx.query<{ bytes: number }>(
      'SELECT COALESCE(sum(octet_length(bytes)), 0)::float8 AS bytes FROM attachments WHERE commune_code = $1',
      [device.communeCode],
    );
    if ((used[0]?.bytes ?? 0) + a.bytes.length > quotaBytes) return 'quota_exceeded';
    const inserted = await tx.query(
      `INSERT INTO attachments (commune_code, id, record_id, sha256, content_type, bytes, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (commune_code, id) DO NOTHING RETURNING id`,
      [device.communeCode, a.id, a.recordId, a.sha256, a.contentType, a.bytes, a.now.toISOString()],
    );
    if (inserted.length > 0) return 'created';
    const existing = await tx.query<{ sha256: string }>(
      'SELECT sha256 FROM attachments WHERE commune_code = $1 AND id = $2',
      [device.communeCode, a.id],
    );
    return existing[0]?.sha256 === a.sha256 ? 'exists' : 'mismatch';
  });
}

export type ReadAttachmentOutcome =
  | { readonly status: 'found'; readonly contentType: string; readonly sha256: string; readonly bytes: Buffer }
  | { readonly status: 'not_found' }
  | { readonly status: 'forbidden' };

/** An attachment of the device's commune, if the record it belongs to is in the device's scope. */
export async function readAttachment(store: Store, device: Device, id: string): Promise<ReadAttachmentOutcome> {
  const rows = await store.query<{
    content_type: string;
    sha256: string;
    bytes: Uint8Array;
    village_id: string | null;
  }>(
    `SELECT a.content_type, a.sha256, a.bytes, r.village_id
     FROM attachments a LEFT JOIN records r ON r.commune_code = a.commune_code AND r.id = a.record_id
     WHERE a.commune_code = $1 AND a.id = $2`,
    [device.communeCode, id],
  );
  const row = rows[0];
  if (!row) return { status: 'not_found' };
  if (!isInScope(device, row.village_id)) return { status: 'forbidden' };
  return { status: 'found', contentType: row.content_type, sha256: row.sha256, bytes: Buffer.from(row.bytes) };
}
