/**
 * People of the demo register: household sizes and members (head, spouse, children, the head's
 * parents or grandchildren), names, schooling and work, addresses and phone numbers.
 */
import type { CdhtGroup, CitizenInput, Relation, SchoolingState } from '../../../shared/schemas/citizen.schema';
import {
  BOY_MIDDLE,
  ETHNICITIES,
  FAMILY_NAMES,
  FEMALE_GIVEN,
  FEMALE_MIDDLE,
  GIRL_MIDDLE,
  MALE_GIVEN,
  MALE_MIDDLE,
  PHONE_PREFIXES,
} from './names';
import { zipf, type Rng } from './rng';

export interface Person {
  fullName: string;
  familyName: string;
  middleName: string;
  sex: 'nam' | 'nu';
  age: number;
  relation: Relation;
}

export interface NameParts {
  familyName: string;
  middleName: string;
  fullName: string;
}

export function householdSizes(rng: Rng, households: number, citizens: number): number[] {
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
  const middle = rng.weighted(
    sex === 'nam'
      ? generation === 'child'
        ? BOY_MIDDLE
        : MALE_MIDDLE
      : generation === 'child'
        ? GIRL_MIDDLE
        : FEMALE_MIDDLE,
  );
  const given = rng.weighted(zipf(sex === 'nam' ? MALE_GIVEN : FEMALE_GIVEN, 0.9));
  return { familyName: family, middleName: middle, fullName: `${family} ${middle} ${given}` };
}

function person(parts: NameParts, sex: 'nam' | 'nu', age: number, relation: Relation): Person {
  return { ...parts, sex, age: Math.max(0, age), relation };
}

/** The members of one household of `size` people: head first. */
export function composeHousehold(rng: Rng, size: number): Person[] {
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
      const parts =
        sex === 'nam' && headSex === 'nam' ? name(rng, 'nam', 'adult', head.familyName) : name(rng, sex, 'adult');
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
      const grandchildFamily =
        sex === 'nam' ? childFamily : (members.find((m) => m.relation === 'khac')?.familyName ?? childFamily);
      while (members.length < size) {
        const gsex = rng.chance(0.5) ? 'nam' : 'nu';
        members.push(
          person(name(rng, gsex, 'child', grandchildFamily), gsex, Math.max(0, child.age - rng.int(20, 34)), 'chau'),
        );
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
  if (age <= 17)
    return rng.weighted([
      ['dang_di_hoc', 96],
      ['bo_hoc', 3],
      [undefined, 1],
    ] as const);
  if (age <= 22) return rng.chance(0.45) ? 'dang_di_hoc' : 'da_tot_nghiep';
  return rng.chance(0.4) ? 'da_tot_nghiep' : undefined;
}

export function citizenInput(rng: Rng, p: Person, year: number, householdId: string): CitizenInput {
  const schooling = p.relation === 'con' || p.relation === 'chau' || p.age <= 22 ? schoolingFor(rng, p.age) : undefined;
  const studying = schooling === 'dang_di_hoc';
  const isWorker = p.age >= 18 && p.age <= 60 && !studying && rng.chance(0.85);
  let cdhtGroup: CdhtGroup | undefined;
  if (isWorker)
    cdhtGroup = rng.weighted([
      ['nong_dan', 25],
      ['cong_nhan', 50],
      ['can_bo', 25],
    ] as const);
  else if (studying && p.age >= 10) cdhtGroup = 'hoc_sinh';
  const literacy =
    p.age < 6
      ? 'khong_ro'
      : p.age >= 70 && rng.chance(0.08)
        ? 'chua_biet_chu'
        : rng.chance(0.97)
          ? 'biet_chu'
          : 'khong_ro';
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

export function address(rng: Rng, streets: readonly string[]): string {
  const street = rng.pick(streets);
  const number = rng.int(1, 480);
  if (rng.chance(0.35)) return `Số ${number}/${rng.int(1, 60)}, ${street}`;
  if (rng.chance(0.15)) return `Hẻm ${rng.int(2, 90)}, ${street}`;
  return `Số ${number}, ${street}`;
}

export function phone(rng: Rng): string | undefined {
  if (!rng.chance(0.7)) return undefined;
  let digits = rng.pick(PHONE_PREFIXES);
  for (let i = 0; i < 7; i += 1) digits += String(rng.int(0, 9));
  // Some typed with spaces or dots; the schema strips them.
  return rng.chance(0.2) ? `${digits.slice(0, 4)} ${digits.slice(4, 7)} ${digits.slice(7)}` : digits;
}
