import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildHouseholdForm, buildWriteContext } from '../../../../tests/factories/records';
import { renderApp } from '../../../../tests/support/render-app';
import { currentCriteriaSet } from '../../../domain/criteria/registry';
import { href } from '../../app/routes';
import { assessmentDraftKey } from '../../db/assessment.queries';
import { saveAssessment } from '../../db/assessment.repository';
import { openDatabase, type AppDatabase } from '../../db/db';
import { readDraft } from '../../db/draft.repository';
import { saveHouseholdWithMembers } from '../../db/household.repository';
import { listMembers } from '../../db/citizen.repository';
import { saveVillage } from '../../db/village.repository';

const INDICATORS = ['cs01', 'cs02', 'cs03', 'cs04', 'cs05', 'cs06', 'cs07', 'cs08', 'cs09', 'cs10'];
let db: AppDatabase;
let citizenId: string;
let householdId: string;

beforeEach(async () => {
  db = await openDatabase(`assessment-screen-${Math.random()}`);
  const ctx = buildWriteContext();
  const village = await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
  householdId = (await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(village.id))).id;
  citizenId = (await listMembers(db, householdId))[0]!.id;
});
afterEach(() => {
  cleanup();
  window.location.hash = '';
});

function pointsInput(id: string) {
  return document.getElementById(`criterion-${id}`) as HTMLInputElement;
}

describe('the Công dân học tập assessment screen', () => {
  it('scores as the officer types, explains a fail, refuses 11 points, and saves', async () => {
    window.location.hash = href.assessment('learning_citizen', citizenId, 2026);
    const { user } = await renderApp({ db });
    expect(await screen.findByRole('heading', { level: 1, name: 'Công dân học tập 2026' })).toBeInTheDocument();
    expect(screen.getByTestId('unverified-warning')).toHaveTextContent(
      'Bộ tiêu chí chưa được đối chiếu với văn bản gốc',
    );
    expect(screen.getByText(/QĐ 324/)).toBeInTheDocument();

    for (const id of INDICATORS) await user.type(pointsInput(id), '8');
    const score = screen.getByRole('region', { name: 'Kết quả' });
    expect(within(score).getByText('Đạt (80/100)')).toBeInTheDocument();

    await user.clear(pointsInput('cs10'));
    await user.type(pointsInput('cs10'), '4');
    expect(within(score).getByText('Chưa đạt (76/100)')).toBeInTheDocument();
    const reasons = within(score).getByTestId('failure-reasons');
    expect(reasons).toHaveTextContent('4 điểm, dưới mức tối thiểu 5 điểm.');
    expect(reasons).toHaveTextContent('Tổng 76 điểm, chưa đủ mức đạt 80 điểm.');

    await user.clear(pointsInput('cs10'));
    await user.type(pointsInput('cs10'), '11');
    await user.click(screen.getByRole('button', { name: 'Lưu đánh giá' }));
    expect(await screen.findByText('Điểm phải từ 0 đến 10.')).toBeInTheDocument();
    expect(await db.assessments.count()).toBe(0);

    await user.clear(pointsInput('cs10'));
    await user.type(pointsInput('cs10'), '9');
    await user.type(screen.getByLabelText('Ngày đăng ký danh hiệu (không bắt buộc)'), '2026-01-15');
    await user.click(screen.getByRole('button', { name: 'Lưu đánh giá' }));
    expect(await screen.findByText('Đã lưu đánh giá trên máy.')).toBeInTheDocument();
    const stored = await db.assessments.toArray();
    expect(stored.map((a) => [a.data.result.passed, a.data.result.totalPoints, a.data.registeredOn])).toEqual([
      [true, 81, '2026-01-15'],
    ]);
  });

  it('keeps the points typed so far when the screen closes before saving', async () => {
    window.location.hash = href.assessment('learning_citizen', citizenId, 2026);
    const first = await renderApp({ db });
    await screen.findByRole('heading', { level: 1, name: 'Công dân học tập 2026' });
    await first.user.type(pointsInput('cs01'), '7');
    await first.user.type(pointsInput('cs02'), '6');
    await waitFor(async () => expect((await db.drafts.toArray())[0]?.values).toMatchObject({ cs02: { points: 6 } }));
    cleanup();

    await renderApp({ db: await openDatabase(db.name) });
    await screen.findByRole('heading', { level: 1, name: 'Công dân học tập 2026' });
    expect(pointsInput('cs01')).toHaveValue('7');
    expect(pointsInput('cs02')).toHaveValue('6');
    expect(await db.assessments.count()).toBe(0);
  });

  it('keeps the last points typed when the officer leaves the screen at once', async () => {
    window.location.hash = href.assessment('learning_citizen', citizenId, 2026);
    const { user } = await renderApp({ db });
    const heading = await screen.findByRole('heading', { level: 1, name: 'Công dân học tập 2026' });
    await user.type(pointsInput('cs01'), '7');
    await user.click(screen.getByRole('link', { name: '‹ Quay lại' })); // well within the draft's pause in typing
    await waitFor(() => expect(heading).not.toBeInTheDocument());

    const draft = await readDraft(db, assessmentDraftKey(citizenId, 'learning_citizen', 2026));
    expect(draft?.values).toEqual({ cs01: { points: 7 } });
  });

  it('keeps an evidence photo with its criterion and counts it in settings', async () => {
    window.location.hash = href.assessment('learning_citizen', citizenId, 2026);
    const { user } = await renderApp({ db });
    await screen.findByRole('heading', { level: 1, name: 'Công dân học tập 2026' });
    const criterion = screen.getByRole('listitem', { name: /^Đọc, cập nhật/ });
    await user.click(within(criterion).getByText('Thêm ghi chú, ảnh minh chứng'));
    const photo = new File([new Uint8Array(2048).fill(7)], 'minh-chung.jpg', { type: 'image/jpeg' });
    await user.upload(within(criterion).getByLabelText('Chọn ảnh có sẵn'), photo);
    expect(await within(criterion).findByRole('button', { name: 'Bỏ ảnh 1' })).toBeInTheDocument();
    expect(await db.attachments.count()).toBe(1);

    for (const id of INDICATORS) await user.type(pointsInput(id), '8');
    await user.click(screen.getByRole('button', { name: 'Lưu đánh giá' }));
    await screen.findByText('Đã lưu đánh giá trên máy.');
    const [stored] = await db.assessments.toArray();
    const [attachment] = await db.attachments.toArray();
    expect(stored?.data.answers.cs01?.evidenceIds).toEqual([attachment?.id]);

    window.location.hash = href.settings();
    expect(await screen.findByTestId('photo-usage')).toHaveTextContent('Ảnh minh chứng trên máy: 1 ảnh, 2 KB.');
  });

  it("opens a saved assessment with its answers, and offers last year's answers for a new year", async () => {
    const set = currentCriteriaSet('learning_citizen', 2025)!;
    const answers = Object.fromEntries(INDICATORS.map((id) => [id, { points: 9 }]));
    await saveAssessment(
      db,
      buildWriteContext(),
      { title: 'learning_citizen', subjectId: citizenId, year: 2025, answers },
      set,
    );

    window.location.hash = href.assessment('learning_citizen', citizenId, 2026);
    const { user } = await renderApp({ db });
    await user.click(await screen.findByRole('button', { name: 'Chép câu trả lời năm 2025 để đánh giá lại' }));
    expect(pointsInput('cs01')).toHaveValue('9');
    expect(within(screen.getByRole('region', { name: 'Kết quả' })).getByText('Đạt (90/100)')).toBeInTheDocument();
  });
});
