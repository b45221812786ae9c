/**
 * Register for the on-device benchmark: the demo register of the admin CLI's `seed`
 * (src/server/admin/demo/), as rows ready for the app's IndexedDB stores (same shapes as
 * src/client/db/db.ts). Same options and seed → byte-identical rows.
 *
 * Every record's `data` is the output of its shared zod schema (the generator parses what it
 * builds, as the app's repositories do), so the rows are exactly what the app would have stored.
 */
import type { AssessmentRow, HouseholdRow, LocalRecord, SettingRow } from '../src/client/db/db';
import { generateDemoRegister, type DemoOptions, type DemoRecord } from '../src/server/admin/demo/demo-register';
import type { CitizenData } from '../src/shared/schemas/citizen.schema';
import type { ClanData } from '../src/shared/schemas/clan.schema';
import type { VillageData } from '../src/shared/schemas/village.schema';
import { searchTextOf } from '../src/client/db/household-search';

export const BENCH_COMMUNE = {
  communeCode: '25942',
  communeName: 'Phường Dĩ An',
  provinceCode: '79',
  provinceName: 'Thành phố Hồ Chí Minh',
} as const;

/** The benchmark's register: no units, one year, the two personal titles only. */
export type RegisterOptions = Omit<DemoOptions, 'extras' | 'exactClans'>;

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
export const STORE_NAMES: readonly StoreName[] = [
  'settings',
  'villages',
  'households',
  'citizens',
  'clans',
  'assessments',
];

export interface GeneratedRegister {
  options: RegisterOptions;
  rows: RegisterRows;
  /** household id → its members' full names (for checks of the household form). */
  memberNames: Map<string, string[]>;
}

export function generateRegister(options: RegisterOptions): GeneratedRegister {
  const demo = generateDemoRegister(options);
  const communeCode = BENCH_COMMUNE.communeCode;
  const record = <T>({ id, data, ms }: DemoRecord<T>): LocalRecord<T> => ({
    id,
    communeCode,
    data,
    deleted: 0,
    updatedAt: new Date(ms).toISOString(),
  });
  const setupAt = new Date(demo.setupMs).toISOString();
  const rows: RegisterRows = {
    settings: [
      { key: 'commune', value: { ...BENCH_COMMUNE }, updatedAt: setupAt },
      { key: 'workingYear', value: options.year, updatedAt: setupAt },
    ],
    villages: demo.villages.map(record),
    // searchText and subjectKey are built exactly as the app builds them.
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

export function countRows(rows: RegisterRows): number {
  return STORE_NAMES.reduce((sum, store) => sum + rows[store].length, 0);
}
