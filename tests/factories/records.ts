import { uuidv7 } from '../../src/shared/ids';
import type { WriteContext } from '../../src/client/db/write-context';
import type { HouseholdFormValues } from '../../src/client/db/household.repository';

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
