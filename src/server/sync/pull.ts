import { setTimeout as sleep } from 'node:timers/promises';
import type { Device } from '../auth/devices';
import type { Queryable } from '../store/store';
import { encodeCursor, type FeedPosition } from './cursor';
import { envelopeColumnsSql, envelopeJsonSql } from './records';
import { scopeVillageIds } from './scope';

/** How often a pull looks again while committed changes wait behind a running transaction. */
const SETTLE_POLL_MS = 25;

interface PageRow extends Record<string, unknown> {
  watermark: string;
  held_back: string | null;
  /** Rows read: the page plus one, which says whether there is more. */
  fetched: number;
  /** The page's changes as a JSON array, built by the database (see pageSql). */
  changes: string;
  last_txid: string | null;
  last_seq: string | null;
}

/**
 * One page of the change feed, in ONE statement so the watermark and the rows come from one
 * snapshot. The watermark is the snapshot's xmin: every transaction below it has finished, so no
 * row can ever appear below it later. Rows at or above it are left for a later pull even when
 * committed: a transaction that began earlier may still commit below them (invariant 3).
 * `held_back` is the highest txid of such committed rows (null: none).
 *
 * The page comes back as ONE row: the changes already as the JSON array the protocol sends (the
 * envelope built from records.ts's one description, `envelopeJsonSql`: `toEnvelope` field for
 * field; a withdrawal as `toEnvelope(row, true)`), the feed position of the last one, and how
 * many rows were read (limit + 1 says there is more). A row per record made the database driver
 * decode every column of every row and Node parse each record's data only to serialise it again:
 * on PGlite a 1,000-record page took ~42 ms that way, ~26 ms like this, and the same bytes gzipped
 * (the database writes JSON with a space after ':' and ',', which gzip takes away).
 */
// `held` is computed once per page (an aggregate in its own CTE). As a scalar subquery in the
// select list it ran once per returned row, which made a bootstrap quadratic in commune size.
// $6 is when the device enrolled: a tombstone of a delete before then, or an exit from before
// then, is of a record the device never held, so it is not sent (not even its id).
const RECORDS_AFTER = `
    SELECT ${envelopeColumnsSql('r')}, r.txid, r.change_seq, false AS out_of_scope
    FROM records r, w
    WHERE r.commune_code = $1
      AND r.txid < w.xmin
      AND (r.txid, r.change_seq) > ($2::xid8, $3::bigint)
      AND ($4::uuid[] IS NULL OR r.village_id IS NULL OR r.village_id = ANY ($4::uuid[]))
      AND (NOT r.deleted OR r.updated_at >= $6::timestamptz)
    ORDER BY r.txid, r.change_seq
    LIMIT $5 + 1`;

/**
 * A village device's withdrawals (exits.ts): its villages' exits (and exits from commune-wide)
 * after the cursor, of records now outside its villages, as the record's envelope without data.
 * An exit of a record that is back in scope is skipped: the record itself comes at its own,
 * later, feed position.
 */
const EXITS_AFTER = `
    SELECT ${envelopeColumnsSql('r', true)}, x.txid, x.change_seq, true AS out_of_scope
    FROM record_exits x JOIN records r ON r.commune_code = x.commune_code AND r.id = x.id, w
    WHERE x.commune_code = $1
      AND x.txid < w.xmin
      AND (x.txid, x.change_seq) > ($2::xid8, $3::bigint)
      AND (x.village_id IS NULL OR x.village_id = ANY ($4::uuid[]))
      AND x.left_at >= $6::timestamptz
      AND NOT (r.village_id IS NULL OR r.village_id = ANY ($4::uuid[]))
    ORDER BY x.txid, x.change_seq
    LIMIT $5 + 1`;

