import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildHouseholdForm, buildWriteContext } from '../../../../tests/factories/records';
import { renderApp } from '../../../../tests/support/render-app';
import { openDatabase } from '../../db/db';
import { deleteHousehold, saveHouseholdWithMembers } from '../../db/household.repository';
import { saveVillage } from '../../db/village.repository';

beforeEach(() => {
  window.location.hash = '';
});
afterEach(cleanup);

describe('the home screen', () => {
  it('counts the live households of each village', async () => {
    const db = await openDatabase(`home-${Math.random()}`);
    const ctx = buildWriteContext();
    const east = await saveVillage(db, ctx, { name: 'Thôn Đông', kind: 'thon' });
    await saveVillage(db, ctx, { name: 'Thôn Tây', kind: 'thon' });
    await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(east.id));
    const gone = await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(east.id));
    await saveHouseholdWithMembers(db, ctx, buildHouseholdForm(east.id));
    await deleteHousehold(db, ctx, gone.id);
    await renderApp({ db });
    const table = await screen.findByRole('table');
    const rowOf = async (name: string) => (await within(table).findByRole('link', { name })).closest('tr');
    await expect.poll(async () => (await rowOf('Thôn Đông'))?.textContent).toContain('Thôn Đông20/0 đã đánh giá');
    expect((await rowOf('Thôn Tây'))?.textContent).toContain('Thôn Tây00/0 đã đánh giá');
  });
});
