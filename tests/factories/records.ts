import { uuidv7 } from '../../src/shared/ids';
import type { LocalRecord, OutboxOp } from '../../src/client/db/db';
import type { WriteContext } from '../../src/client/db/write-context';
import type { HouseholdFormValues } from '../../src/client/db/household.repository';
import type { PushOp } from '../../src/shared/protocol/sync.schema';
import type { Entity } from '../../src/shared/schemas/entities';

export const COMMUNE_CODE = '25942';
export const TEST_NOW = new Date('2026-11-24T02:30:00Z');

/** Ids that are valid UUID v7s and differ on every call, deterministically. */
export function sequentialIds(start = 1): () => string {
  let n = start;
  return () => {
    n += 1;
    const random = new Uint8Array(16);
    new DataView(random.buffer).setUint32(12, n);
    return uuidv7(TEST_NOW.getTime(), random);
  };
}

export function buildWriteContext(overrides: Partial<WriteContext> = {}): WriteContext {
  return { now: TEST_NOW, newId: sequentialIds(), communeCode: COMMUNE_CODE, ...overrides };
}

export function buildMember(overrides: Record<string, unknown> = {}) {
  return {
    fullName: 'Nguyễn Văn An',
    sex: 'nam',
    birthYear: 1980,
    relation: 'chu_ho',
    isWorker: true,
    literacy: 'biet_chu',
    cdhtGroup: 'nong_dan',
    ...overrides,
  };
}

/** A household of three: the head, his wife and their 12-year-old at school. */
export function buildHouseholdForm(
  villageId: string,
  overrides: Partial<HouseholdFormValues> = {},
): HouseholdFormValues {
  return {
    household: { villageId, address: 'Xóm 2', phone: '0912 345 678' },
    members: [
      buildMember(),
      buildMember({
        fullName: 'Trần Thị Bình',
        sex: 'nu',
        birthYear: 1983,
        relation: 'vo_chong',
        cdhtGroup: 'nong_dan',
      }),
      buildMember({
        fullName: 'Nguyễn Minh Châu',
        sex: 'nu',
        birthYear: 2014,
        relation: 'con',
        isWorker: false,
        schooling: 'dang_di_hoc',
        cdhtGroup: 'hoc_sinh',
      }),
    ],
    ...overrides,
  };
}

/** A record as a device holds it before its first sync (no server version yet); tests and bench alike. */
export function buildLocalRecord<T>(record: {
  id: string;
  data: T;
  at: number | Date;
  communeCode?: string;
}): LocalRecord<T> {
  const { id, data, at, communeCode = COMMUNE_CODE } = record;
  return { id, communeCode, data, deleted: 0, updatedAt: new Date(at).toISOString() };
}

export interface CreateOpFields {
  opId: string;
  entity: Entity;
  recordId: string;
  data: unknown;
  /** When the device made the change (ms or a Date). */
  at: number | Date;
  communeCode?: string;
}

/** A create as it waits in a device's outbox, never sent (its `seq` left to the store). */
export function buildOutboxCreate(op: CreateOpFields): OutboxOp {
  const { opId, entity, recordId, data, at, communeCode = COMMUNE_CODE } = op;
  const clientTime = new Date(at).toISOString();
  return { opId, entity, recordId, communeCode, kind: 'upsert', baseVersion: null, data, clientTime, attempts: 0 };
}

/** A create as a device sends it: an upsert on no base version, with its protocol `seq`. */
export function buildCreateOp(op: CreateOpFields & { seq: number }): PushOp {
  const { attempts: _attempts, opId, ...wire } = buildOutboxCreate(op);
  return { opId, seq: op.seq, ...wire };
}
