import { setTimeout as sleep } from 'node:timers/promises';
import type { PullResponse } from '../../shared/protocol/sync.schema';
import type { Device } from '../auth/devices';
import type { Queryable } from '../store/store';
import { encodeCursor, type FeedPosition } from './cursor';
import { RECORD_COLUMNS, toEnvelope, type RecordRow } from './records';

/** How often a pull looks again while committed changes wait behind a running transaction. */
const SETTLE_POLL_MS = 25;

interface PageRow extends Record<string, unknown> {
  watermark: string;
  held_back: string | null;
}

/**
 * One page of the change feed, in ONE statement so the watermark and the rows come from one
 * snapshot. The watermark is the snapshot's xmin: every transaction below it has finished, so no
 * row can ever appear below it later. Rows at or above it are left for a later pull even when
 * committed: a transaction that began earlier may still commit below them (invariant 3).
 * `held_back` is the highest txid of such committed rows (null: none).
 * The LEFT JOIN keeps one row (watermark only) when the page is empty.
 */
// `held` is computed once per page (an aggregate in its own CTE). As a scalar subquery in the
// select list it ran once per returned row, which made a bootstrap quadratic in commune size.
const PAGE_SQL = `
  WITH w AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
  held AS (
    SELECT max(h.txid)::text AS held_back
    FROM records h, w
    WHERE h.commune_code = $1 AND h.txid >= w.xmin AND (h.txid, h.change_seq) > ($2::xid8, $3::bigint)
      AND ($4::uuid[] IS NULL OR h.village_id IS NULL OR h.village_id = ANY ($4::uuid[]))
  ),
  page AS (
    SELECT ${RECORD_COLUMNS}, r.txid AS sort_txid, r.change_seq AS sort_seq
    FROM records r, w
    WHERE r.commune_code = $1
      AND r.txid < w.xmin
      AND (r.txid, r.change_seq) > ($2::xid8, $3::bigint)
      AND ($4::uuid[] IS NULL OR r.village_id IS NULL OR r.village_id = ANY ($4::uuid[]))
    ORDER BY r.txid, r.change_seq
    LIMIT $5
  )
  SELECT w.xmin::text AS watermark, held.held_back, page.*
  FROM w CROSS JOIN held LEFT JOIN page ON true
  ORDER BY page.sort_txid, page.sort_seq`;

interface Page {
  readonly response: PullResponse;
  readonly watermark: bigint;
  readonly heldBack: bigint | null;
}

async function readPage(db: Queryable, device: Device, after: FeedPosition, limit: number): Promise<Page> {
  const rows = await db.query<PageRow & Partial<RecordRow>>(PAGE_SQL, [
    device.communeCode,
    after.txid,
    after.changeSeq,
    device.villageIds ? [...device.villageIds] : null,
    limit + 1,
  ]);
  const first = rows[0];
  if (!first) throw new Error('the page query returns at least the watermark row');
  const records = rows.filter((r): r is PageRow & RecordRow => typeof r.id === 'string');
  const page = records.slice(0, limit);
  const last = page[page.length - 1];
  return {
    response: {
      changes: page.map(toEnvelope),
      cursor: encodeCursor(last ? { txid: last.txid, changeSeq: last.change_seq } : after),
      hasMore: records.length > limit,
    },
    watermark: BigInt(first.watermark),
    heldBack: first.held_back === null ? null : BigInt(first.held_back),
  };
}

/**
 * The device's changes after `after`, in feed order, within its scope (its commune; with
 * villageIds, those villages and commune-wide records). A record appears once, at its latest
 * version, tombstones included.
 *
 * When the page is not full but committed rows wait behind a running transaction, the pull waits
 * up to `settleMs` for the transactions running now to finish, so a device that just pushed
 * usually gets its own changes back. Never longer: a later pull gets them anyway.
 */
export async function readChanges(
  db: Queryable,
  device: Device,
  after: FeedPosition,
  options: { limit: number; settleMs: number },
): Promise<PullResponse> {
  const deadline = performance.now() + options.settleMs;
  let target: bigint | undefined;
  for (;;) {
    const page = await readPage(db, device, after, options.limit);
    if (page.response.hasMore || page.heldBack === null) return page.response;
    target ??= page.heldBack;
    if (page.watermark > target || performance.now() >= deadline) return page.response;
    await sleep(SETTLE_POLL_MS);
  }
}
