import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWriteContext } from '../../../../tests/factories/records';
import { renderApp } from '../../../../tests/support/render-app';
import { href } from '../../app/routes';
import { openDatabase, type AppDatabase } from '../../db/db';
import { writeSetting } from '../../db/settings.repository';
import { saveVillage } from '../../db/village.repository';

let db: AppDatabase;
let villageId: string;

beforeEach(async () => {
  db = await openDatabase(`household-form-${Math.random()}`);
  const at = new Date('2026-11-24T02:00:00Z');
  await writeSetting(
    db,
    'commune',
    { communeCode: '25942', communeName: 'Phường Dĩ An', provinceCode: '79', provinceName: 'Thành phố Hồ Chí Minh' },
    at,
  );
  villageId = (await saveVillage(db, buildWriteContext(), { name: 'Thôn Đông', kind: 'thon' })).id;
  window.location.hash = href.householdNew(villageId);
});
afterEach(() => {
  cleanup();
  window.location.hash = '';
});

async function fillMember(
  user: Awaited<ReturnType<typeof renderApp>>['user'],
  index: number,
  values: { name: string; sex: string; year: string; relation?: string },
) {
  const card = screen.getByRole('group', { name: `Thành viên ${index + 1}` });
  await user.type(within(card).getByLabelText('Họ và tên'), values.name);
  await user.selectOptions(within(card).getByLabelText('Giới tính'), values.sex);
  await user.type(within(card).getByLabelText('Năm sinh'), values.year);
  if (values.relation) await user.selectOptions(within(card).getByLabelText('Quan hệ với chủ hộ'), values.relation);
}

describe('household form', () => {
  it('saves a household with two members and opens it', async () => {
    const { user } = await renderApp({ db });
    await screen.findByRole('heading', { name: 'Thêm hộ gia đình' });
    await user.type(screen.getByLabelText('Địa chỉ'), 'Xóm 2');
    await fillMember(user, 0, { name: 'Nguyễn Văn An', sex: 'Nam', year: '1980' });
    await user.click(screen.getByRole('button', { name: '+ Thêm thành viên' }));
    await fillMember(user, 1, { name: 'Nguyễn Minh Châu', sex: 'Nữ', year: '2014', relation: 'Con' });
    await user.click(screen.getByRole('button', { name: 'Lưu hộ' }));

    expect(await screen.findByRole('heading', { name: 'Hộ Nguyễn Văn An' })).toBeInTheDocument();
    expect(screen.getByText('Nguyễn Minh Châu')).toBeInTheDocument();
    expect(await db.citizens.count()).toBe(2);
    expect(await db.drafts.count()).toBe(0);
  });

  it('shows Vietnamese errors for an empty name and a future birth year, and stores nothing', async () => {
    const { user } = await renderApp({ db });
    await screen.findByRole('heading', { name: 'Thêm hộ gia đình' });
    await fillMember(user, 0, { name: ' ', sex: 'Nam', year: '2030' });
    await user.click(screen.getByRole('button', { name: 'Lưu hộ' }));

    expect(await screen.findByText('Không được để trống.')).toBeInTheDocument();
    expect(screen.getByText('Năm sinh không thể sau năm 2026.')).toBeInTheDocument();
    expect(screen.getByLabelText('Năm sinh')).toHaveAttribute('aria-invalid', 'true');
    expect(await db.households.count()).toBe(0);
    expect(await db.outbox.count()).toBe(1); // only the village
  });

  it('refuses a household without a head', async () => {
    const { user } = await renderApp({ db });
    await screen.findByRole('heading', { name: 'Thêm hộ gia đình' });
    await fillMember(user, 0, { name: 'Lê Thị Hoa', sex: 'Nữ', year: '1990', relation: 'Con' });
    await user.click(screen.getByRole('button', { name: 'Lưu hộ' }));
    expect(await screen.findByText('Hộ phải có một thành viên là chủ hộ.')).toBeInTheDocument();
    expect(await db.households.count()).toBe(0);
  });

  it('keeps what was typed when the screen is closed mid-typing and opened again', async () => {
    const first = await renderApp({ db });
    await screen.findByRole('heading', { name: 'Thêm hộ gia đình' });
    await first.user.type(screen.getByLabelText('Họ và tên'), 'Phạm Văn Đức');
    await waitFor(async () => expect(await db.drafts.count()).toBe(1));
    cleanup(); // the tab closes; nothing was saved

    const reopened = await openDatabase(db.name);
    await renderApp({ db: reopened });
    expect(await screen.findByText('Đã khôi phục nội dung bạn nhập dở lần trước.')).toBeInTheDocument();
    expect(screen.getByLabelText('Họ và tên')).toHaveValue('Phạm Văn Đức');
  });

  it('edits an existing household: the members come back and changes are saved', async () => {
    const { user } = await renderApp({ db });
    await screen.findByRole('heading', { name: 'Thêm hộ gia đình' });
    await fillMember(user, 0, { name: 'Nguyễn Văn An', sex: 'Nam', year: '1980' });
    await user.click(screen.getByRole('button', { name: 'Lưu hộ' }));
    await screen.findByRole('heading', { name: 'Hộ Nguyễn Văn An' });

    await user.click(screen.getByRole('link', { name: 'Sửa hộ' }));
    const name = await screen.findByDisplayValue('Nguyễn Văn An');
    await user.clear(name);
    await user.type(name, 'Nguyễn Văn Ân');
    await user.click(screen.getByRole('button', { name: 'Lưu hộ' }));
    expect(await screen.findByRole('heading', { name: 'Hộ Nguyễn Văn Ân' })).toBeInTheDocument();
    expect(await db.citizens.count()).toBe(1);
  });
});
