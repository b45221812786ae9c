/**
 * Deterministic register generator for the on-device benchmark: villages, households with their
 * members, clans and assessments of one commune, as rows ready for the app's IndexedDB stores
 * (same shapes as src/client/db/db.ts). Same options and seed → byte-identical rows.
 *
 * Every record's `data` is the output of its shared zod schema (the generator parses what it
 * builds, as the app's repositories do), so the rows are exactly what the app would have stored.
 */
import { currentCriteriaSet } from '../src/domain/criteria/registry';
import type { CriteriaSet } from '../src/domain/criteria/criteria-set';
import { deriveHouseholdInputs, isSchoolAge } from '../src/domain/derived/derived-inputs';
import { scoreAssessment, type ScoringContext } from '../src/domain/scoring/score-assessment';
import type { AssessmentRow, HouseholdRow, LocalRecord, SettingRow } from '../src/client/db/db';
import { uuidv7 } from '../src/shared/ids';
import { buildAssessmentSchema, type AnswerInput, type AssessmentData, type Title } from '../src/shared/schemas/assessment.schema';
import {
  buildCitizenSchema,
  type CdhtGroup,
  type CitizenData,
  type CitizenInput,
  type Relation,
  type SchoolingState,
} from '../src/shared/schemas/citizen.schema';
import { clanSchema, type ClanData } from '../src/shared/schemas/clan.schema';
import { householdSchema, type HouseholdData } from '../src/shared/schemas/household.schema';
import { villageSchema, type VillageData, type VillageInput } from '../src/shared/schemas/village.schema';
import { foldForSearch } from '../src/shared/text/fold';

// ---------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------

/** mulberry32: a tiny, fast 32-bit PRNG; good enough for test data, fully reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    const last = items[items.length - 1];
    if (!last) throw new Error('weighted pick from an empty list');
    return last[0];
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 1) out[i] = Math.floor(this.next() * 256);
    return out;
  }
}

/** Zipf-like weights: earlier names in a list are more common, the last ones rare. */
function zipf<T>(items: readonly T[], exponent = 1): (readonly [T, number])[] {
  return items.map((item, i) => [item, 1 / Math.pow(i + 1, exponent)] as const);
}

// ---------------------------------------------------------------------------------------------
// Vietnamese names and places (NFC, correct diacritics)
// ---------------------------------------------------------------------------------------------

/** Family names with rough national shares (%); the south writes Huỳnh/Võ where the north writes Hoàng/Vũ. */
const FAMILY_NAMES: readonly (readonly [string, number])[] = [
  ['Nguyễn', 38],
  ['Trần', 11],
  ['Lê', 9.5],
  ['Phạm', 7],
  ['Huỳnh', 3],
  ['Hoàng', 2],
  ['Phan', 4.5],
  ['Võ', 2.5],
  ['Vũ', 1.4],
  ['Đặng', 2.1],
  ['Bùi', 2],
  ['Đỗ', 1.4],
  ['Hồ', 1.3],
  ['Ngô', 1.3],
  ['Dương', 1],
  ['Lý', 0.5],
];

