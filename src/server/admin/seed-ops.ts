import { uuidv7 } from '../../shared/ids';
import type { PushOp } from '../../shared/protocol/sync.schema';
import type { Title } from '../../shared/schemas/assessment.schema';
import type { Entity } from '../../shared/schemas/entities';
import type { DemoOptions, DemoRecord, DemoRegister } from './demo/demo-register';
import { UNITS, VILLAGES } from './demo/names';
import { hashBytes } from './stable-id';

/** Households per village in a seeded commune, and per clan within a village. */
const HOUSEHOLDS_PER_VILLAGE = 40;
const HOUSEHOLDS_PER_CLAN = 20;
const HOUSEHOLDS_PER_UNIT = 100;
/** Years before the working year that get assessments too. */
export const SEED_PAST_YEARS = 2;

/** The register `seed --households n` makes: sizes follow from n, as in a real ward. */
export function seedDemoOptions(households: number, seed: number, year: number): DemoOptions {
  const villages = Math.min(VILLAGES.length, Math.ceil(households / HOUSEHOLDS_PER_VILLAGE));
  const clansPerVillage = Math.max(1, Math.floor(households / villages / HOUSEHOLDS_PER_CLAN));
  return {
    seed,
    year,
    villages,
    households,
    citizens: households * 4,
    clans: villages * clansPerVillage,
    familyAssessmentShare: 0.5,
    citizenAssessmentShare: 0.15,
    // A small village may have fewer distinct family names than clans asked: fine for a demo.
    exactClans: false,
    extras: {
      units: Math.min(UNITS.length, Math.ceil(households / HOUSEHOLDS_PER_UNIT)),
      pastYears: SEED_PAST_YEARS,
      collectiveTitles: true,
    },
  };
}

/** A seed op before its seq is known (seed-command.ts gives it one). */
export type SeedOpDraft = Omit<PushOp, 'seq'>;

/**
 * One create op per record, in an order the server can check and score as a device would have:
 * villages, households, citizens, clans, units, then assessments (already in dependency order).
 * The opId is a UUID v7 of the record's time and a hash of its id: the same record always gets
 * the same op, so a re-run of the same seed is recognised op by op as duplicates.
 */
export function buildSeedOps(register: DemoRegister, communeCode: string): SeedOpDraft[] {
  const ops: SeedOpDraft[] = [];
  const add = (entity: Entity, records: readonly DemoRecord<unknown>[]) => {
    for (const record of records) {
      ops.push({
        opId: uuidv7(record.ms, hashBytes('so-khuyen-hoc/seed-op', communeCode, record.id)),
        entity,
        recordId: record.id,
        communeCode,
        kind: 'upsert',
        baseVersion: null,
        data: record.data,
        clientTime: new Date(record.ms).toISOString(),
      });
    }
  };
  add('village', register.villages);
  add('household', register.households);
  add('citizen', register.citizens);
  add('clan', register.clans);
  add('unit', register.units);
  add('assessment', register.assessments);
  return ops;
}

export function countRecords(register: DemoRegister): Record<Entity, number> {
  return {
    village: register.villages.length,
    household: register.households.length,
    citizen: register.citizens.length,
    clan: register.clans.length,
    unit: register.units.length,
    assessment: register.assessments.length,
  };
}

export function countAssessmentsByTitle(register: DemoRegister): Partial<Record<Title, number>> {
  const counts: Partial<Record<Title, number>> = {};
  for (const a of register.assessments) counts[a.data.title] = (counts[a.data.title] ?? 0) + 1;
  return counts;
}
