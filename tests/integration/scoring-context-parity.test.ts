import 'fake-indexeddb/auto';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildHouseholdForm, buildMember } from '../factories/records';
import { saveAssessment } from '../../src/client/db/assessment.repository';
import { saveClan } from '../../src/client/db/clan.repository';
import { openDatabase, type AppDatabase } from '../../src/client/db/db';
import { deleteHousehold, saveHouseholdWithMembers } from '../../src/client/db/household.repository';
import { readScoringContext } from '../../src/client/db/scoring-context';
import { writeSetting } from '../../src/client/db/settings.repository';
import { saveVillage } from '../../src/client/db/village.repository';
import type { WriteContext } from '../../src/client/db/write-context';
import { createSyncEngine, type SyncEngine } from '../../src/client/sync/sync-engine';
import { createHttpTransport } from '../../src/client/sync/transport';
import { currentCriteriaSet } from '../../src/domain/criteria/registry';
import { scoreAssessment, type ScoringContext } from '../../src/domain/scoring/score-assessment';
import { readServerScoringContext } from '../../src/server/sync/scoring-context';
import { uuidv7 } from '../../src/shared/ids';
import type { AnswerInput, Title } from '../../src/shared/schemas/assessment.schema';
import { enrollDevice, SYNC_COMMUNE, useSyncServer, type SyncServer } from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

/**
 * Invariant 7: the phone's register reader (client/db/scoring-context.ts, Dexie) and the server's
 * (server/sync/scoring-context.ts, records written by real pushes) give the same scoring context,
 * hence the same score, for the same records. Each row builds a register on a phone, pushing as it
 * goes; then the writing phone, a phone that only pulled, and the server are read for one subject.
 * Rows hold whether the server keeps a tombstone's data or drops it (data NULL).
 */
const YEAR = 2026;
const COMMUNE = {
  communeCode: SYNC_COMMUNE,
  communeName: 'Phường Dĩ An',
  provinceCode: '79',
  provinceName: 'Thành phố Hồ Chí Minh',
};
const newId = () => uuidv7(Date.now(), randomBytes(16));

interface Phone {
  readonly db: AppDatabase;
  readonly engine: SyncEngine;
  readonly ctx: () => WriteContext;
  /** Pushes everything and pulls; fails the test when the sync does not succeed. */
  sync(): Promise<void>;
}

async function makePhone(server: SyncServer): Promise<Phone> {
  const enrolled = await enrollDevice(server.baseUrl, server.store, { communeCode: SYNC_COMMUNE });
  const db = await openDatabase(`parity-${newId()}`);
  await writeSetting(db, 'commune', COMMUNE, new Date());
  const engine = createSyncEngine({
    db,
    transport: createHttpTransport({ serverUrl: server.baseUrl, token: enrolled.token }),
    deviceId: enrolled.deviceId,
    clock: () => new Date(),
  });
  return {
    db,
    engine,
    ctx: () => ({ now: new Date(`${YEAR}-11-24T09:00:00+07:00`), newId, communeCode: SYNC_COMMUNE }),
    async sync() {
      expect(await engine.syncNow()).toMatchObject({ ok: true });
      expect(await db.outbox.count()).toBe(0);
    },
  };
}

/** Every points item at `points`, every check passed: Gia đình học tập passes at 10 when the children all go to school. */
function familyAnswers(points: number): Record<string, AnswerInput> {
  const set = currentCriteriaSet('learning_family', YEAR);
  if (!set) throw new Error('no learning_family set');
  return Object.fromEntries(
    set.groups
      .flatMap((g) => g.criteria)
      .flatMap((c): [string, AnswerInput][] =>
        c.kind === 'points'
          ? [[c.id, { points }]]
          : c.kind === 'check' || c.kind === 'disqualifier'
            ? [[c.id, { value: 'pass' }]]
            : [],
      ),
  );
}

async function assessFamily(phone: Phone, householdId: string, points: number) {
  const set = currentCriteriaSet('learning_family', YEAR);
  if (!set) throw new Error('no learning_family set');
  await saveAssessment(
    phone.db,
    phone.ctx(),
    { title: 'learning_family', subjectId: householdId, year: YEAR, answers: familyAnswers(points) },
    set,
  );
}