function pageSql(isVillageScoped: boolean): string {
  // Commune-wide devices have no exits to read: everything of the commune is theirs.
  const feed = isVillageScoped ? `(${RECORDS_AFTER}) UNION ALL (${EXITS_AFTER})` : `(${RECORDS_AFTER})`;
  return `
  WITH w AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
  held AS (
    SELECT max(h.txid)::text AS held_back
    FROM records h, w
    WHERE h.commune_code = $1 AND h.txid >= w.xmin AND (h.txid, h.change_seq) > ($2::xid8, $3::bigint)
      AND ($4::uuid[] IS NULL OR h.village_id IS NULL OR h.village_id = ANY ($4::uuid[]))
  ),
  page AS (
    SELECT f.*, row_number() OVER (ORDER BY f.txid, f.change_seq) AS n
    FROM (${feed}) f
    ORDER BY f.txid, f.change_seq
    LIMIT $5 + 1
  ),
  shown AS (
    SELECT
      coalesce(json_agg(CASE WHEN p.out_of_scope THEN ${envelopeJsonSql('p', true)}
        ELSE ${envelopeJsonSql('p')} END ORDER BY p.n), '[]')::text AS changes,
      (array_agg(p.txid::text ORDER BY p.n DESC))[1] AS last_txid,
      (array_agg(p.change_seq::text ORDER BY p.n DESC))[1] AS last_seq
    FROM page p
    WHERE p.n <= $5
  )
  SELECT w.xmin::text AS watermark, held.held_back, (SELECT count(*) FROM page)::int AS fetched, shown.*
  FROM w CROSS JOIN held CROSS JOIN shown`;
}

const COMMUNE_PAGE_SQL = pageSql(false);
const VILLAGE_PAGE_SQL = pageSql(true);

/** A page of the feed: `changes` is the JSON array of record envelopes, ready to send. */
export interface PulledPage {
  readonly changesJson: string;
  readonly cursor: string;
  readonly hasMore: boolean;
}

/** The protocol's pull answer (`pullResponseSchema`) as JSON text, the changes spliced in as built. */
export function pullResponseJson(page: PulledPage): string {
  return `{"changes":${page.changesJson},"cursor":${JSON.stringify(page.cursor)},"hasMore":${page.hasMore}}`;
}

interface Page {
  readonly page: PulledPage;
  readonly watermark: bigint;
  readonly heldBack: bigint | null;
}

async function readPage(db: Queryable, device: Device, after: FeedPosition, limit: number): Promise<Page> {
  const villageIds = scopeVillageIds(device);
  const [row] = await db.query<PageRow>(villageIds ? VILLAGE_PAGE_SQL : COMMUNE_PAGE_SQL, [
    device.communeCode,
    after.txid,
    after.changeSeq,
    villageIds,
    limit,
    device.createdAt.toISOString(),
  ]);
  if (!row) throw new Error('the page query returns one row');
  const last =
    row.last_txid !== null && row.last_seq !== null ? { txid: row.last_txid, changeSeq: row.last_seq } : undefined;
  return {
    page: {
      changesJson: row.changes,
      cursor: encodeCursor(last ?? after),
      hasMore: row.fetched > limit,
    },
    watermark: BigInt(row.watermark),
    heldBack: row.held_back === null ? null : BigInt(row.held_back),
  };
}

/**
 * The device's changes after `after`, in feed order, within its scope (its commune; with
 * villageIds, those villages and commune-wide records). A record appears once, at its latest
 * version, tombstones included (those the device could have held: deleted after it enrolled).
 * A village device also gets the records that left its villages, as withdrawals (`outOfScope`).
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
): Promise<PulledPage> {
  const deadline = performance.now() + options.settleMs;
  let target: bigint | undefined;
  for (;;) {
    const page = await readPage(db, device, after, options.limit);
    if (page.page.hasMore || page.heldBack === null) return page.page;
    target ??= page.heldBack;
    if (page.watermark > target || performance.now() >= deadline) return page.page;
    await sleep(SETTLE_POLL_MS);
  }
}
