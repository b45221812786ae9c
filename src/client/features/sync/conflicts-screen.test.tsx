import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildHouseholdForm, buildWriteContext, TEST_NOW } from '../../../../tests/factories/records';
import { renderApp } from '../../../../tests/support/render-app';
import { href } from '../../app/routes';
import { openDatabase, type AppDatabase } from '../../db/db';
import { saveHouseholdWithMembers } from '../../db/household.repository';
import { learnServerVersions } from '../../db/server-versions';
import { saveVillage } from '../../db/village.repository';

let db: AppDatabase;
let householdId: string;
let villageId: string;

beforeEach(async () => {
  db = await openDatabase(`conflicts-${Math.random()}`);
  const ctx = buildWriteContext();
  villageId = (await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' })).id;
  const household = await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(villageId));
  householdId = household.id;
  await db.outbox.clear();
  await learnServerVersions(db, [{ recordId: householdId, version: 1 }]);
  // The server refused my edit (address "Xóm 2"): someone else had moved the household to "Xóm 5".
  await db.conflicts.put({
    opId: ctx.newId(),
    entity: 'household',
    recordId: householdId,
    mine: household.data,
    mineKind: 'upsert',
    theirs: { ...household.data, address: 'Xóm 5', notes: 'Đã chuyển nhà' },
    theirsVersion: 3,
    detectedAt: TEST_NOW.toISOString(),
  });
  window.location.hash = href.conflicts();
});
afterEach(() => {
  cleanup();
  window.location.hash = '';
});

describe('the conflicts screen', () => {
  it('shows both versions field by field and saves a per-field choice as a change based on the server version', async () => {
    const { user } = await renderApp({ db });
    const card = await screen.findByRole('region', { name: 'Hộ: Nguyễn Văn An' });
    const address = within(card).getByRole('row', { name: /Địa chỉ/ });
    expect(address).toHaveTextContent('Xóm 2');
    expect(address).toHaveTextContent('Xóm 5');
    expect(within(card).queryByRole('row', { name: /Chủ hộ/ })).not.toBeInTheDocument(); // same on both sides

    await user.click(within(address).getByRole('radio', { name: 'Xóm 5' }));
    await user.click(
      within(within(card).getByRole('row', { name: /Ghi chú/ })).getByRole('radio', { name: '(trống)' }),
    );
    await user.click(within(card).getByRole('button', { name: 'Lưu theo lựa chọn' }));

    expect(await screen.findByText('Không có thay đổi nào trùng với người khác.')).toBeInTheDocument();
    const row = await db.households.get(householdId);
    expect(row?.data).toMatchObject({ address: 'Xóm 5', phone: '0912345678' });
    expect(row?.data.notes).toBeUndefined();
    const [op] = await db.outbox.toArray();
    expect(op).toMatchObject({ recordId: householdId, kind: 'upsert', baseVersion: 3, attempts: 0 });
  });

  it('takes the other version whole when asked', async () => {
    const { user } = await renderApp({ db });
    await user.click(await screen.findByRole('button', { name: 'Lấy tất cả của người khác' }));
    await screen.findByText('Không có thay đổi nào trùng với người khác.');
    expect((await db.households.get(householdId))?.data).toMatchObject({ address: 'Xóm 5', notes: 'Đã chuyển nhà' });
  });
});
