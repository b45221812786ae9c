import { cleanup, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildHouseholdForm, buildWriteContext } from '../../../../tests/factories/records';
import { renderApp } from '../../../../tests/support/render-app';
import { href } from '../../app/routes';
import { openDatabase, type AppDatabase } from '../../db/db';
import { saveHouseholdWithMembers } from '../../db/household.repository';
import { listMembers } from '../../db/citizen.repository';
import { saveVillage } from '../../db/village.repository';

let db: AppDatabase;
let householdId: string;

beforeEach(async () => {
  db = await openDatabase(`citizen-form-${Math.random()}`);
  const ctx = buildWriteContext();
  const village = await saveVillage(db, ctx, { name: 'Ấp Bình Thạnh', kind: 'ap' });
  householdId = (await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(village.id))).id;
});
afterEach(() => {
  cleanup();
  window.location.hash = '';
});

describe('citizen form', () => {
  it('adds a grandparent to an existing household', async () => {
    window.location.hash = href.citizenNew(householdId);
    const { user } = await renderApp({ db });
    expect(await screen.findByRole('heading', { name: 'Thêm thành viên cho hộ' })).toBeInTheDocument();
    await user.type(screen.getByLabelText('Họ và tên'), 'Phạm Thị Én');
    await user.selectOptions(screen.getByLabelText('Giới tính'), 'Nữ');
    await user.type(screen.getByLabelText('Năm sinh'), '1948');
    await user.selectOptions(screen.getByLabelText('Quan hệ với chủ hộ'), 'Ông / bà');
    await user.click(screen.getByRole('button', { name: 'Lưu công dân' }));

    expect(await screen.findByRole('link', { name: 'Sửa thông tin Phạm Thị Én' })).toBeInTheDocument();
    expect((await listMembers(db, householdId)).map((m) => m.data.fullName)).toContain('Phạm Thị Én');
  });

  it('refuses a birth year in the future with a Vietnamese message and changes nothing', async () => {
    const [, wife] = await listMembers(db, householdId);
    window.location.hash = href.citizenEdit(householdId, wife!.id);
    const { user } = await renderApp({ db });
    const year = await screen.findByDisplayValue('1983');
    await user.clear(year);
    await user.type(year, '2031');
    await user.click(screen.getByRole('button', { name: 'Lưu công dân' }));
    expect(await screen.findByText('Năm sinh không thể sau năm 2026.')).toBeInTheDocument();
    expect((await db.citizens.get(wife!.id))?.data.birthYear).toBe(1983);
  });
});
