import Dexie, { type EntityTable, type Table, type Transaction } from 'dexie';
import type { Entity } from '../../shared/schemas/entities';
import type { AssessmentData } from '../../shared/schemas/assessment.schema';
import type { CitizenData } from '../../shared/schemas/citizen.schema';
import type { ClanData } from '../../shared/schemas/clan.schema';
import type { HouseholdData } from '../../shared/schemas/household.schema';
import type { UnitData } from '../../shared/schemas/unit.schema';
import type { VillageData } from '../../shared/schemas/village.schema';
import { searchTextOf } from './household-search';

/** One key/value row per device-wide setting (device name, language, commune…). */
export interface SettingRow {
  key: string;
  value: unknown;
  updatedAt: string;
}

/**
 * A record as the device keeps it: the synced `data` (validated by the shared schema) plus
 * local bookkeeping. `deleted` is 0/1 because IndexedDB cannot index booleans. Its server version
 * is not on the row: it lives in `learnedVersions` alone (server-versions.ts `serverVersionOf`);
 * a row written before schema 11 may still hold a `version` field, which nothing reads.
 */
export interface LocalRecord<T> {
  id: string;
  communeCode: string;
  data: T;
  deleted: 0 | 1;
  updatedAt: string;
}

export interface HouseholdRow extends LocalRecord<HouseholdData> {
  /** Folded head name, address and phone, for diacritic-insensitive search (members: household-search.ts). */
  searchText: string;
  /** Members tombstoned together with the household, so undo restores exactly them. */
  deletedMemberIds?: string[];
}

export interface AssessmentRow extends LocalRecord<AssessmentData> {
  /** `${subjectId}|${title}|${year}`: at most one live assessment per subject, title and year. */
  subjectKey: string;
}

/** Each synced entity's row as the device keeps it (entity-registry.ts: its table and local fields). */
export interface EntityRows {
  village: LocalRecord<VillageData>;
  household: HouseholdRow;
  citizen: LocalRecord<CitizenData>;
  clan: LocalRecord<ClanData>;
  unit: LocalRecord<UnitData>;
  assessment: AssessmentRow;
}

export type OutboxKind = 'upsert' | 'delete';

/** One change waiting for the server, in the order it was made (sync-protocol.md, "Push"). */
export interface OutboxOp {
  seq?: number;
  opId: string;
  entity: Entity;
  recordId: string;
  communeCode: string;
  kind: OutboxKind;
  baseVersion: number | null;
  data: unknown;
  clientTime: string;
  /** How many times a push carried this op; 0 means the server never saw it. */
  attempts: number;
  /**
   * The protocol's per-device `seq`, given when the op is first sent. Not the table key: an
   * IndexedDB key generator can skip numbers, and the wire sequence must have no gaps.
   */
  wireSeq?: number;
}

/** A change of mine the server refused as stale: kept, with the server's version, until resolved. */
export interface ConflictRow {
  opId: string;
  entity: Entity;
  recordId: string;
  mine: unknown;
  mineKind: OutboxKind;
  theirs: unknown;
  theirsVersion: number;
  detectedAt: string;
  /**
   * The record left this device's villages (moved, or its household moved) while I had an unsent
   * change to it: `theirs` is null, the local copy is gone, and the screen says it now belongs to
   * another village (withdraw-records.ts). Not indexed: no schema version needed.
   */
  outOfScope?: boolean;
}

/** A change the server rejected (invalid, unknown entity, outside scope), with its reason. */
export interface RejectionRow {
  opId: string;
  entity: Entity;
  recordId: string;
  data: unknown;
  code: string;
  message: string;
  details: unknown;
  rejectedAt: string;
}

/**
 * Which outbox ops a push (or an export file) already carried, and the protocol seqs they were
 * given: ONE row (key `send`), not a field on every op (outbox.repository.ts). The ops ever
 * carried are a prefix of the outbox, so "frozen" is "key ≤ frozenThrough"; their seqs are runs
 * [fromKey, toKey, seqOfFromKey]; `lastWireSeq` is the last seq ever given (the next op gets the next).
 */
