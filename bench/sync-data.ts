/**
 * Data for the sync benchmark (bench/sync-bench.ts), built from a seeded PRNG so the same seed
 * always gives the same records:
 *
 * - `pushWorkload`: what one phone has typed offline and not sent yet: a few villages and many
 *   households of about 400 B of data each (head, address, phone, a realistic note), as the rows
 *   of the app's IndexedDB stores (records AND their outbox ops, same shapes as
 *   src/client/db/db.ts). Every `data` is the output of the shared zod schema.
 * - `communeOps`: a whole commune (villages, households, citizens, clans from the register
 *   generator) as push ops, for a seeding device to send to the server before a bootstrap.
 */
import type { HouseholdRow, LocalRecord, OutboxOp } from '../src/client/db/db';
import { uuidv7 } from '../src/shared/ids';
import type { PushOp } from '../src/shared/protocol/sync.schema';
import { householdSchema, type HouseholdData } from '../src/shared/schemas/household.schema';
import { villageSchema, type VillageData } from '../src/shared/schemas/village.schema';
import { foldForSearch } from '../src/shared/text/fold';
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
import type { GeneratedRegister } from './generate-register';

export const BENCH_COMMUNE_CODE = '25942';

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

const PUSH_VILLAGES = VILLAGES;

export interface PushWorkload {
  villages: LocalRecord<VillageData>[];
  households: HouseholdRow[];
  /** Outbox rows in creation order (villages first); `seq` is left to the store's key generator. */
  outbox: OutboxOp[];
  /** JSON bytes of each household's `data` (UTF-8). */
  householdDataBytes: { mean: number; min: number; max: number };
}

function parse<T>(
  what: string,
  result: { success: true; data: T } | { success: false; error: { issues: unknown[] } },
): T {
  if (!result.success)
    throw new Error(`generated ${what} fails its schema: ${JSON.stringify(result.error.issues).slice(0, 400)}`);
  return result.data;
}

/** `households` new households of ~400 B in `villages` new villages, all unsynced (version null). */
export function pushWorkload(options: {
  seed: number;
  households: number;
  villages: number;
  startMs: number;
}): PushWorkload {
  const rng = new Rng(options.seed);
  let ms = options.startMs;
  const tick = () => (ms += rng.int(500, 20_000));
  const newId = (at: number) => uuidv7(at, rng.bytes(16));
  const villages: LocalRecord<VillageData>[] = [];
  const households: HouseholdRow[] = [];
  const outbox: OutboxOp[] = [];
  const op = (entity: 'village' | 'household', recordId: string, data: unknown, at: number): OutboxOp => ({
    opId: newId(at),
    entity,
    recordId,
    communeCode: BENCH_COMMUNE_CODE,
    kind: 'upsert',
    baseVersion: null,
    data,
    clientTime: new Date(at).toISOString(),
    attempts: 0,
  });
  for (let v = 0; v < options.villages; v += 1) {
    const input = PUSH_VILLAGES[v % PUSH_VILLAGES.length];
    if (!input) throw new Error('no village');
    const at = tick();
    const id = newId(at);
    const data = parse(
      'village',
      villageSchema.safeParse(v < PUSH_VILLAGES.length ? input : { ...input, name: `${input.name} ${v}` }),
    );
    villages.push({
      id,
      communeCode: BENCH_COMMUNE_CODE,
      data,
      deleted: 0,
      updatedAt: new Date(at).toISOString(),
    });
    outbox.push(op('village', id, data, at));
  }
  const sizes: number[] = [];
  for (let h = 0; h < options.households; h += 1) {
    const at = tick();
    const id = newId(at);
    const village = villages[rng.int(0, villages.length - 1)];
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
    const data: HouseholdData = parse('household', householdSchema.safeParse(input));
    sizes.push(Buffer.byteLength(JSON.stringify(data)));
    const searchText = foldForSearch([data.headName, data.address ?? '', data.phone ?? ''].join(' '));
    households.push({
      id,
      communeCode: BENCH_COMMUNE_CODE,
      data,
      deleted: 0,
      updatedAt: new Date(at).toISOString(),
      searchText,
    });
    outbox.push(op('household', id, data, at));
  }
  const sum = sizes.reduce((a, b) => a + b, 0);
  return {
    villages,
    households,
    outbox,
    householdDataBytes: {
      mean: sizes.length ? Math.round(sum / sizes.length) : 0,
      min: Math.min(...sizes),
      max: Math.max(...sizes),
    },
  };
}

/**
 * The commune register as push ops of one seeding device, parents before children (villages,
 * households, citizens, clans), with seqs 1, 2, … Assessments are left out (not part of the goal).
 */
export function communeOps(
  register: GeneratedRegister,
  clientTime: string,
): { ops: PushOp[]; counts: Record<string, number> } {
  const { rows } = register;
  const ops: PushOp[] = [];
  const counts: Record<string, number> = {};
  const rng = new Rng(register.options.seed ^ 0x5eed);
  const add = (entity: string, records: readonly { id: string; data: unknown }[]) => {
    counts[entity] = records.length;
    for (const r of records) {
      ops.push({
        opId: uuidv7(Date.parse(clientTime), rng.bytes(16)),
        seq: ops.length + 1,
        entity,
        recordId: r.id,
        communeCode: BENCH_COMMUNE_CODE,
        kind: 'upsert',
        baseVersion: null,
        data: r.data,
        clientTime,
      });
    }
  };
  add('village', rows.villages);
  add('household', rows.households);
  add('citizen', rows.citizens);
  add('clan', rows.clans);
  return { ops, counts };
}
