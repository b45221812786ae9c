/**
 * Deterministic demo register of one commune: villages, households with their members, clans,
 * units and assessments, as records whose `data` is the output of its shared zod schema (the
 * generator parses what it builds, as the app's repositories do). Same options → the same
 * records, ids included (UUID v7 from a fixed clock and the seeded PRNG).
 *
 * Used by the admin CLI's `seed` (through the push path) and by the on-device benchmark (rows
 * written straight into IndexedDB, bench/data.ts). The benchmark's part comes
 * first and draws from the PRNG in a fixed order; `extras` are generated after it, so adding
 * them never changes the records before them.
 */
import type { CriteriaSet } from '../../../domain/criteria/criteria-set';
import { currentCriteriaSet } from '../../../domain/criteria/registry';
import { isSchoolAge } from '../../../domain/derived/derived-inputs';
import { scoreAssessment } from '../../../domain/scoring/score-assessment';
import { deriveScoringContextInMemory } from '../../../domain/scoring/scoring-context';
import { uuidv7 } from '../../../shared/ids';
import {
  buildAssessmentSchema,
  type AnswerInput,
  type AssessmentData,
  type Title,
} from '../../../shared/schemas/assessment.schema';
import { buildCitizenSchema, type CitizenData } from '../../../shared/schemas/citizen.schema';
import { clanSchema, type ClanData } from '../../../shared/schemas/clan.schema';
import { householdSchema, type HouseholdData } from '../../../shared/schemas/household.schema';
import { unitSchema, type UnitData } from '../../../shared/schemas/unit.schema';
import { villageSchema, type VillageData } from '../../../shared/schemas/village.schema';
import { checklistAnswers, citizenAnswers, familyAnswers, isoDay } from './answers';
import { HOUSEHOLD_NOTES, STREETS, UNITS, VILLAGES } from './names';
import { address, citizenInput, composeHousehold, householdSizes, phone } from './people';
import { demoRegisterInMemory } from './register-in-memory';
import { Clock, Rng } from './rng';

export interface DemoOptions {
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
  /** false: fewer clans than asked is accepted (small registers); default true: it throws. */
  exactClans?: boolean;
  /** Generated after everything above (see the file comment). */
  extras?: DemoExtras;
}

export interface DemoExtras {
  /** Units (đơn vị), at most the length of the built-in list. */
  units: number;
  /** Earlier years that also get Gia đình học tập and Công dân học tập assessments. */
  pastYears: number;
  /** Dòng họ, cộng đồng (thôn) and đơn vị học tập assessments for every year. */
  collectiveTitles: boolean;
}

/** One record as a device would have created it; `ms` is when (its id is a UUID v7 of it). */
export interface DemoRecord<T> {
  readonly id: string;
  readonly data: T;
  readonly ms: number;
}

export interface DemoRegister {
  readonly options: DemoOptions;
  /** When the register was set up (the benchmark dates its settings with it). */
  readonly setupMs: number;
  readonly villages: DemoRecord<VillageData>[];
  readonly households: DemoRecord<HouseholdData>[];
  readonly citizens: DemoRecord<CitizenData>[];
  readonly clans: DemoRecord<ClanData>[];
  readonly units: DemoRecord<UnitData>[];
  /** In an order the server can score as the device did: a title's inputs come before it. */
  readonly assessments: DemoRecord<AssessmentData>[];
  /** household id → its members' full names. */
  readonly memberNames: Map<string, string[]>;
}

const CLAN_ASSESSMENT_SHARE = 0.7;
const COMMUNITY_ASSESSMENT_SHARE = 0.8;
const UNIT_ASSESSMENT_SHARE = 0.6;

function parseOrThrow<T>(
  what: string,
  result: { success: true; data: T } | { success: false; error: { issues: unknown[] } },
): T {
  if (!result.success)
    throw new Error(`generated ${what} fails its schema: ${JSON.stringify(result.error.issues).slice(0, 500)}`);
  return result.data;
}

