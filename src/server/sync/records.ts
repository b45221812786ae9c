import type { RecordEnvelope } from '../../shared/protocol/sync.schema';
import type { Queryable } from '../store/store';
import { EXIT_RETURNING, OLD_ROW_JOIN, recordingExits } from './exits';

/** One row of `records`: the latest version of a record (a tombstone when deleted). */
export interface RecordRow extends Record<string, unknown> {
  entity: string;
  id: string;
  commune_code: string;
  version: number;
  deleted: boolean;
  data: unknown;
  updated_at: Date | string;
  updated_by: string;
  village_id: string | null;
  txid: string;
  change_seq: string;
}

export const RECORD_COLUMNS =
  'entity, id, commune_code, version, deleted, data, updated_at, updated_by, village_id, txid::text AS txid, change_seq::text AS change_seq';

type EnvelopeField = Exclude<keyof RecordEnvelope, 'outOfScope'>;

/** Where one envelope field comes from: a column of `records`, sent as stored or converted. */
interface FieldSource {
  readonly column: keyof RecordRow & string;
  /** A conversion, described for both builders at once so they cannot drift apart. */
  readonly convert?: {
    /** In TypeScript (toEnvelope), of the value the driver returns. */
    readonly value: (stored: unknown) => unknown;
    /** In SQL (pull pages), of the column expression. */
    readonly sql: (column: string) => string;
  };
  /**
   * A withdrawal (the record left the device's villages) sends null here: no data leaves. The
   * column's SQL type types the NULL that stands for it (envelopeColumnsSql).
   */
  readonly nullInWithdrawal?: { readonly sqlType: string };
}

/**
 * The record envelope (sync-protocol.md, "Record envelope"), described once, in the order it
 * goes on the wire. Two builders are made from it: `toEnvelope` (push's conflict answers) and
 * `envelopeJsonSql` (pull pages, built as JSON by the database; sync-server-pull.test.ts holds
 * the two equal field for field).
 */
const ENVELOPE: { readonly [F in EnvelopeField]: FieldSource } = {
  entity: { column: 'entity' },
  id: { column: 'id' },
  communeCode: { column: 'commune_code' },
  version: { column: 'version' },
  deleted: { column: 'deleted' },
  // ISO 8601 in UTC with milliseconds, as Date.toISOString writes it (both truncate microseconds).
  updatedAt: {
    column: 'updated_at',
    convert: {
      value: (stored) => new Date(stored as Date | string).toISOString(),
      sql: (column) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    },
  },
  updatedBy: { column: 'updated_by' },
  data: { column: 'data', nullInWithdrawal: { sqlType: 'jsonb' } },
};
const ENVELOPE_FIELDS = Object.entries(ENVELOPE);

/**
 * A record as the protocol sends it. `outOfScope`: the record has left the device's villages
 * (exits.ts): its envelope without data, marked so the device removes its copy.
 */
export function toEnvelope(row: RecordRow, outOfScope = false): RecordEnvelope {
  const envelope: Record<string, unknown> = {};
  for (const [field, source] of ENVELOPE_FIELDS) {
    const stored = outOfScope && source.nullInWithdrawal ? null : (row[source.column] ?? null);
    envelope[field] = source.convert && stored !== null ? source.convert.value(stored) : stored;
  }
  if (outOfScope) envelope.outOfScope = true;
  return envelope as RecordEnvelope;
}

/**
 * The columns of `records` the envelope is built from, as a select list of the table under
 * `alias`; in a withdrawal's list the withheld ones are typed NULLs (nothing read, and the lists
 * of records and withdrawals can be UNIONed).
 */
export function envelopeColumnsSql(alias: string, withdrawal = false): string {
  return ENVELOPE_FIELDS.map(([, { column, nullInWithdrawal }]) =>
    withdrawal && nullInWithdrawal ? `NULL::${nullInWithdrawal.sqlType} AS ${column}` : `${alias}.${column}`,
  ).join(', ');
}

/**
 * The envelope as a SQL json expression, from the columns of `alias` (named as in `records`),
 * equal to `toEnvelope` of the row; a withdrawal adds `"outOfScope": true` (its withheld columns
 * are NULL already: envelopeColumnsSql).
 */
export function envelopeJsonSql(alias: string, withdrawal = false): string {
  const pairs = ENVELOPE_FIELDS.map(([field, { column, convert }]) => {
    const expression = `${alias}.${column}`;
    return `'${field}', ${convert ? convert.sql(expression) : expression}`;
  });
  if (withdrawal) pairs.push(`'outOfScope', true`);
  return `json_build_object(${pairs.join(', ')})`;
}

