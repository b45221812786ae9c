import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildHouseholdForm, buildMember, buildWriteContext } from '../../../../tests/factories/records';
import { renderApp } from '../../../../tests/support/render-app';
import { listCriteria } from '../../../domain/criteria/criteria-set';
import { currentCriteriaSet } from '../../../domain/criteria/registry';
import type { AnswerInput } from '../../../shared/schemas/assessment.schema';
import { href } from '../../app/routes';
import { saveAssessment } from '../../db/assessment.repository';
import { openDatabase, type AppDatabase } from '../../db/db';
import { saveHouseholdWithMembers } from '../../db/household.repository';
import { writeSetting } from '../../db/settings.repository';
import { saveVillage } from '../../db/village.repository';

let db: AppDatabase;
let villageId: string;
const ctx = buildWriteContext();

beforeEach(async () => {
  db = await openDatabase(`household-list-${Math.random()}`);
  const at = new Date('2026-11-24T02:00:00Z');
  await writeSetting(
    db,
    'commune',
    { communeCode: '25942', communeName: 'Phường Dĩ An', provinceCode: '79', provinceName: 'Thành phố Hồ Chí Minh' },
    at,
  );
  await writeSetting(db, 'workingYear', 2026, at);
  villageId = (await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' })).id;
  window.location.hash = href.village(villageId);
});
afterEach(() => {
  cleanup();
  window.location.hash = '';
});

/** Full marks on every criterion a person answers (derived ones come from the register). */
function fullMarks(): Record<string, AnswerInput> {
  const set = currentCriteriaSet('learning_family', 2026);
  if (!set) throw new Error('no family criteria set for 2026');
  const answers: Record<string, AnswerInput> = {};
  for (const c of listCriteria(set)) {
    if (c.kind === 'points') answers[c.id] = { points: c.maxPoints };
    else if (c.kind !== 'derived') answers[c.id] = { value: 'pass' };
  }
  return answers;
}

describe("a village's household list", () => {
  it("shows each household's Gia đình học tập result for the working year, and follows a new assessment without a reload", async () => {
    const assessed = await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(villageId)); // head Nguyễn Văn An
    await saveHouseholdWithMembers(
      db,
      ctx,
      buildHouseholdForm(villageId, { members: [buildMember({ fullName: 'Trần Văn Bảy' })] }),
    );
    await renderApp({ db });
    const list = await screen.findByRole('list', { name: 'Danh sách hộ' });
    const rowOf = async (name: string) => (await within(list).findByText(name)).closest('li') as HTMLElement;
    expect(within(await rowOf('Nguyễn Văn An')).getByText('Chưa đánh giá')).toBeInTheDocument();

    const set = currentCriteriaSet('learning_family', 2026);
    if (!set) throw new Error('no family criteria set for 2026');
    const saved = await saveAssessment(
      db,
      ctx,
      { title: 'learning_family', subjectId: assessed.id, year: 2026, answers: fullMarks() },
      set,
    );

    const badge = saved.data.result.passed ? 'Đạt' : 'Chưa đạt';
    await waitFor(async () => expect(within(await rowOf('Nguyễn Văn An')).getByText(badge)).toBeInTheDocument());
    expect(within(await rowOf('Trần Văn Bảy')).getByText('Chưa đánh giá')).toBeInTheDocument();
  });
});