const dropout = (fullName: string) =>
  buildMember({
    fullName,
    relation: 'con',
    birthYear: 2012,
    isWorker: false,
    schooling: 'bo_hoc',
    cdhtGroup: 'hoc_sinh',
  });

interface Subject {
  readonly title: Title;
  readonly subjectId: string;
  /** Answers to score with every context (the scores must agree too); none for shares-only titles. */
  readonly answers: Record<string, AnswerInput>;
}

interface ParityRow {
  readonly name: string;
  /** Builds the register on `phone`, syncing where the row says; returns the subject to read. */
  readonly build: (phone: Phone) => Promise<Subject>;
  /** The context all three readers must give. */
  readonly context: ScoringContext;
  /** The score's verdict with the row's answers, when it has answers. */
  readonly passed?: boolean;
}

const ROWS: readonly ParityRow[] = [
  {
    name: 'a household whose dropout child was removed counts only its live members, and passes',
    async build(phone) {
      const village = await saveVillage(phone.db, phone.ctx(), { name: 'Thôn Đông', kind: 'thon' });
      const form = buildHouseholdForm(village.id);
      form.members.push(dropout('Nguyễn Văn Tí'));
      const household = await saveHouseholdWithMembers(phone.db, phone.ctx(), form);
      await phone.sync();
      const live = (await phone.db.citizens.where('data.householdId').equals(household.id).toArray()).filter(
        (c) => c.data.fullName !== 'Nguyễn Văn Tí',
      );
      await saveHouseholdWithMembers(
        phone.db,
        phone.ctx(),
        { household: form.household, members: live.map((c) => ({ ...c.data, id: c.id })) },
        household.id,
      );
      await phone.sync();
      return { title: 'learning_family', subjectId: household.id, answers: familyAnswers(10) };
    },
    context: { isDisadvantagedArea: false, derived: { schoolAgeChildrenAllInSchool: true } },
    passed: true,
  },
  {
    name: 'a member that arrives in a later push counts on both sides: a dropout added afterwards fails the household',
    async build(phone) {
      const village = await saveVillage(phone.db, phone.ctx(), { name: 'Thôn Tây', kind: 'thon' });
      const form = buildHouseholdForm(village.id);
      const household = await saveHouseholdWithMembers(phone.db, phone.ctx(), form);
      await phone.sync();
      const members = await phone.db.citizens.where('data.householdId').equals(household.id).toArray();
      await saveHouseholdWithMembers(
        phone.db,
        phone.ctx(),
        {
          household: form.household,
          members: [...members.map((c) => ({ ...c.data, id: c.id })), dropout('Nguyễn Thị Út')],
        },
        household.id,
      );
      await phone.sync();
      return { title: 'learning_family', subjectId: household.id, answers: familyAnswers(10) };
    },
    context: { isDisadvantagedArea: false, derived: { schoolAgeChildrenAllInSchool: false } },
    passed: false,
  },
  {
    name: "a household moved to a disadvantaged village is scored with that village's flag, its member too",
    async build(phone) {
      const from = await saveVillage(phone.db, phone.ctx(), { name: 'Thôn Cũ', kind: 'thon' });
      const to = await saveVillage(phone.db, phone.ctx(), { name: 'Bản Mới', kind: 'ban', isDisadvantagedArea: true });
      const form = buildHouseholdForm(from.id);
      const household = await saveHouseholdWithMembers(phone.db, phone.ctx(), form);
      await phone.sync();
      const members = await phone.db.citizens.where('data.householdId').equals(household.id).toArray();
      await saveHouseholdWithMembers(
        phone.db,
        phone.ctx(),
        { household: { ...form.household, villageId: to.id }, members: members.map((c) => ({ ...c.data, id: c.id })) },
        household.id,
      );
      await phone.sync();
      const head = members.find((c) => c.data.relation === 'chu_ho');
      return {
        title: 'learning_citizen',
        subjectId: head?.id ?? '',
        answers: Object.fromEntries(
          ['cs01', 'cs02', 'cs03', 'cs04', 'cs05', 'cs06', 'cs07', 'cs08', 'cs09', 'cs10'].map((id) => [
            id,
            { points: 7 },
          ]),
        ),
      };
    },
    // 70 points pass only in a disadvantaged area (80 elsewhere).
    context: { isDisadvantagedArea: true, derived: {} },
    passed: true,
  },
  {
    name: 'a village counts only its live households: a deleted household that had passed is not in the share',
    async build(phone) {
      const village = await saveVillage(phone.db, phone.ctx(), { name: 'Thôn Giữa', kind: 'thon' });
      const kept = await saveHouseholdWithMembers(phone.db, phone.ctx(), buildHouseholdForm(village.id));
      const failing = await saveHouseholdWithMembers(phone.db, phone.ctx(), buildHouseholdForm(village.id));
      const removed = await saveHouseholdWithMembers(phone.db, phone.ctx(), buildHouseholdForm(village.id));
      await assessFamily(phone, kept.id, 10);
      await assessFamily(phone, failing.id, 5);
      await assessFamily(phone, removed.id, 10);
      await phone.sync();
      await deleteHousehold(phone.db, phone.ctx(), removed.id);
      await phone.sync();
      return { title: 'learning_community', subjectId: village.id, answers: {} };
    },
    context: {
      isDisadvantagedArea: false,
      derived: { villageHouseholdsLearningFamilyShare: 0.5, villageClansLearningClanShare: null },
    },
  },
  {
    name: 'a clan whose member household lost its dropout child in a later push counts no dropout',
    async build(phone) {
      const village = await saveVillage(phone.db, phone.ctx(), { name: 'Thôn Họ', kind: 'thon' });
      const form = buildHouseholdForm(village.id);
      form.members.push(dropout('Lê Văn Tèo'));
      const household = await saveHouseholdWithMembers(phone.db, phone.ctx(), form);
      const other = await saveHouseholdWithMembers(phone.db, phone.ctx(), buildHouseholdForm(village.id));
      const clan = await saveClan(phone.db, phone.ctx(), {
        name: 'Họ Nguyễn',
        villageIds: [village.id],
        memberHouseholdIds: [household.id, other.id],
      });
      await assessFamily(phone, other.id, 10);
      await phone.sync();
      const live = (await phone.db.citizens.where('data.householdId').equals(household.id).toArray()).filter(
        (c) => c.data.fullName !== 'Lê Văn Tèo',
      );
      await saveHouseholdWithMembers(
        phone.db,
        phone.ctx(),
        { household: form.household, members: live.map((c) => ({ ...c.data, id: c.id })) },
        household.id,
      );
      await phone.sync();
      return { title: 'learning_clan', subjectId: clan.id, answers: {} };
    },
    context: {
      isDisadvantagedArea: false,
      derived: { memberHouseholdsLearningFamilyShare: 0.5, memberHouseholdsNoDropout: true },
    },
  },
];

