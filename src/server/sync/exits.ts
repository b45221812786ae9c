import { PENDING_VILLAGE } from './scope';

/**
 * Records leaving a village (sync-protocol.md, "Leaving a scope"). Every UPDATE that may change a
 * record's `village_id` goes through `recordingExits`, which writes, in the same statement, one
 * `record_exits` row per village the record left (NULL: it was commune-wide), at a new position of
 * the change feed (the same txid and sequence as records). A village device's pull reads its
 * villages' exits after its cursor and, for a record now outside its scope, sends the record's
 * envelope with `outOfScope: true` and no data. One row per (record, village left): leaving again
 * moves it to the new feed position. A record that was PENDING_VILLAGE was never sent to a village
 * device, so leaving it writes nothing.
 *
 * `update` is an UPDATE of `records r` that joins the row as it was (`records o`, same commune and
 * id: the statement's snapshot, so the values before this update) and returns at least
 * `r.commune_code, r.id, r.village_id, o.village_id AS old_village_id`; `select` picks from those
 * returned columns what the statement answers.
 */
export function recordingExits(update: string, select: string): string {
  return `WITH moved AS (${update}),
  exits AS (
    INSERT INTO record_exits (commune_code, village_id, id)
    SELECT m.commune_code, m.old_village_id, m.id FROM moved m
    WHERE m.old_village_id IS DISTINCT FROM m.village_id AND m.old_village_id IS DISTINCT FROM '${PENDING_VILLAGE}'::uuid
    ON CONFLICT (commune_code, village_id, id) DO UPDATE SET txid = excluded.txid, change_seq = excluded.change_seq, left_at = excluded.left_at
  )
  SELECT ${select} FROM moved`;
}

/** The columns `recordingExits` needs from the UPDATE's RETURNING. */
export const EXIT_RETURNING = 'r.commune_code, r.id, r.village_id, o.village_id AS old_village_id';

/** The join to the row as it was, for the UPDATE's FROM and WHERE. */
export const OLD_ROW_JOIN = 'o.commune_code = r.commune_code AND o.id = r.id';
