/**
 * Schema version 2: devices, enrolment codes, the record store with its change feed, the per-op
 * results that make push idempotent, and attachments. Shipped: never edit, add version 3 instead.
 *
 * - Secrets (enrolment codes, device tokens) are stored only as SHA-256 hashes.
 * - `records` holds the latest version of each record (tombstones included). `txid` is the id of
 *   the transaction that last wrote the row and `change_seq` orders rows inside it: pull walks
 *   (txid, change_seq) below the snapshot's xmin, so a transaction that commits late is never
 *   skipped (sync-protocol.md, "Pull"). Both are refreshed on every write.
 * - `village_id` is denormalised from the data (sync/record-village.ts) for scope checks.
 * - `applied_ops` keeps every op result forever: a re-sent op gets the same answer (invariant 2).
 */
export const SYNC_MIGRATION_SQL = `
  CREATE TABLE enrollment_codes (
    commune_code text NOT NULL,
    code_hash text NOT NULL,
    village_ids uuid[],
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    used_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (commune_code, code_hash)
  );
  CREATE UNIQUE INDEX enrollment_codes_code_hash ON enrollment_codes (code_hash);

  CREATE TABLE devices (
    commune_code text NOT NULL,
    device_id uuid NOT NULL,
    name text NOT NULL,
    token_hash text NOT NULL UNIQUE,
    village_ids uuid[],
    ack_seq bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    PRIMARY KEY (commune_code, device_id)
  );

  CREATE SEQUENCE records_change_seq AS bigint;

  CREATE TABLE records (
    commune_code text NOT NULL,
    entity text NOT NULL,
    id uuid NOT NULL,
    version integer NOT NULL CHECK (version > 0),
    deleted boolean NOT NULL DEFAULT false,
    data jsonb,
    updated_at timestamptz NOT NULL,
    updated_by uuid NOT NULL,
    created_by uuid NOT NULL,
    village_id uuid,
    txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    change_seq bigint NOT NULL DEFAULT nextval('records_change_seq'),
    score_mismatch jsonb,
    PRIMARY KEY (commune_code, id)
  );
  CREATE INDEX records_change_feed ON records (commune_code, txid, change_seq);
  CREATE INDEX records_household_members ON records (commune_code, (data ->> 'householdId')) WHERE entity = 'citizen';
  CREATE INDEX records_assessment_subject ON records (commune_code, (data ->> 'subjectId')) WHERE entity = 'assessment';
  CREATE INDEX records_created_by ON records (commune_code, created_by, entity) WHERE NOT deleted;

  CREATE TABLE applied_ops (
    commune_code text NOT NULL,
    device_id uuid NOT NULL,
    op_id uuid NOT NULL,
    seq bigint NOT NULL,
    result jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (commune_code, device_id, op_id),
    UNIQUE (commune_code, device_id, seq)
  );

  CREATE TABLE attachments (
    commune_code text NOT NULL,
    id uuid NOT NULL,
    record_id uuid NOT NULL,
    sha256 text NOT NULL,
    content_type text NOT NULL,
    bytes bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (commune_code, id)
  )
`;
