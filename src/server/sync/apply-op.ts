import { isDeepStrictEqual } from 'node:util';
import { scoreAssessment } from '../../domain/scoring/score-assessment';
import type { PushOp, PushResult } from '../../shared/protocol/sync.schema';
import type { AssessmentData } from '../../shared/schemas/assessment.schema';
import { ENTITIES, type Entity } from '../../shared/schemas/entities';
import type { Device } from '../auth/devices';
import type { Queryable } from '../store/store';
import { resolveVillage, type ParentVillageLookup, type VillageParent } from './record-village';
import { toEnvelope, type RecordRow, type RecordWrite } from './records';
import { readServerScoringContext, type PushView } from './scoring-context';
import { isInScope } from './scope';
import { checkRecordData, type RecordCheck } from './validate-record';

export interface OpContext {
  readonly tx: Queryable;
  readonly device: Device;
  readonly now: Date;
}

/**
 * Where decideOp reads and writes records. Two implementations keep one set of rules: straight
 * SQL one op at a time (store-records.ts) and a push-wide batch that reads every record of the
 * request at once and writes set-based (batch-records.ts).
 */
export interface RecordAccess {
  /** The record as this transaction sees it, locked until the transaction ends. */
  readForUpdate(id: string): Promise<RecordRow | undefined>;
  readonly parentVillage: ParentVillageLookup;
  /** Creates version `version`; false when the id exists already (a concurrent create won). */
  insert(write: RecordWrite): Promise<boolean>;
  /** The next version over `baseVersion` (the caller holds the row and checked it). */
  update(write: RecordWrite & { readonly baseVersion: number }): Promise<number>;
  /** The next version as a tombstone: village kept, data and score flag dropped (no personal data stays). */
  markDeleted(write: { id: string; baseVersion: number }): Promise<number>;
  /** The dependants of a household or citizen whose village is new must follow it. */
  propagate(parent: VillageParent): Promise<void>;
  /** How an assessment's scoring sees the records (undefined: straight from the database). */
  readonly scoringView: PushView | undefined;
}

/** What applied_ops keeps of a result: enough to answer a re-send the same way. */
export type StoredResult =
  | { status: 'applied'; version: number }
  | { status: 'conflict' }
  | { status: 'rejected'; error: Extract<PushResult, { status: 'rejected' }>['error'] };

type Outcome = { result: PushResult; stored: StoredResult };

function isEntity(name: string): name is Entity {
  return (ENTITIES as readonly string[]).includes(name);
}

function reject(opId: string, code: string, message: string, details?: { path: string; message: string }[]): Outcome {
  const error = details && details.length > 0 ? { code, message, details } : { code, message };
  return { result: { opId, status: 'rejected', error }, stored: { status: 'rejected', error } };
}

function outOfScope(opId: string): Outcome {
  return reject(opId, 'forbidden_scope', 'The record lies outside the villages of this device');
}

function conflict(opId: string, current: RecordRow): Outcome {
  return { result: { opId, status: 'conflict', current: toEnvelope(current) }, stored: { status: 'conflict' } };
}

function applied(opId: string, version: number): Outcome {
  return { result: { opId, status: 'applied', version }, stored: { status: 'applied', version } };
}

/**
 * An assessment as the server stores it: its result is the server's own scoring of the answers
 * (the official one), and a device claim that differs is kept aside as the score flag (device
 * and server side by side, for the commune office), never sent to other devices.
 */
async function scoredAssessment(ctx: OpContext, access: RecordAccess, check: RecordCheck & { ok: true }) {
  if (!check.criteriaSet) return { data: check.parsed, scoreMismatch: null };
  const assessment = check.parsed as AssessmentData;
  const context = await readServerScoringContext(
    ctx.tx,
    ctx.device.communeCode,
    assessment.title,
    assessment.subjectId,
    assessment.year,
    access.scoringView,
  );
  const server = scoreAssessment(check.criteriaSet, assessment.answers, context);
  const scoreMismatch = isDeepStrictEqual(server, assessment.result) ? null : { server, device: assessment.result };
  return { data: { ...assessment, result: server }, scoreMismatch };
}

