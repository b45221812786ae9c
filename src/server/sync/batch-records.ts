import type { PushOp } from '../../shared/protocol/sync.schema';
import type { Device } from '../auth/devices';
import { jsonbOrNull, jsonListParam, jsonListSql } from '../store/json-list';
import type { Queryable } from '../store/store';
import type { RecordAccess } from './apply-op';
import { EXIT_RETURNING, OLD_ROW_JOIN, recordingExits } from './exits';
import { propagateVillages, type VillageParent } from './record-village';
import { RECORD_COLUMNS, type RecordRow, type RecordWrite } from './records';
import { LIVE_MEMBERS_SQL, type PushView, type StoredMember } from './scoring-context';

/**
 * A create met a row another transaction committed meanwhile. The push is then run again one op
 * at a time (storeRecords), which answers that op as a conflict with the winner.
 */
export class ConcurrentCreateError extends Error {
  constructor() {
    super('a record of this push was created by another transaction meanwhile');
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Pending {
  readonly isInsert: boolean;
  /** The version stored in the database now, which the UPDATE checks (0 for an insert). */
  readonly storedVersion: number;
  row: RecordRow;
  scoreMismatch: unknown;
}

// The records' JSON (data, score flag) goes as one text each (store/json-list.ts): no escaping.
const INSERT_SQL = `
  INSERT INTO records (commune_code, entity, id, version, deleted, data, updated_at, updated_by, created_by, village_id, score_mismatch)
  SELECT $1, u.entity, u.id, u.version, u.deleted, ${jsonbOrNull('u.data')}, $2, $3, $3, u.village_id, ${jsonbOrNull('u.score_mismatch')}
  FROM unnest($4::text[], $5::uuid[], $6::int[], $7::bool[], ${jsonListSql('$8')}, $9::uuid[], ${jsonListSql('$10')})
    WITH ORDINALITY AS u (entity, id, version, deleted, data, village_id, score_mismatch, ord)
  ORDER BY u.ord
  ON CONFLICT (commune_code, id) DO NOTHING
  RETURNING id`;

// A record whose village changes leaves its old village in the same statement (exits.ts).
const UPDATE_SQL = recordingExits(
  `UPDATE records r SET version = u.version, deleted = u.deleted, data = ${jsonbOrNull('u.data')}, updated_at = $2, updated_by = $3,
    village_id = u.village_id, score_mismatch = ${jsonbOrNull('u.score_mismatch')},
    txid = pg_current_xact_id(), change_seq = nextval('records_change_seq')
  FROM unnest($4::uuid[], $5::int[], $6::int[], $7::bool[], ${jsonListSql('$8')}, $9::uuid[], ${jsonListSql('$10')})
    AS u (id, stored_version, version, deleted, data, village_id, score_mismatch), records o
  WHERE r.commune_code = $1 AND r.id = u.id AND r.version = u.stored_version AND ${OLD_ROW_JOIN}
  RETURNING ${EXIT_RETURNING}`,
  'id',
);

/**
 * The records of one push, read at once and written set-based (invariant 2 holds as with one op
 * at a time: same transaction, same rules in decideOp, same results). Every record an op names
 * is read and locked in one query; the households citizens name, in another. Writes collect in
 * memory, one final state per record, and `flush` stores them in two statements and then moves
 * dependants to new villages. Reads of records written earlier in the push are answered from
 * memory, so an op sees the ops before it exactly as it would one at a time; so does an
 * assessment's scoring, through `scoringView` (stored rows with the unflushed writes over them).
 */
export class BatchRecords implements RecordAccess {
  /** Lower-case id → the record as this push sees it (null: not on the server). */
  private readonly rows = new Map<string, RecordRow | null>();
  /** Ids read FOR UPDATE (the others were read only as parents). */
  private readonly locked = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private parents: VillageParent[] = [];
  /** Household id (as assessments name it) → its live citizens in the database; cleared by `flush`. */
  private readonly storedMembers = new Map<string, StoredMember[]>();
  /** The households this push assesses as Gia đình học tập: their members are read together. */
  private familySubjects: string[] = [];

  private constructor(
    private readonly tx: Queryable,
    private readonly device: Device,
    private readonly now: Date,
  ) {}

  static async open(tx: Queryable, device: Device, now: Date, ops: readonly PushOp[]): Promise<BatchRecords> {
    const batch = new BatchRecords(tx, device, now);
    const ids = [...new Set(ops.map((op) => op.recordId.toLowerCase()))].sort();
    await batch.load(ids, true);
    const households = ops
      .map((op) =>
        op.kind === 'upsert' && op.entity === 'citizen'
          ? (op.data as { householdId?: unknown } | null)?.householdId
          : undefined,
      )
      .filter((id): id is string => typeof id === 'string' && UUID.test(id))
      .map((id) => id.toLowerCase())
      .filter((id) => !batch.rows.has(id));
    await batch.load([...new Set(households)], false);
    batch.familySubjects = [
      ...new Set(
        ops.flatMap((op) => {
          const data =
            op.kind === 'upsert' && op.entity === 'assessment'
              ? (op.data as { title?: unknown; subjectId?: unknown } | null)
              : null;
          return data?.title === 'learning_family' && typeof data.subjectId === 'string' ? [data.subjectId] : [];
        }),
      ),
    ];
    return batch;
  }

  private async load(ids: readonly string[], forUpdate: boolean) {
    if (ids.length === 0) return;
    const rows = await this.tx.query<RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM records WHERE commune_code = $1 AND id = ANY ($2::uuid[]) ORDER BY id${forUpdate ? ' FOR UPDATE' : ''}`,
      [this.device.communeCode, ids],
    );
    for (const id of ids) this.rows.set(id, null);
    for (const row of rows) this.rows.set(row.id, row);
    if (forUpdate) for (const id of ids) this.locked.add(id);
  }

  async readForUpdate(id: string): Promise<RecordRow | undefined> {
    const key = id.toLowerCase();
    if (!this.locked.has(key)) await this.load([key], true);
    return this.rows.get(key) ?? undefined;
  }

  readonly parentVillage = async (entity: 'household' | 'citizen', id: string) => {
    const key = id.toLowerCase();
    if (!this.rows.has(key)) await this.load([key], false);
    const row = this.rows.get(key);
    return row && row.entity === entity ? { villageId: row.village_id } : undefined;
  };

  private stage(row: RecordRow, scoreMismatch: unknown) {
    const before = this.pending.get(row.id);
    const stored = this.rows.get(row.id);
    this.pending.set(row.id, {
      isInsert: before?.isInsert ?? !stored,
      storedVersion: before?.storedVersion ?? stored?.version ?? 0,
      row,
      scoreMismatch,
    });
    this.rows.set(row.id, row);
  }

  private rowOf(w: RecordWrite, version: number): RecordRow {
    return {
      entity: w.entity,
      id: w.id.toLowerCase(),
      commune_code: w.communeCode,
      version,
      deleted: w.deleted,
      data: w.data ?? null,
      updated_at: w.updatedAt.toISOString(),
      updated_by: w.deviceId,
      village_id: w.villageId,
      txid: '',
      change_seq: '',
    };
  }

  insert(write: RecordWrite): Promise<boolean> {
    this.stage(this.rowOf(write, 1), write.scoreMismatch);
    return Promise.resolve(true);
  }

  update(write: RecordWrite & { readonly baseVersion: number }): Promise<number> {
    const row = this.rowOf(write, write.baseVersion + 1);
    this.stage(row, write.scoreMismatch);
    return Promise.resolve(row.version);
  }

  markDeleted({ id, baseVersion }: { id: string; baseVersion: number }): Promise<number> {
    const current = this.rows.get(id.toLowerCase());
    if (!current) throw new Error('a delete of a record this push has not read');
    // A tombstone carries no personal data: data and score flag go (records.ts markDeleted).
    const row = {
      ...current,
      version: baseVersion + 1,
      deleted: true,
      data: null,
      updated_at: this.now.toISOString(),
      updated_by: this.device.deviceId,
    };
    this.stage(row, null);
    return Promise.resolve(row.version);
  }

  propagate(parent: VillageParent): Promise<void> {
    this.parents.push(parent);
    return Promise.resolve();
  }

  /** Scoring inside the push sees what the push has read and written, stored or not. */
  readonly scoringView: PushView = {
    row: async (id) => {
      const key = id.toLowerCase();
      if (!this.rows.has(key)) {
        if (!UUID.test(key)) return null; // no such record (and not a value the uuid column can hold)
        await this.load([key], false);
      }
      return this.rows.get(key) ?? null;
    },
    unflushed: () => [...this.pending.values()].map((p) => p.row),
    storedMembersOf: async (householdId) => {
      if (!this.storedMembers.has(householdId)) {
        const wanted = [...new Set([householdId, ...this.familySubjects])].filter((id) => !this.storedMembers.has(id));
        const rows = await this.tx.query<StoredMember & { household_id: string }>(LIVE_MEMBERS_SQL, [
          this.device.communeCode,
          wanted,
        ]);
        for (const id of wanted) this.storedMembers.set(id, []);
        for (const row of rows) this.storedMembers.get(row.household_id)?.push({ id: row.id, data: row.data });
      }
      return this.storedMembers.get(householdId) ?? [];
    },
  };

  /** Stores every staged write and moves dependants of re-villaged parents. */
  async flush() {
    this.storedMembers.clear();
    const staged = [...this.pending.values()];
    this.pending.clear();
    const common = [this.device.communeCode, this.now.toISOString(), this.device.deviceId];
    const inserts = staged.filter((p) => p.isInsert);
    if (inserts.length > 0) {
      const inserted = await this.tx.query(INSERT_SQL, [
        ...common,
        inserts.map((p) => p.row.entity),
        inserts.map((p) => p.row.id),
        inserts.map((p) => p.row.version),
        inserts.map((p) => p.row.deleted),
        jsonListParam(inserts.map((p) => p.row.data)),
        inserts.map((p) => p.row.village_id),
        jsonListParam(inserts.map((p) => p.scoreMismatch)),
      ]);
      if (inserted.length !== inserts.length) throw new ConcurrentCreateError();
    }
    const updates = staged.filter((p) => !p.isInsert);
    if (updates.length > 0) {
      const updated = await this.tx.query(UPDATE_SQL, [
        ...common,
        updates.map((p) => p.row.id),
        updates.map((p) => p.storedVersion),
        updates.map((p) => p.row.version),
        updates.map((p) => p.row.deleted),
        jsonListParam(updates.map((p) => p.row.data)),
        updates.map((p) => p.row.village_id),
        jsonListParam(updates.map((p) => p.scoreMismatch)),
      ]);
      if (updated.length !== updates.length) throw new Error('a record changed under its row lock');
    }
    if (this.parents.length === 0) return;
    const changed = await propagateVillages(this.tx, this.device.communeCode, this.parents);
    this.parents = [];
    for (const { id, village_id } of changed) {
      const row = this.rows.get(id);
      if (row) this.rows.set(id, { ...row, village_id });
    }
  }
}