/** The record, locked until the transaction ends: concurrent writers of one record queue here. */
export async function readRecordForUpdate(
  tx: Queryable,
  communeCode: string,
  id: string,
): Promise<RecordRow | undefined> {
  const rows = await tx.query<RecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM records WHERE commune_code = $1 AND id = $2 FOR UPDATE`,
    [communeCode, id],
  );
  return rows[0];
}

export async function readRecord(db: Queryable, communeCode: string, id: string): Promise<RecordRow | undefined> {
  const rows = await db.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM records WHERE commune_code = $1 AND id = $2`, [
    communeCode,
    id,
  ]);
  return rows[0];
}

export interface RecordWrite {
  readonly communeCode: string;
  readonly entity: string;
  readonly id: string;
  readonly deleted: boolean;
  /** As validated by the record schema (null for a tombstone). */
  readonly data: unknown;
  readonly updatedAt: Date;
  readonly deviceId: string;
  readonly villageId: string | null;
  readonly scoreMismatch: unknown;
}

function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/**
 * Creates version 1. `txid` and `change_seq` come from their defaults: this transaction's id and
 * the next sequence value, which place the row in the change feed. Returns false when the id
 * already exists (a concurrent create won): the caller answers that as a conflict.
 */
export async function insertRecord(tx: Queryable, w: RecordWrite): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO records (commune_code, entity, id, version, deleted, data, updated_at, updated_by, created_by, village_id, score_mismatch)
     VALUES ($1, $2, $3, 1, $4, $5::text::jsonb, $6, $7, $7, $8, $9::text::jsonb)
     ON CONFLICT (commune_code, id) DO NOTHING
     RETURNING id`,
    [
      w.communeCode,
      w.entity,
      w.id,
      w.deleted,
      json(w.data),
      w.updatedAt.toISOString(),
      w.deviceId,
      w.villageId,
      json(w.scoreMismatch),
    ],
  );
  return rows.length > 0;
}

const UPDATE_SQL = recordingExits(
  `UPDATE records r SET version = r.version + 1, deleted = $4, data = $5::text::jsonb, updated_at = $6, updated_by = $7,
     village_id = $8, score_mismatch = $9::text::jsonb, txid = pg_current_xact_id(), change_seq = nextval('records_change_seq')
   FROM records o
   WHERE r.commune_code = $1 AND r.id = $2 AND r.version = $3 AND ${OLD_ROW_JOIN}
   RETURNING r.version, ${EXIT_RETURNING}`,
  'version',
);

/**
 * Writes the next version over `baseVersion`, moving the row to the end of the change feed (and
 * recording the village it leaves, if its village changes: exits.ts).
 * The caller holds the row lock (readRecordForUpdate) and has checked the version.
 */
export async function updateRecord(tx: Queryable, w: RecordWrite & { readonly baseVersion: number }): Promise<number> {
  const rows = await tx.query<{ version: number }>(UPDATE_SQL, [
    w.communeCode,
    w.id,
    w.baseVersion,
    w.deleted,
    json(w.data),
    w.updatedAt.toISOString(),
    w.deviceId,
    w.villageId,
    json(w.scoreMismatch),
  ]);
  const version = rows[0]?.version;
  if (version === undefined) throw new Error('record changed under its row lock');
  return version;
}

/**
 * A delete: the next version as a tombstone. It keeps what identifies it (id, entity, commune,
 * village, version, who and when); its data and score flag are dropped, so no personal data
 * outlives the delete (sync-protocol.md, "Hostile and broken input").
 */
export async function markDeleted(
  tx: Queryable,
  w: { communeCode: string; id: string; baseVersion: number; updatedAt: Date; deviceId: string },
): Promise<number> {
  const rows = await tx.query<{ version: number }>(
    `UPDATE records SET version = version + 1, deleted = true, data = NULL, score_mismatch = NULL, updated_at = $4, updated_by = $5,
       txid = pg_current_xact_id(), change_seq = nextval('records_change_seq')
     WHERE commune_code = $1 AND id = $2 AND version = $3
     RETURNING version`,
    [w.communeCode, w.id, w.baseVersion, w.updatedAt.toISOString(), w.deviceId],
  );
  const version = rows[0]?.version;
  if (version === undefined) throw new Error('record changed under its row lock');
  return version;
}