/**
 * Decides one op that has no recorded result yet, and writes its change. Order matters:
 * validity, then scope (a conflict must never show a record outside the device's scope), then
 * the version check. Nothing is written unless the result is `applied`.
 */
export async function decideOp(ctx: OpContext, access: RecordAccess, op: PushOp): Promise<Outcome> {
  const { device, now } = ctx;
  if (!isEntity(op.entity)) return reject(op.opId, 'unknown_entity', `Unknown entity "${op.entity}"`);
  if (op.communeCode !== device.communeCode)
    return reject(op.opId, 'forbidden_scope', 'The record belongs to another commune');

  const check = op.kind === 'upsert' ? checkRecordData(op.entity, op.data, now) : undefined;
  if (check && !check.ok)
    return reject(op.opId, 'validation_failed', `The data is not a valid ${op.entity}`, check.details);

  const current = await access.readForUpdate(op.recordId);
  if (current && current.entity !== op.entity) {
    return reject(op.opId, 'validation_failed', `The record is a ${current.entity}, not a ${op.entity}`, [
      { path: 'entity', message: 'errors.generic' },
    ]);
  }

  const village = check?.ok
    ? await resolveVillage(access.parentVillage, op.entity, op.recordId, check.parsed)
    : undefined;
  // A village-scoped device may not write a record whose village the server cannot tell yet.
  const isUnresolvedForScoped = device.villageIds !== null && village?.isResolved === false;
  if (
    (current && !isInScope(device, current.village_id)) ||
    (village && !isInScope(device, village.villageId)) ||
    isUnresolvedForScoped
  ) {
    return outOfScope(op.opId);
  }

  if (current && op.baseVersion !== current.version) return conflict(op.opId, current);
  if (!current && op.baseVersion !== null) {
    // The contract has no result for "you edit a record the server never had"; not_found says it.
    return reject(op.opId, 'not_found', 'The record this change is based on is not on the server');
  }

  const write = {
    communeCode: device.communeCode,
    entity: op.entity,
    id: op.recordId,
    updatedAt: now,
    deviceId: device.deviceId,
  };
  if (op.kind === 'delete') {
    if (current) return applied(op.opId, await access.markDeleted({ id: op.recordId, baseVersion: current.version }));
    // Created and deleted on the device before it ever synced: a data-less tombstone, so the
    // delete is answered with a version like any other and every device learns the id is dead.
    const isInserted = await access.insert({
      ...write,
      deleted: true,
      data: null,
      villageId: null,
      scoreMismatch: null,
    });
    return isInserted ? applied(op.opId, 1) : conflictWithWinner(ctx, access, op);
  }

  const villageId = village?.villageId ?? null;
  // Stored as validated (the schema's output: unknown keys dropped, text normalised, types
  // coerced or refused), never as sent; an assessment with the server's score.
  if (!check?.ok) throw new Error('an upsert reached the write unchecked');
  const { data, scoreMismatch } = await scoredAssessment(ctx, access, check);
  const fields = { ...write, deleted: false, data, villageId, scoreMismatch };
  let version: number;
  if (current) version = await access.update({ ...fields, baseVersion: current.version });
  else if (await access.insert(fields)) version = 1;
  else return conflictWithWinner(ctx, access, op);
  // Dependants already carry the village unless it is new here (a create also settles records
  // that arrived before their parent).
  if ((op.entity === 'household' || op.entity === 'citizen') && (!current || current.village_id !== villageId)) {
    await access.propagate({ entity: op.entity, id: op.recordId, villageId, isNew: !current });
  }
  return applied(op.opId, version);
}

/** Another transaction created the same id first: that is a conflict with its record. */
async function conflictWithWinner(ctx: OpContext, access: RecordAccess, op: PushOp): Promise<Outcome> {
  const winner = await access.readForUpdate(op.recordId);
  if (!winner) throw new Error('a concurrent create vanished');
  return isInScope(ctx.device, winner.village_id) ? conflict(op.opId, winner) : outOfScope(op.opId);
}
