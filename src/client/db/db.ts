import Dexie, { type EntityTable, type Table } from 'dexie';
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
 * local bookkeeping. `deleted` is 0/1 because IndexedDB cannot index booleans.
 */
export interface LocalRecord<T> {
  id: string;
  communeCode: string;
  data: T;
  /**
   * The server's version as a pull (or a conflict's resolution) brought it; null until then. A
   * push's answer records the version in `learnedVersions` instead: read a record's server version
   * with `serverVersionOf` (server-versions.ts), never from this field alone.
   */
  version: number | null;
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
 * The versions one push answer gave records (ids and versions side by side): a log, one row per
 * answer, merged now and then (server-versions.ts). Kept apart from the records so that an answer
 * does not rewrite them and their indexes. A record's server version is the larger of its row's
 * `version` and the newest here: read it with `serverVersionOf`.
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
  villages!: Table<LocalRecord<VillageData>, string>;
  households!: Table<HouseholdRow, string>;
  citizens!: Table<LocalRecord<CitizenData>, string>;
  clans!: Table<LocalRecord<ClanData>, string>;
  units!: Table<LocalRecord<UnitData>, string>;
  assessments!: Table<AssessmentRow, string>;
  outbox!: Table<OutboxOp, number>;
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
  }
}

/** Opens the database; fails loudly (the app shows why) rather than running without storage. */
export async function openDatabase(name: string = DATABASE_NAME): Promise<AppDatabase> {
  const db = new AppDatabase(name);
  await db.open();
  return db;
}