const MALE_MIDDLE: readonly (readonly [string, number])[] = [
  ['Văn', 40],
  ['Minh', 10],
  ['Đức', 8],
  ['Hữu', 7],
  ['Thanh', 6],
  ['Quốc', 5],
  ['Công', 5],
  ['Ngọc', 4],
  ['Hoàng', 3],
  ['Xuân', 2],
];
const FEMALE_MIDDLE: readonly (readonly [string, number])[] = [
  ['Thị', 55],
  ['Ngọc', 10],
  ['Thanh', 8],
  ['Thu', 6],
  ['Kim', 5],
  ['Minh', 4],
  ['Mỹ', 4],
  ['Bích', 3],
  ['Hồng', 3],
  ['Bảo', 2],
];
/** Middle names of children born since 2000: fewer Văn/Thị. */
const BOY_MIDDLE: readonly (readonly [string, number])[] = [
  ['Văn', 12],
  ['Minh', 12],
  ['Gia', 10],
  ['Quốc', 8],
  ['Đức', 8],
  ['Anh', 6],
  ['Hoàng', 6],
  ['Nhật', 5],
  ['Thành', 4],
  ['Bảo', 4],
];
const GIRL_MIDDLE: readonly (readonly [string, number])[] = [
  ['Thị', 14],
  ['Ngọc', 12],
  ['Bảo', 10],
  ['Khánh', 8],
  ['Minh', 8],
  ['Gia', 6],
  ['Thảo', 5],
  ['Phương', 5],
  ['Thanh', 4],
  ['Kim', 4],
];
const MALE_GIVEN = [
  'Hùng', 'Dũng', 'Tuấn', 'Minh', 'Nam', 'Hải', 'Long', 'Sơn', 'Thắng', 'Cường', 'Hưng', 'Phong', 'Quang', 'Trung', 'Tâm',
  'Thành', 'Bình', 'An', 'Huy', 'Khang', 'Phúc', 'Đức', 'Vinh', 'Tài', 'Toàn', 'Tùng', 'Việt', 'Lâm', 'Hiếu', 'Nghĩa',
  'Khánh', 'Quân', 'Kiên', 'Đạt', 'Lộc', 'Thịnh', 'Nhân', 'Trí', 'Khoa', 'Bảo', 'Đông', 'Thiện', 'Khôi', 'Hoàng', 'Tín',
  'Luân', 'Thuận', 'Sang', 'Phát', 'Hòa', 'Lợi', 'Nhựt', 'Tường', 'Quyết', 'Khiêm', 'Triều', 'Duy', 'Vỹ', 'Kha', 'Thoại',
] as const;
const FEMALE_GIVEN = [
  'Lan', 'Hương', 'Hoa', 'Mai', 'Linh', 'Trang', 'Hằng', 'Thảo', 'Ngọc', 'Hà', 'Phương', 'Thủy', 'Anh', 'Dung', 'Hạnh',
  'Nga', 'Vân', 'Yến', 'Nhung', 'Loan', 'Hiền', 'Thu', 'Hồng', 'Liên', 'Chi', 'My', 'Vy', 'Uyên', 'Giang', 'Trinh',
  'Ngân', 'Hoài', 'Tuyết', 'Xuân', 'Bích', 'Oanh', 'Quyên', 'Duyên', 'Châu', 'Diệp', 'Huệ', 'Thoa', 'Khuê', 'Nguyệt', 'Lụa',
  'Thắm', 'Ánh', 'Kiều', 'Cúc', 'Đào', 'Nhàn', 'Phượng', 'Sương', 'Tiên', 'Trâm', 'Xuyến', 'Hậu', 'Mơ', 'Sen', 'Thơ',
] as const;

/** Khu phố of a ward in Thành phố Hồ Chí Minh (formerly Bình Dương), plus a few rural names. */
const VILLAGES: readonly VillageInput[] = [
  { name: 'Khu phố Nhị Đồng 1', kind: 'khu_pho', code: 'KP01' },
  { name: 'Khu phố Nhị Đồng 2', kind: 'khu_pho', code: 'KP02' },
  { name: 'Khu phố Bình Minh 1', kind: 'khu_pho', code: 'KP03' },
  { name: 'Khu phố Bình Minh 2', kind: 'khu_pho', code: 'KP04' },
  { name: 'Khu phố Thống Nhất', kind: 'khu_pho', code: 'KP05' },
  { name: 'Tổ dân phố 3', kind: 'to_dan_pho', code: 'TDP03' },
  { name: 'Tổ dân phố Chiêu Liêu', kind: 'to_dan_pho', code: 'TDP06' },
  { name: 'Thôn Đông', kind: 'thon', code: 'TD' },
  { name: 'Thôn Tây', kind: 'thon', code: 'TT' },
  { name: 'Ấp Tân Hòa', kind: 'ap', code: 'ATH', isDisadvantagedArea: true },
  { name: 'Ấp Đông Chiêu', kind: 'ap', code: 'ADC' },
  { name: 'Khu phố Tân Long', kind: 'khu_pho', code: 'KP12' },
];

