import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildHouseholdForm, buildMember, buildWriteContext } from '../../../../tests/factories/records';
import { renderApp } from '../../../../tests/support/render-app';
import { href } from '../../app/routes';
import { openDatabase, type AppDatabase } from '../../db/db';
import { saveHouseholdWithMembers } from '../../db/household.repository';
import { writeSetting } from '../../db/settings.repository';
import { saveVillage } from '../../db/village.repository';

let db: AppDatabase;

beforeEach(async () => {
  db = await openDatabase(`household-picker-${Math.random()}`);
  const at = new Date('2026-11-24T02:00:00Z');
  await writeSetting(
    db,
    'commune',
    { communeCode: '25942', communeName: 'Phường Dĩ An', provinceCode: '79', provinceName: 'Thành phố Hồ Chí Minh' },
    at,
  );
  const ctx = buildWriteContext();
  const village = await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
  await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(village.id)); // head Nguyễn Văn An, member Nguyễn Minh Châu
  await saveHouseholdWithMembers(
    db,
    ctx,
    buildHouseholdForm(village.id, { members: [buildMember({ fullName: 'Trần Văn Bảy' })] }),
  );
  window.location.hash = href.clanEdit(null);
});
afterEach(() => {
  cleanup();
  window.location.hash = '';
});

describe("choosing a clan's member households", () => {
  it("finds a household by a member's name typed without diacritics, not only by its head", async () => {
    const { user } = await renderApp({ db });
    await screen.findByRole('heading', { name: 'Thêm dòng họ' });
    await user.click(await screen.findByRole('checkbox', { name: 'Thôn Đông' }));
    await user.type(screen.getByLabelText('Tìm hộ để thêm (gõ không dấu được)'), 'minh chau');

    const results = screen.getByRole('list', { name: 'Hộ tìm được' });
    expect(await within(results).findByText('Nguyễn Văn An')).toBeInTheDocument();
    expect(within(results).queryByText('Trần Văn Bảy')).not.toBeInTheDocument();
  });
});