export interface OutboxStateRow {
  key: 'send';
  frozenThrough: number;
  runs: [number, number, number][];
  lastWireSeq: number;
}

/**
 * The server versions this device has learned, the only place a record's server version is kept:
 * one row per write that taught some (a pulled page, a push's answer, a resolved conflict), ids
 * and versions side by side, merged now and then (server-versions.ts). Kept apart from the
 * records so that a push's answer does not rewrite them and their indexes. Versions only grow:
 * a record's server version is the largest it has here (`serverVersionOf`).
 */
export interface LearnedVersionsRow {
  id?: number;
  recordIds: string[];
  versions: number[];
  /** How many (recordIds.length), indexed: small rows are merged now and then. */
  entries: number;
}

/** What a form held when the person last typed, so a crash or a closed tab loses nothing. */
export interface DraftRow {
  key: string;
  values: unknown;
  updatedAt: string;
}

/**
 * An evidence photo (minh chứng), compressed on the device. Kept until the server has it; an
 * answer refers to it by id (`evidenceIds`). `uploaded` is 0/1 (IndexedDB cannot index booleans).
 */
export interface AttachmentRow {
  id: string;
  /** The assessment's subject key (`subjectId|title|year`, see assessment.queries.ts) and criterion the photo is evidence for. */
  ownerKey: string;
  criterionId: string;
  blob: Blob;
  mimeType: 'image/jpeg' | 'image/webp';
  bytes: number;
  width: number;
  height: number;
  createdAt: string;
  uploaded: 0 | 1;
}

export const DATABASE_NAME = 'so-khuyen-hoc';

/**
 * The device's only store. This module is the only importer of Dexie (lint enforces it).
 * Schema versions are append-only: add `this.version(n + 1).stores({...}).upgrade(...)`,
 * never edit a shipped version, so a phone that skipped updates still migrates in order.
 */
export class AppDatabase extends Dexie {
  settings!: EntityTable<SettingRow, 'key'>;
  villages!: Table<EntityRows['village'], string>;
  households!: Table<EntityRows['household'], string>;
  citizens!: Table<EntityRows['citizen'], string>;
  clans!: Table<EntityRows['clan'], string>;
  units!: Table<EntityRows['unit'], string>;
  assessments!: Table<EntityRows['assessment'], string>;
  outbox!: Table<OutboxOp, number>;
  outboxState!: EntityTable<OutboxStateRow, 'key'>;
  drafts!: EntityTable<DraftRow, 'key'>;
  attachments!: EntityTable<AttachmentRow, 'id'>;
  conflicts!: EntityTable<ConflictRow, 'opId'>;
  rejections!: EntityTable<RejectionRow, 'opId'>;
  learnedVersions!: EntityTable<LearnedVersionsRow, 'id'>;