const STREETS = [
  'đường Nguyễn An Ninh', 'đường Trần Hưng Đạo', 'đường Lý Thường Kiệt', 'đường Cô Bắc', 'đường Cô Giang', 'đường Số 9',
  'đường Lê Hồng Phong', 'đường Nguyễn Trãi', 'đường Trần Quốc Toản', 'đường Đông Minh', 'đường Truông Tre',
  'đường Nguyễn Thị Minh Khai', 'đường Bà Giang', 'đường Hai Bà Trưng', 'đường Lý Tự Trọng', 'đường Nguyễn Du',
  'đường Mỹ Phước – Tân Vạn', 'đường Nguyễn Văn Tiết', 'đường Ngô Thì Nhậm', 'đường Thống Nhất',
] as const;
const PHONE_PREFIXES = ['090', '091', '093', '094', '096', '097', '098', '032', '033', '034', '035', '036', '037', '038', '039', '070', '076', '077', '078', '079', '081', '083', '084', '085', '086', '088', '089'] as const;
const HOUSEHOLD_NOTES = ['Hộ cận nghèo', 'Gia đình chính sách', 'Hộ tạm trú, làm công nhân khu công nghiệp', 'Có người khuyết tật', 'Hộ nghèo năm trước, đã thoát nghèo'] as const;
const ETHNICITIES: readonly (readonly [string, number])[] = [
  ['Kinh', 92],
  ['Hoa', 4],
  ['Khmer', 2],
  ['Tày', 1],
  ['Chăm', 1],
];

// ---------------------------------------------------------------------------------------------
// Options and output
// ---------------------------------------------------------------------------------------------

export const BENCH_COMMUNE = {
  communeCode: '25942',
  communeName: 'Phường Dĩ An',
  provinceCode: '79',
  provinceName: 'Thành phố Hồ Chí Minh',
} as const;

export interface RegisterOptions {
  seed: number;
  /** The working year: birth years and assessments are relative to it. */
  year: number;
  villages: number;
  households: number;
  citizens: number;
  clans: number;
  /** Share of households with a Gia đình học tập assessment for `year`. */
  familyAssessmentShare: number;
  /** Share of working adults with a Công dân học tập assessment for `year`. */
  citizenAssessmentShare: number;
}

export const FULL_REGISTER: Omit<RegisterOptions, 'seed' | 'year'> = {
  villages: 10,
  households: 5000,
  citizens: 20000,
  clans: 300,
  familyAssessmentShare: 0.4,
  citizenAssessmentShare: 0.1,
};

export const SMOKE_REGISTER: Omit<RegisterOptions, 'seed' | 'year'> = {
  villages: 2,
  households: 50,
  citizens: 200,
  clans: 6,
  familyAssessmentShare: 0.4,
  citizenAssessmentShare: 0.1,
};

export type VillageRow = LocalRecord<VillageData>;
export type CitizenRow = LocalRecord<CitizenData>;
export type ClanRow = LocalRecord<ClanData>;

/** Rows per IndexedDB object store (store names = the Dexie table names). */
export interface RegisterRows {
  settings: SettingRow[];
  villages: VillageRow[];
  households: HouseholdRow[];
  citizens: CitizenRow[];
  clans: ClanRow[];
  assessments: AssessmentRow[];
}
export type StoreName = keyof RegisterRows;
export const STORE_NAMES: readonly StoreName[] = ['settings', 'villages', 'households', 'citizens', 'clans', 'assessments'];

export interface GeneratedRegister {
  options: RegisterOptions;
  rows: RegisterRows;
  /** household id → its members' full names (for checks of the household form). */
  memberNames: Map<string, string[]>;
}

// ---------------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------------

interface Person {
  fullName: string;
  familyName: string;
  middleName: string;
  sex: 'nam' | 'nu';
  age: number;
  relation: Relation;
}

interface NameParts {
  familyName: string;
  middleName: string;
  fullName: string;
}

/** Fixed clock for ids and timestamps: the data look entered during the year before `year`. */
class Clock {
  private ms: number;
  constructor(year: number) {
    this.ms = Date.UTC(year - 1, 2, 1, 1, 0, 0);
  }
  tick(rng: Rng): number {
    this.ms += rng.int(1_000, 240_000);
    return this.ms;
  }
}

function householdSizes(rng: Rng, households: number, citizens: number): number[] {
  const dist: (readonly [number, number])[] = [
    [1, 5],
    [2, 12],
    [3, 20],
    [4, 28],
    [5, 20],
    [6, 10],
    [7, 5],
  ];
  const sizes = Array.from({ length: households }, () => rng.weighted(dist));
  let total = sizes.reduce((a, b) => a + b, 0);
  // Nudge random households until the citizen count is exact (bounded: each step moves by 1).
  const maxSteps = households * 20 + Math.abs(citizens - total) * 4;
  for (let step = 0; total !== citizens && step < maxSteps; step += 1) {
    const i = rng.int(0, households - 1);
    const size = sizes[i] ?? 1;
    if (total < citizens && size < 9) {
      sizes[i] = size + 1;
      total += 1;
    } else if (total > citizens && size > 1) {
      sizes[i] = size - 1;
      total -= 1;
    }
  }
  if (total !== citizens) throw new Error(`cannot place ${citizens} citizens in ${households} households`);
  return sizes;
}

