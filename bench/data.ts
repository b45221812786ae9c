/**
 * The bench's data, from seeded PRNGs (same options and seed → the same records), every `data`
 * the output of its shared zod schema, rows and ops built by the factories the tests use
 * (tests/factories/records.ts):
 *
 * - `generateRegister`: the demo register of the admin CLI's `seed` (src/server/admin/demo/) as the
 *   rows of the app's IndexedDB stores: realistic Vietnamese names, households of realistic sizes,
 *   clans, scored assessments; `searchText` and `subjectKey` built as the app builds them.
 * - `pushWorkload`: what one phone typed offline and has not sent: a few villages and many
 *   households of about 415 B of JSON each (head, address, phone, a realistic note), as records
 *   AND their outbox ops.
 * - `communeOps`: a whole commune (villages, households, citizens, clans of a register) as the
 *   push ops of one seeding device, for the server before a bootstrap.
 */
import type { AssessmentRow, HouseholdRow, LocalRecord, OutboxOp, SettingRow } from '../src/client/db/db';
import { searchTextOf } from '../src/client/db/household-search';
import { generateDemoRegister, type DemoOptions } from '../src/server/admin/demo/demo-register';
import {
  FAMILY_NAMES,
  FEMALE_GIVEN,
  FEMALE_MIDDLE,
  MALE_GIVEN,
  MALE_MIDDLE,
  PHONE_PREFIXES,
  STREETS,
  VILLAGES,
} from '../src/server/admin/demo/names';
import { Rng } from '../src/server/admin/demo/rng';
import { uuidv7 } from '../src/shared/ids';
import type { PushOp } from '../src/shared/protocol/sync.schema';
import type { CitizenData } from '../src/shared/schemas/citizen.schema';
import type { ClanData } from '../src/shared/schemas/clan.schema';
import type { Entity } from '../src/shared/schemas/entities';
import { householdSchema } from '../src/shared/schemas/household.schema';
import { villageSchema, type VillageData } from '../src/shared/schemas/village.schema';
import { buildCreateOp, buildLocalRecord, buildOutboxCreate } from '../tests/factories/records';

export const BENCH_COMMUNE = {
  communeCode: '25942',
  communeName: 'Phường Dĩ An',
  provinceCode: '79',
  provinceName: 'Thành phố Hồ Chí Minh',
} as const;
export const BENCH_COMMUNE_CODE = BENCH_COMMUNE.communeCode;

// ---------------------------------------------------------------------------------------------
// The register (on-device screens, bootstrap, counts)
// ---------------------------------------------------------------------------------------------

/** The benchmark's register: no units, one year, the two personal titles only. */
export type RegisterOptions = Omit<DemoOptions, 'extras' | 'exactClans'>;
type RegisterSize = Omit<RegisterOptions, 'seed' | 'year'>;
const SHARES = { familyAssessmentShare: 0.4, citizenAssessmentShare: 0.1 };
export const FULL_REGISTER: RegisterSize = { villages: 10, households: 5000, citizens: 20000, clans: 300, ...SHARES };
export const SMOKE_REGISTER: RegisterSize = { villages: 2, households: 50, citizens: 200, clans: 6, ...SHARES };

/** Rows per IndexedDB object store (store names = the Dexie table names). */
export interface RegisterRows {
  settings: SettingRow[];
  villages: LocalRecord<VillageData>[];
  households: HouseholdRow[];
  citizens: LocalRecord<CitizenData>[];
  clans: LocalRecord<ClanData>[];
  assessments: AssessmentRow[];
}
export const STORE_NAMES = ['settings', 'villages', 'households', 'citizens', 'clans', 'assessments'] as const;

export interface GeneratedRegister {
  options: RegisterOptions;
  rows: RegisterRows;
  /** household id → its members' full names (for checks of the household form). */
  memberNames: Map<string, string[]>;
}

export function generateRegister(options: RegisterOptions): GeneratedRegister {
  const demo = generateDemoRegister(options);
  const record = <T>({ id, data, ms }: { id: string; data: T; ms: number }) =>
    buildLocalRecord({ id, data, at: ms, communeCode: BENCH_COMMUNE_CODE });
  const setupAt = new Date(demo.setupMs).toISOString();
  const rows: RegisterRows = {
    settings: [
      { key: 'commune', value: { ...BENCH_COMMUNE }, updatedAt: setupAt },
      { key: 'workingYear', value: options.year, updatedAt: setupAt },
    ],
    villages: demo.villages.map(record),
    households: demo.households.map((h) => ({ ...record(h), searchText: searchTextOf(h.data) })),
    citizens: demo.citizens.map(record),
    clans: demo.clans.map(record),
    assessments: demo.assessments.map((a) => ({
      ...record(a),
      subjectKey: `${a.data.subjectId}|${a.data.title}|${a.data.year}`,
    })),
  };
  return { options, rows, memberNames: demo.memberNames };
}

export const countRows = (rows: RegisterRows) => STORE_NAMES.reduce((total, store) => total + rows[store].length, 0);

/**
 * The commune register as push ops of one seeding device, parents before children (villages,
 * households, citizens, clans), with seqs 1, 2, … Assessments are left out (not part of the goal).
 */
export function communeOps(register: GeneratedRegister, clientTime: string) {
  const { rows } = register;
  const ops: PushOp[] = [];
  const counts: Record<string, number> = {};
  const rng = new Rng(register.options.seed ^ 0x5eed);
  const at = Date.parse(clientTime);
  const add = (entity: Entity, records: readonly { id: string; data: unknown }[]) => {
    counts[entity] = records.length;
    for (const r of records) {
      const opId = uuidv7(at, rng.bytes(16));
      ops.push(buildCreateOp({ opId, seq: ops.length + 1, entity, recordId: r.id, data: r.data, at }));
    }
  };
  add('village', rows.villages);
  add('household', rows.households);
  add('citizen', rows.citizens);
  add('clan', rows.clans);
  return { ops, counts };
}