describe.each(STORE_CASES)(
  'the phone and the server score the same register the same way (invariant 7), on $kind',
  (storeCase) => {
    const server = useSyncServer(storeCase);

    it.each(ROWS)('$name', async (row) => {
      const writer = await makePhone(server);
      const subject = await row.build(writer);
      const reader = await makePhone(server);
      await reader.sync(); // a phone that holds the register only as pulled from the server

      const onServer = await readServerScoringContext(
        server.store,
        SYNC_COMMUNE,
        subject.title,
        subject.subjectId,
        YEAR,
      );
      const written = await readScoringContext(writer.db, subject.title, subject.subjectId, YEAR);
      const pulled = await readScoringContext(reader.db, subject.title, subject.subjectId, YEAR);
      expect({ written, pulled }).toEqual({ written: onServer, pulled: onServer });
      expect(onServer).toEqual(row.context);

      const set = currentCriteriaSet(subject.title, YEAR);
      if (!set) throw new Error(`no criteria set for ${subject.title}`);
      const scores = [onServer, written, pulled].map((context) => scoreAssessment(set, subject.answers, context));
      expect(scores[1]).toEqual(scores[0]);
      expect(scores[2]).toEqual(scores[0]);
      if (row.passed !== undefined) expect(scores[0]?.passed).toBe(row.passed);
    });
  },
);