export function generateDemoRegister(options: DemoOptions): DemoRegister {
  const rng = new Rng(options.seed);
  const clock = new Clock(options.year);
  const citizenSchema = buildCitizenSchema(options.year);
  const assessmentSchema = buildAssessmentSchema(options.year);
  const newId = (ms: number) => uuidv7(ms, rng.bytes(16));

  const out: DemoRegister = {
    options,
    setupMs: clock.tick(rng),
    villages: [],
    households: [],
    citizens: [],
    clans: [],
    units: [],
    assessments: [],
    memberNames: new Map(),
  };

  // Villages, each with a few streets and a size weight (some khu phố are much bigger).
  const villageCount = Math.min(options.villages, VILLAGES.length);
  const villageStreets: string[][] = [];
  const villageWeights: number[] = [];
  for (let v = 0; v < villageCount; v += 1) {
    const ms = clock.tick(rng);
    const input = VILLAGES[v];
    if (!input) throw new Error('village list too short');
    out.villages.push({ id: newId(ms), data: parseOrThrow('village', villageSchema.safeParse(input)), ms });
    villageStreets.push(Array.from({ length: 4 }, () => rng.pick(STREETS)));
    villageWeights.push(0.75 + rng.float() * 0.5);
  }
  // Households per village: proportional to the weights, exact total.
  const weightSum = villageWeights.reduce((a, b) => a + b, 0);
  const perVillage = villageWeights.map((w) => Math.floor((options.households * w) / weightSum));
  for (let i = 0; perVillage.reduce((a, b) => a + b, 0) < options.households; i += 1)
    perVillage[i % villageCount] = (perVillage[i % villageCount] ?? 0) + 1;

  const sizes = householdSizes(rng, options.households, options.citizens);
  const membersByHousehold = new Map<string, CitizenData[]>();
  const headParts = new Map<
    string,
    { villageIndex: number; familyName: string; middleName: string; head: string; headAge: number }
  >();
  let householdIndex = 0;
  for (let v = 0; v < villageCount; v += 1) {
    const village = out.villages[v];
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
        out.citizens.push({ id: newId(cms), data, ms: cms });
      }
      const notes = rng.chance(0.05) ? rng.pick(HOUSEHOLD_NOTES) : undefined;
      const data: HouseholdData = parseOrThrow(
        'household',
        householdSchema.safeParse({
          villageId: village.id,
          headName: head.fullName,
          address: address(rng, villageStreets[v] ?? STREETS),
          phone: phone(rng),
          notes,
        }),
      );
      out.households.push({ id: householdId, data, ms: ms + people.length + 1 });
      out.memberNames.set(
        householdId,
        citizens.map((c) => c.fullName),
      );
      membersByHousehold.set(householdId, citizens);
      headParts.set(householdId, {
        villageIndex: v,
        familyName: head.familyName,
        middleName: head.middleName,
        head: head.fullName,
        headAge: head.age,
      });
    }
  }

  // Clans: in each village, the most common family + middle names of heads ("Họ Nguyễn Văn").
  const clansPerVillage = Math.ceil(options.clans / Math.max(1, villageCount));
  for (let v = 0; v < villageCount && out.clans.length < options.clans; v += 1) {
    const village = out.villages[v];
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
    const ranked = [...groups].sort(
      (a, b) => b[1].households.length - a[1].households.length || a[0].localeCompare(b[0], 'vi'),
    );
    for (const [key, g] of ranked.slice(0, clansPerVillage)) {
      if (out.clans.length >= options.clans) break;
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
      out.clans.push({ id: newId(ms), data, ms });
    }
  }
  if (out.clans.length < options.clans && options.exactClans !== false) {
    throw new Error(`only ${out.clans.length} clans for ${options.clans} asked: too few households per village`);
  }

  // Assessments, scored as the device scores them: the scoring context is derived from the
  // register generated so far by the domain's rules (domain/scoring/scoring-context), so the
  // server's re-score agrees.
  const register = demoRegisterInMemory(out, membersByHousehold);
  const addAssessment: AddAssessment = (year, title, subjectType, subjectId, set, answers) => {
    const ms = clock.tick(rng);
    const result = scoreAssessment(set, answers, deriveScoringContextInMemory(register, title, subjectId, year));
    const data: AssessmentData = parseOrThrow(
      'assessment',
      assessmentSchema.safeParse({
        subjectType,
        subjectId,
        title,
        year,
        criteriaSetId: set.id,
        criteriaSetVersion: set.version,
        answers,
        registeredOn: isoDay(year, rng),
        result,
        // Earlier years were decided; this year's are still being worked on.
        status:
          year < options.year
            ? result.passed
              ? 'recognised'
              : 'not_recognised'
            : rng.chance(0.3)
              ? 'proposed'
              : 'draft',
      }),
    );
    out.assessments.push({ id: newId(ms), data, ms });
  };

  const assessFamilies = (year: number) => {
    const set = currentCriteriaSet('learning_family', year);
    if (!set) return;
    for (const h of out.households) {
      if (!rng.chance(options.familyAssessmentShare)) continue;
      const hasSchoolAge = (membersByHousehold.get(h.id) ?? []).some((m) => isSchoolAge(m, year));
      addAssessment(year, 'learning_family', 'household', h.id, set, familyAnswers(rng, set, hasSchoolAge));
    }
  };
  const assessCitizens = (year: number) => {
    const set = currentCriteriaSet('learning_citizen', year);
    if (!set) return;
    for (const c of out.citizens) {
      if (!c.data.isWorker || !rng.chance(options.citizenAssessmentShare)) continue;
      addAssessment(year, 'learning_citizen', 'citizen', c.id, set, citizenAnswers(rng, set));
    }
  };
  assessFamilies(options.year);
  assessCitizens(options.year);

  if (options.extras) {
    addUnits(out, rng, clock, options.extras.units);
    const firstYear = options.year - options.extras.pastYears;
    for (let year = firstYear; year < options.year; year += 1) {
      assessFamilies(year);
      assessCitizens(year);
    }
    if (options.extras.collectiveTitles) {
      const years = Array.from({ length: options.year - firstYear + 1 }, (_, i) => firstYear + i);
      const context = { out, rng, addAssessment };
      // Dependency order: clans need family holders, communities need clan holders.
      for (const year of years) assessClans(context, year);
      for (const year of years) assessCommunities(context, year);
      for (const year of years) assessUnits(context, year);
    }
  }
  return out;
}

