import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWriteContext, TEST_NOW } from '../../../../tests/factories/records';
import { renderApp } from '../../../../tests/support/render-app';
import { href } from '../../app/routes';
import { openDatabase, type AppDatabase } from '../../db/db';

let db: AppDatabase;

beforeEach(async () => {
  db = await openDatabase(`conflicts-out-of-scope-${Math.random()}`);
  const ctx = buildWriteContext();
  // My unsent edit of a citizen whose household moved to another village (withdraw-records.ts).
  await db.conflicts.put({
    opId: ctx.newId(),
    entity: 'citizen',
    recordId: ctx.newId(),
    mine: { fullName: 'Nguyễn Minh Chánh', birthYear: 2014 },
    mineKind: 'upsert',
    theirs: null,
    theirsVersion: 2,
    detectedAt: TEST_NOW.toISOString(),
    outOfScope: true,
  });
  window.location.hash = href.conflicts();
});
afterEach(() => {
  cleanup();
  window.location.hash = '';
});

describe('the conflicts screen, for a record that moved to another village', () => {
  it('says the record now belongs to another village, shows what I typed, and lets it go only when I say so', async () => {
    const { user } = await renderApp({ db });
    const card = await screen.findByRole('region', { name: 'Công dân: Nguyễn Minh Chánh' });
    expect(card).toHaveTextContent('Bản ghi này nay thuộc thôn khác');
    expect(card).toHaveTextContent('2014');
    expect(within(card).queryByRole('button', { name: 'Giữ tất cả của tôi' })).not.toBeInTheDocument();
    await user.click(within(card).getByRole('button', { name: 'Đã ghi lại, bỏ thay đổi này' }));
    expect(await screen.findByText('Không có thay đổi nào trùng với người khác.')).toBeInTheDocument();
    expect(await db.conflicts.count()).toBe(0);
  });
});
