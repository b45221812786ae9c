import type { ReceiptResponse } from '../../shared/protocol/sync.schema';
import { ENTITIES } from '../../shared/schemas/entities';
import type { Device } from '../auth/devices';
import type { Queryable } from '../store/store';
import { scopeVillageIds } from './scope';

/**
 * "What the server holds from this device" (the app's "đã nhận tại xã"): per entity, the live
 * records this device CREATED, whoever edited them since, that are inside its scope now (a record
 * that moved to another village is no longer the device's to count: the count says nothing about
 * records it may not see); tombstones are not counted. Every entity is listed, 0 included. ackSeq comes from the same read, so both describe one moment.
 */
export async function readReceipt(db: Queryable, device: Device): Promise<ReceiptResponse> {
  const rows = await db.query<{ entity: string | null; n: number; ack_seq: string }>(
    `SELECT c.entity, coalesce(c.n, 0)::int AS n, d.ack_seq::text AS ack_seq
     FROM devices d
     LEFT JOIN (
       SELECT entity, count(*) AS n FROM records
       WHERE commune_code = $1 AND created_by = $2 AND NOT deleted
         AND ($3::uuid[] IS NULL OR village_id IS NULL OR village_id = ANY ($3::uuid[]))
       GROUP BY entity
     ) c ON true
     WHERE d.commune_code = $1 AND d.device_id = $2`,
    [device.communeCode, device.deviceId, scopeVillageIds(device)],
  );
  const counts: Record<string, number> = Object.fromEntries(ENTITIES.map((e) => [e, 0]));
  for (const row of rows) if (row.entity) counts[row.entity] = row.n;
  return { deviceId: device.deviceId, ackSeq: Number(rows[0]?.ack_seq ?? device.ackSeq), counts };
}