function name(rng: Rng, sex: 'nam' | 'nu', generation: 'adult' | 'child', familyName?: string): NameParts {
  const family = familyName ?? rng.weighted(FAMILY_NAMES);
  const middle = rng.weighted(sex === 'nam' ? (generation === 'child' ? BOY_MIDDLE : MALE_MIDDLE) : generation === 'child' ? GIRL_MIDDLE : FEMALE_MIDDLE);
  const given = rng.weighted(zipf(sex === 'nam' ? MALE_GIVEN : FEMALE_GIVEN, 0.9));
  return { familyName: family, middleName: middle, fullName: `${family} ${middle} ${given}` };
}

function person(parts: NameParts, sex: 'nam' | 'nu', age: number, relation: Relation): Person {
  return { ...parts, sex, age: Math.max(0, age), relation };
}

/** The members of one household of `size` people: head first. */
function composeHousehold(rng: Rng, size: number): Person[] {
  const headSex = rng.chance(0.78) ? 'nam' : 'nu';
  const otherSex = headSex === 'nam' ? 'nu' : 'nam';
  if (size === 1) return [person(name(rng, headSex, 'adult'), headSex, rng.int(22, 88), 'chu_ho')];

  const profile = rng.weighted([
    ['young', 50],
    ['middle', 30],
    ['elder', 20],
  ] as const);
  const headAge = profile === 'young' ? rng.int(24, 45) : profile === 'middle' ? rng.int(46, 60) : rng.int(61, 86);
  const head = person(name(rng, headSex, 'adult'), headSex, headAge, 'chu_ho');
  const members: Person[] = [head];
  const hasSpouse = rng.chance(profile === 'elder' ? 0.8 : 0.9);
  if (hasSpouse) members.push(person(name(rng, otherSex, 'adult'), otherSex, headAge + rng.int(-6, 4), 'vo_chong'));
  const father = headSex === 'nam' ? head : (members.find((m) => m.relation === 'vo_chong') ?? head);
  const childFamily = father.familyName;

  if (profile === 'young' && size - members.length >= 3 && rng.chance(0.5)) {
    // The head's parents live with them: the children's grandparents.
    const grandparents = rng.chance(0.5) ? 2 : 1;
    for (let i = 0; i < grandparents; i += 1) {
      const sex = i === 0 && rng.chance(0.5) ? 'nam' : 'nu';
      const parts = sex === 'nam' && headSex === 'nam' ? name(rng, 'nam', 'adult', head.familyName) : name(rng, sex, 'adult');
      members.push(person(parts, sex, headAge + rng.int(22, 32), 'cha_me'));
    }
  }
  if (profile === 'elder') {
    // An adult child with their own children (the head's grandchildren).
    if (members.length < size) {
      const sex = rng.chance(0.6) ? 'nam' : 'nu';
      const child = person(name(rng, sex, 'adult', childFamily), sex, headAge - rng.int(22, 34), 'con');
      members.push(child);
      if (members.length < size && rng.chance(0.7)) {
        const inLawSex = sex === 'nam' ? 'nu' : 'nam';
        members.push(person(name(rng, inLawSex, 'adult'), inLawSex, child.age + rng.int(-4, 4), 'khac'));
      }
      const grandchildFamily = sex === 'nam' ? childFamily : (members.find((m) => m.relation === 'khac')?.familyName ?? childFamily);
      while (members.length < size) {
        const gsex = rng.chance(0.5) ? 'nam' : 'nu';
        members.push(person(name(rng, gsex, 'child', grandchildFamily), gsex, Math.max(0, child.age - rng.int(20, 34)), 'chau'));
      }
    }
    return members;
  }
  // Children of the head.
  const motherAge = headSex === 'nu' ? headAge : (members.find((m) => m.relation === 'vo_chong')?.age ?? headAge - 3);
  while (members.length < size) {
    const sex = rng.chance(0.51) ? 'nam' : 'nu';
    const age = Math.max(0, motherAge - rng.int(19, 38));
    const relation: Relation = profile === 'middle' && age < 8 && rng.chance(0.5) ? 'chau' : 'con';
    members.push(person(name(rng, sex, age >= 25 ? 'adult' : 'child', childFamily), sex, age, relation));
  }
  return members;
}