function addUnits(out: DemoRegister, rng: Rng, clock: Clock, count: number) {
  for (const template of UNITS.slice(0, count)) {
    const ms = clock.tick(rng);
    const memberCount = rng.int(template.members[0], template.members[1]);
    const village = template.kind === 'co_quan' ? undefined : rng.pick(out.villages);
    const data = parseOrThrow(
      'unit',
      unitSchema.safeParse({
        name: template.name,
        kind: template.kind,
        memberCount,
        membersWithLearningCitizen: Math.round(memberCount * (0.3 + rng.float() * 0.6)),
        villageId: village?.id,
      }),
    );
    out.units.push({ id: uuidv7(ms, rng.bytes(16)), data, ms });
  }
}

type AddAssessment = (
  year: number,
  title: Title,
  subjectType: AssessmentData['subjectType'],
  subjectId: string,
  set: CriteriaSet,
  answers: Record<string, AnswerInput>,
) => void;

interface CollectiveContext {
  readonly out: DemoRegister;
  readonly rng: Rng;
  readonly addAssessment: AddAssessment;
}

function assessClans(c: CollectiveContext, year: number) {
  const set = currentCriteriaSet('learning_clan', year);
  if (!set) return;
  for (const clan of c.out.clans) {
    if (!c.rng.chance(CLAN_ASSESSMENT_SHARE)) continue;
    c.addAssessment(year, 'learning_clan', 'clan', clan.id, set, checklistAnswers(c.rng, set, 0.9));
  }
}

function assessCommunities(c: CollectiveContext, year: number) {
  const set = currentCriteriaSet('learning_community', year);
  if (!set) return;
  for (const village of c.out.villages) {
    if (!c.rng.chance(COMMUNITY_ASSESSMENT_SHARE)) continue;
    c.addAssessment(year, 'learning_community', 'village', village.id, set, checklistAnswers(c.rng, set, 0.9));
  }
}

function assessUnits(c: CollectiveContext, year: number) {
  const set = currentCriteriaSet('learning_unit', year);
  if (!set) return;
  for (const unit of c.out.units) {
    if (!c.rng.chance(UNIT_ASSESSMENT_SHARE)) continue;
    c.addAssessment(year, 'learning_unit', 'unit', unit.id, set, checklistAnswers(c.rng, set, 0.9));
  }
}