  constructor(name: string = DATABASE_NAME) {
    super(name);
    this.version(1).stores({
      settings: 'key',
    });
    this.version(2).stores({
      villages: 'id, updatedAt',
      households: 'id, data.villageId, updatedAt',
      citizens: 'id, data.householdId, updatedAt',
      clans: 'id, updatedAt',
      units: 'id, updatedAt',
      assessments: 'id, subjectKey, data.subjectId, [data.title+data.year], updatedAt',
      outbox: '++seq, &opId, recordId',
      drafts: 'key',
    });
    this.version(3).stores({
      attachments: 'id, ownerKey, uploaded',
    });
    this.version(4).stores({
      conflicts: 'opId, recordId',
      rejections: 'opId, recordId',
    });
    // Live households per village, read as keys only (summary.queries.ts).
    this.version(5).stores({
      households: 'id, data.villageId, [deleted+data.villageId], updatedAt',
    });
    // Indexes nothing reads (updatedAt on every table, assessments by subject alone) cost every
    // record write: registering, pulling, and learning versions after a push.
    this.version(6).stores({
      villages: 'id',
      households: 'id, data.villageId, [deleted+data.villageId]',
      citizens: 'id, data.householdId',
      clans: 'id',
      units: 'id',
      assessments: 'id, subjectKey, [data.title+data.year]',
    });
    // A household's search text holds its own fields only; members' names are read when searching
    // (household-search.ts). Rows written before held their members' names too, which went stale.
    this.version(7)
      .stores({})
      .upgrade((tx) =>
        tx
          .table<HouseholdRow, string>('households')
          .toCollection()
          .modify((h) => {
            if (h.data) h.searchText = searchTextOf(h.data);
          }),
      );
    // Versions learned from push answers live in their own small rows (version 8: a row per record); rows
    // written before keep theirs in `version`, which stays valid (the larger of the two counts).
    this.version(8).stores({
      serverVersions: 'id',
    });
    // Those versions, one row per push answer instead of one per record: a 500-op answer is one
    // IndexedDB request, not 500 (~30 ms of every batch in Chromium). Version 8's rows move over.
    this.version(9)
      .stores({ learnedVersions: '++id, *recordIds, entries' })
      .upgrade(async (tx) => {
        const old = await tx.table<{ id: string; version: number }, string>('serverVersions').toArray();
        const rows: LearnedVersionsRow[] = [];
        for (let i = 0; i < old.length; i += 500) {
          const chunk = old.slice(i, i + 500);
          rows.push({
            recordIds: chunk.map((r) => r.id),
            versions: chunk.map((r) => r.version),
            entries: chunk.length,
          });
        }
        await tx.table<LearnedVersionsRow, number>('learnedVersions').bulkAdd(rows);
      });
    this.version(10).stores({ serverVersions: null });
    // One home each: the outbox's send state leaves the settings for its own row, and a record's
    // server version leaves its row for the learned versions (where push answers already put theirs).
    this.version(11).stores({ outboxState: 'key' }).upgrade(moveToOneHome);
  }
}

const RECORD_TABLES_AT_11 = ['villages', 'households', 'citizens', 'clans', 'units', 'assessments'];

/**
 * Schema 11's upgrade (frozen: it describes the data as schema 10 left it). The send state and the
 * last wire seq move from settings into `outboxState` (a frozen op keeps its seq, the next op gets
 * the next one); each row's `version` is copied into `learnedVersions` (rows of at most 500).
 * Records are read, not rewritten: for 25,000 households and 100,000 citizens, stripping the field
 * made this upgrade take 13-32 s in desktop Chromium, reading only 3-4 s. So rows written before
 * keep a `version` that nothing reads any more (it goes when the row is next written). Nothing of
 * the outbox itself changes.
 */
async function moveToOneHome(tx: Transaction): Promise<void> {
  const settings = tx.table<SettingRow, string>('settings');
  const [sendState, lastWireSeq] = await settings.bulkGet(['sendState', 'lastWireSeq']);
  const state = (sendState?.value ?? {}) as Partial<Pick<OutboxStateRow, 'frozenThrough' | 'runs'>>;
  if (sendState || lastWireSeq) {
    await tx.table<OutboxStateRow, string>('outboxState').put({
      key: 'send',
      frozenThrough: typeof state.frozenThrough === 'number' ? state.frozenThrough : 0,
      runs: Array.isArray(state.runs) ? state.runs : [],
      lastWireSeq: typeof lastWireSeq?.value === 'number' ? lastWireSeq.value : 0,
    });
    await settings.bulkDelete(['sendState', 'lastWireSeq']);
  }
  const versions: [string, number][] = [];
  for (const name of RECORD_TABLES_AT_11) {
    await tx.table<{ id: string; version?: number | null }, string>(name).each((row) => {
      if (typeof row.version === 'number') versions.push([row.id, row.version]);
    });
  }
  const rows: LearnedVersionsRow[] = [];
  for (let i = 0; i < versions.length; i += 500) {
    const chunk = versions.slice(i, i + 500);
    rows.push({ recordIds: chunk.map(([id]) => id), versions: chunk.map(([, v]) => v), entries: chunk.length });
  }
  await tx.table<LearnedVersionsRow, number>('learnedVersions').bulkAdd(rows);
}

/** Opens the database; fails loudly (the app shows why) rather than running without storage. */
export async function openDatabase(name: string = DATABASE_NAME): Promise<AppDatabase> {
  const db = new AppDatabase(name);
  await db.open();
  return db;
}