function schoolingFor(rng: Rng, age: number): SchoolingState | undefined {
  if (age <= 5) return age >= 3 || rng.chance(0.5) ? 'chua_den_tuoi' : undefined;
  if (age <= 17) return rng.weighted([['dang_di_hoc', 96], ['bo_hoc', 3], [undefined, 1]] as const);
  if (age <= 22) return rng.chance(0.45) ? 'dang_di_hoc' : 'da_tot_nghiep';
  return rng.chance(0.4) ? 'da_tot_nghiep' : undefined;
}

function citizenInput(rng: Rng, p: Person, year: number, householdId: string): CitizenInput {
  const schooling = p.relation === 'con' || p.relation === 'chau' || p.age <= 22 ? schoolingFor(rng, p.age) : undefined;
  const studying = schooling === 'dang_di_hoc';
  const isWorker = p.age >= 18 && p.age <= 60 && !studying && rng.chance(0.85);
  let cdhtGroup: CdhtGroup | undefined;
  if (isWorker) cdhtGroup = rng.weighted([['nong_dan', 25], ['cong_nhan', 50], ['can_bo', 25]] as const);
  else if (studying && p.age >= 10) cdhtGroup = 'hoc_sinh';
  const literacy = p.age < 6 ? 'khong_ro' : p.age >= 70 && rng.chance(0.08) ? 'chua_biet_chu' : rng.chance(0.97) ? 'biet_chu' : 'khong_ro';
  return {
    fullName: p.fullName,
    sex: p.sex,
    birthYear: year - p.age,
    relation: p.relation,
    isWorker,
    schooling,
    literacy,
    cdhtGroup,
    ethnicity: rng.weighted(ETHNICITIES),
    householdId,
  };
}

function address(rng: Rng, streets: readonly string[]): string {
  const street = rng.pick(streets);
  const number = rng.int(1, 480);
  if (rng.chance(0.35)) return `Số ${number}/${rng.int(1, 60)}, ${street}`;
  if (rng.chance(0.15)) return `Hẻm ${rng.int(2, 90)}, ${street}`;
  return `Số ${number}, ${street}`;
}

function phone(rng: Rng): string | undefined {
  if (!rng.chance(0.7)) return undefined;
  let digits = rng.pick(PHONE_PREFIXES);
  for (let i = 0; i < 7; i += 1) digits += String(rng.int(0, 9));
  // Some typed with spaces or dots; the schema strips them.
  return rng.chance(0.2) ? `${digits.slice(0, 4)} ${digits.slice(4, 7)} ${digits.slice(7)}` : digits;
}

function points(rng: Rng, quality: number, max: number): number {
  return Math.min(max, Math.max(0, Math.round(quality + (rng.float() - 0.5) * 3)));
}