// ---------------------------------------------------------------------------------------------
// The upload: one phone's unsent households
// ---------------------------------------------------------------------------------------------

/** The demo register's name lists (src/server/admin/demo/names.ts), unweighted here. */
const FAMILY = FAMILY_NAMES.map(([name]) => name);
const MIDDLE = [...MALE_MIDDLE, ...FEMALE_MIDDLE].map(([name]) => name);
const GIVEN = [...MALE_GIVEN, ...FEMALE_GIVEN];
/** Note fragments a village officer would type; two or three of them make a note of 100–250 characters. */
const NOTE_PARTS = [
  'Chủ hộ làm công nhân khu công nghiệp Sóng Thần, vợ buôn bán nhỏ tại nhà.',
  'Hai con đang học trường THCS Dĩ An, một cháu học mẫu giáo gần nhà.',
  'Gia đình tham gia đều đặn sinh hoạt khuyến học của khu phố và đóng góp quỹ hằng năm.',
  'Hộ cận nghèo, được hỗ trợ học phí cho con năm học này.',
  'Ông bà ở cùng, thường xuyên đọc sách tại tủ sách cộng đồng của khu phố.',
  'Chủ hộ đang học lớp bổ túc văn hóa buổi tối tại trung tâm học tập cộng đồng.',
  'Gia đình có con đạt học sinh giỏi cấp tỉnh, được khen thưởng năm trước.',
  'Hộ tạm trú, làm nghề may gia công; cần vận động cho con đi học đúng tuổi.',
  'Vợ chồng tham gia lớp tin học cơ bản do phường tổ chức.',
  'Đã đăng ký danh hiệu Gia đình học tập, chờ khu phố họp bình xét cuối năm.',
] as const;

export interface PushWorkload {
  villages: LocalRecord<VillageData>[];
  households: HouseholdRow[];
  /** Outbox rows in creation order (villages first); `seq` is left to the store's key generator. */
  outbox: OutboxOp[];
  /** JSON bytes of each household's `data` (UTF-8). */
  householdDataBytes: { mean: number; min: number; max: number };
}

function parsed<T>(
  what: string,
  result: { success: true; data: T } | { success: false; error: { issues: unknown[] } },
) {
  if (!result.success)
    throw new Error(`generated ${what} fails its schema: ${JSON.stringify(result.error.issues).slice(0, 400)}`);
  return result.data;
}

/** `households` new households of ~415 B in `villages` new villages, all unsynced (no server version). */
export function pushWorkload(options: { seed: number; households: number; villages: number; startMs: number }) {
  const rng = new Rng(options.seed);
  let ms = options.startMs;
  const tick = () => (ms += rng.int(500, 20_000));
  const newId = (at: number) => uuidv7(at, rng.bytes(16));
  const workload: PushWorkload = {
    villages: [],
    households: [],
    outbox: [],
    householdDataBytes: { mean: 0, min: 0, max: 0 },
  };
  const add = <T>(entity: 'village' | 'household', at: number, data: T) => {
    const id = newId(at);
    workload.outbox.push(buildOutboxCreate({ opId: newId(at), entity, recordId: id, data, at }));
    return buildLocalRecord({ id, data, at, communeCode: BENCH_COMMUNE_CODE });
  };
  for (let v = 0; v < options.villages; v += 1) {
    const input = VILLAGES[v % VILLAGES.length];
    if (!input) throw new Error('no village');
    const name = v < VILLAGES.length ? input.name : `${input.name} ${v}`;
    const at = tick();
    workload.villages.push(add('village', at, parsed('village', villageSchema.safeParse({ ...input, name }))));
  }
  const sizes: number[] = [];
  for (let h = 0; h < options.households; h += 1) {
    const at = tick();
    // The record's id comes from the PRNG before the rest of the household, as it always has.
    const id = newId(at);
    const village = workload.villages[rng.int(0, workload.villages.length - 1)];
    if (!village) throw new Error('no village');
    let phone: string | undefined;
    if (rng.chance(0.75)) {
      phone = rng.pick(PHONE_PREFIXES);
      for (let i = 0; i < 7; i += 1) phone += String(rng.int(0, 9));
    }
    const parts = new Set<string>();
    const noteParts = rng.chance(0.5) ? 2 : 3;
    while (parts.size < noteParts) parts.add(rng.pick(NOTE_PARTS));
    const input = {
      villageId: village.id,
      headName: `${rng.pick(FAMILY)} ${rng.pick(MIDDLE)} ${rng.pick(GIVEN)}`,
      address: rng.chance(0.4)
        ? `Số ${rng.int(1, 480)}/${rng.int(1, 60)}, ${rng.pick(STREETS)}, ${village.data.name}`
        : `Số ${rng.int(1, 480)}, ${rng.pick(STREETS)}, ${village.data.name}`,
      phone,
      notes: [...parts].join(' '),
    };
    const data = parsed('household', householdSchema.safeParse(input));
    sizes.push(Buffer.byteLength(JSON.stringify(data)));
    const record = buildLocalRecord({ id, data, at, communeCode: BENCH_COMMUNE_CODE });
    workload.households.push({ ...record, searchText: searchTextOf(data) });
    workload.outbox.push(buildOutboxCreate({ opId: newId(at), entity: 'household', recordId: id, data, at }));
  }
  const total = sizes.reduce((a, b) => a + b, 0);
  workload.householdDataBytes = {
    mean: sizes.length ? Math.round(total / sizes.length) : 0,
    min: Math.min(...sizes),
    max: Math.max(...sizes),
  };
  return workload;
}