function isoDay(year: number, rng: Rng): string {
  const month = rng.int(1, 3);
  return `${year}-${String(month).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
}

function familyAnswers(rng: Rng, set: CriteriaSet, hasSchoolAgeChildren: boolean): Record<string, AnswerInput> {
  const quality = 5.5 + rng.float() * 4.5;
  const answers: Record<string, AnswerInput> = {};
  for (const group of set.groups) {
    for (const c of group.criteria) {
      if (c.kind === 'points') {
        answers[c.id] = c.allowNotApplicable && !hasSchoolAgeChildren && group.id === 'tc1' ? { value: 'na' } : { points: points(rng, quality, c.maxPoints) };
      } else if (c.kind === 'disqualifier' || c.kind === 'check') {
        answers[c.id] = { value: rng.chance(0.97) ? 'pass' : 'fail' };
      }
    }
  }
  return answers;
}

function citizenAnswers(rng: Rng, set: CriteriaSet): Record<string, AnswerInput> {
  const quality = 6 + rng.float() * 4;
  const answers: Record<string, AnswerInput> = {};
  for (const group of set.groups) {
    for (const c of group.criteria) if (c.kind === 'points') answers[c.id] = { points: points(rng, quality, c.maxPoints) };
  }
  return answers;
}

function parseOrThrow<T>(what: string, result: { success: true; data: T } | { success: false; error: { issues: unknown[] } }): T {
  if (!result.success) throw new Error(`generated ${what} fails its schema: ${JSON.stringify(result.error.issues).slice(0, 500)}`);
  return result.data;
}

export function generateRegister(options: RegisterOptions): GeneratedRegister {
  const rng = new Rng(options.seed);
  const clock = new Clock(options.year);
  const communeCode = BENCH_COMMUNE.communeCode;
  const citizenSchema = buildCitizenSchema(options.year);
  const assessmentSchema = buildAssessmentSchema(options.year);
  const familySet = currentCriteriaSet('learning_family', options.year);
  const citizenSet = currentCriteriaSet('learning_citizen', options.year);
  if (!familySet || !citizenSet) throw new Error(`no criteria set in force for ${options.year}`);

  const record = <T>(id: string, data: T, ms: number): LocalRecord<T> => ({
    id,
    communeCode,
    data,
    version: null,
    deleted: 0,
    updatedAt: new Date(ms).toISOString(),
  });
  const newId = (ms: number) => uuidv7(ms, rng.bytes(16));

  const rows: RegisterRows = { settings: [], villages: [], households: [], citizens: [], clans: [], assessments: [] };
  const memberNames = new Map<string, string[]>();
  const setupMs = clock.tick(rng);
  rows.settings.push(
    { key: 'commune', value: { ...BENCH_COMMUNE }, updatedAt: new Date(setupMs).toISOString() },
    { key: 'workingYear', value: options.year, updatedAt: new Date(setupMs).toISOString() },
  );

  // Villages, each with a few streets and a size weight (some khu phố are much bigger).
  const villageCount = Math.min(options.villages, VILLAGES.length);
  const villageStreets: string[][] = [];
  const villageWeights: number[] = [];
  for (let v = 0; v < villageCount; v += 1) {
    const ms = clock.tick(rng);
    const input = VILLAGES[v];
    if (!input) throw new Error('village list too short');
    rows.villages.push(record(newId(ms), parseOrThrow('village', villageSchema.safeParse(input)), ms));
    villageStreets.push(Array.from({ length: 4 }, () => rng.pick(STREETS)));
    villageWeights.push(0.75 + rng.float() * 0.5);
  }
  // Households per village: proportional to the weights, exact total.
  const weightSum = villageWeights.reduce((a, b) => a + b, 0);
  const perVillage = villageWeights.map((w) => Math.floor((options.households * w) / weightSum));
  for (let i = 0; perVillage.reduce((a, b) => a + b, 0) < options.households; i += 1) perVillage[i % villageCount] = (perVillage[i % villageCount] ?? 0) + 1;

  const sizes = householdSizes(rng, options.households, options.citizens);
  const membersByHousehold = new Map<string, CitizenData[]>();
  const headParts = new Map<string, { villageIndex: number; familyName: string; middleName: string; head: string; headAge: number }>();
  let householdIndex = 0;
  for (let v = 0; v < villageCount; v += 1) {
    const village = rows.villages[v];
    if (!village) continue;
    for (let k = 0; k < (perVillage[v] ?? 0); k += 1, householdIndex += 1) {
      const ms = clock.tick(rng);
      const householdId = newId(ms);
      const people = composeHousehold(rng, sizes[householdIndex] ?? 1);
      const head = people[0];
      if (!head) throw new Error('household without members');
      const citizens: CitizenData[] = [];
      for (const p of people) {
        const cms = ms + citizens.length + 1;
        const data = parseOrThrow('citizen', citizenSchema.safeParse(citizenInput(rng, p, options.year, householdId)));
        citizens.push(data);
        rows.citizens.push(record(newId(cms), data, cms));
      }
      const notes = rng.chance(0.05) ? rng.pick(HOUSEHOLD_NOTES) : undefined;
      const data: HouseholdData = parseOrThrow(
        'household',
        householdSchema.safeParse({ villageId: village.id, headName: head.fullName, address: address(rng, villageStreets[v] ?? STREETS), phone: phone(rng), notes }),
      );
      const names = citizens.map((c) => c.fullName);
      const searchText = foldForSearch([data.headName, data.address ?? '', data.phone ?? '', ...names].join(' '));
      rows.households.push({ ...record(householdId, data, ms + people.length + 1), searchText });
      memberNames.set(householdId, names);
      membersByHousehold.set(householdId, citizens);
      headParts.set(householdId, { villageIndex: v, familyName: head.familyName, middleName: head.middleName, head: head.fullName, headAge: head.age });
    }
  }

  // Clans: in each village, the most common family + middle names of heads ("Họ Nguyễn Văn").
  const clansPerVillage = Math.ceil(options.clans / Math.max(1, villageCount));
  for (let v = 0; v < villageCount && rows.clans.length < options.clans; v += 1) {
    const village = rows.villages[v];
    if (!village) continue;
    const groups = new Map<string, { households: string[]; elder: string; elderAge: number }>();
    for (const [id, h] of headParts) {
      if (h.villageIndex !== v) continue;
      const key = `${h.familyName} ${h.middleName}`;
      const g = groups.get(key) ?? { households: [], elder: h.head, elderAge: -1 };
      g.households.push(id);
      if (h.headAge > g.elderAge) {
        g.elder = h.head;
        g.elderAge = h.headAge;
      }
      groups.set(key, g);
    }
    const ranked = [...groups].sort((a, b) => b[1].households.length - a[1].households.length || a[0].localeCompare(b[0], 'vi'));
    for (const [key, g] of ranked.slice(0, clansPerVillage)) {
      if (rows.clans.length >= options.clans) break;
      const ms = clock.tick(rng);
      const hasStudyFund = rng.chance(0.4);
      const data = parseOrThrow(
        'clan',
        clanSchema.safeParse({
          name: `Họ ${key}`,
          headName: g.elder,
          villageIds: [village.id],
          memberHouseholdIds: g.households,
          hasStudyBoard: rng.chance(0.6),
          hasStudyFund,
          studyFundAmount: hasStudyFund ? rng.int(10, 100) * 500_000 : undefined,
        }),
      );
      rows.clans.push(record(newId(ms), data, ms));
    }
  }
  if (rows.clans.length < options.clans) throw new Error(`only ${rows.clans.length} clans for ${options.clans} asked: too few households per village`);

  // Assessments: Gia đình học tập for some households, Công dân học tập for some workers.
  const addAssessment = (title: Title, subjectType: 'household' | 'citizen', subjectId: string, set: CriteriaSet, answers: Record<string, AnswerInput>, context: ScoringContext) => {
    const ms = clock.tick(rng);
    const data: AssessmentData = parseOrThrow(
      'assessment',
      assessmentSchema.safeParse({
        subjectType,
        subjectId,
        title,
        year: options.year,
        criteriaSetId: set.id,
        criteriaSetVersion: set.version,
        answers,
        registeredOn: isoDay(options.year, rng),
        result: scoreAssessment(set, answers, context),
        status: rng.chance(0.3) ? 'proposed' : 'draft',
      }),
    );
    rows.assessments.push({ ...record(newId(ms), data, ms), subjectKey: `${subjectId}|${title}|${options.year}` });
  };
  const villageDisadvantaged = new Map(rows.villages.map((v) => [v.id, v.data.isDisadvantagedArea]));
  for (const h of rows.households) {
    if (!rng.chance(options.familyAssessmentShare)) continue;
    const members = membersByHousehold.get(h.id) ?? [];
    const hasSchoolAge = members.some((m) => isSchoolAge(m, options.year));
    const context: ScoringContext = { isDisadvantagedArea: villageDisadvantaged.get(h.data.villageId) ?? false, derived: { ...deriveHouseholdInputs(members, options.year) } };
    addAssessment('learning_family', 'household', h.id, familySet, familyAnswers(rng, familySet, hasSchoolAge), context);
  }
  const householdVillage = new Map(rows.households.map((h) => [h.id, h.data.villageId]));
  for (const c of rows.citizens) {
    if (!c.data.isWorker || !rng.chance(options.citizenAssessmentShare)) continue;
    const villageId = householdVillage.get(c.data.householdId);
    const context: ScoringContext = { isDisadvantagedArea: (villageId && villageDisadvantaged.get(villageId)) || false, derived: {} };
    addAssessment('learning_citizen', 'citizen', c.id, citizenSet, citizenAnswers(rng, citizenSet), context);
  }

  return { options, rows, memberNames };
}

export function countRows(rows: RegisterRows): number {
  return STORE_NAMES.reduce((sum, store) => sum + rows[store].length, 0);
}
