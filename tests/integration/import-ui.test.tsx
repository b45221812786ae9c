// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import '@testing-library/jest-dom/vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/client/db/db';
import { writeSetting } from '../../src/client/db/settings.repository';
import { EXPORT_FILE_FORMAT, type ExportFile } from '../../src/shared/protocol/export-file.schema';
import type { PushOp } from '../../src/shared/protocol/sync.schema';
import { renderApp } from '../support/render-app';
import {
  enrollDevice,
  householdData,
  newId,
  opBuilder,
  OTHER_COMMUNE,
  startSyncServer,
  SYNC_COMMUNE,
  villageData,
  type EnrolledDevice,
  type SyncServer,
} from '../support/sync-fixtures';
import { signedBy } from '../support/signed-export';
import { STORE_CASES } from '../support/test-stores';

const [pglite] = STORE_CASES;

function exportFile(ops: PushOp[], deviceId: string | null = null): ExportFile {
  return {
    format: EXPORT_FILE_FORMAT,
    version: 1,
    exportedAt: '2026-11-20T08:15:00.000Z',
    deviceId,
    deviceName: 'Máy chị Lan – thôn Đông',
    communeCode: SYNC_COMMUNE,
    ops,
  };
}

/** A village and a household in it, typed on a phone that never reached the server. */
function offlineOps(headName: string): PushOp[] {
  const ops = opBuilder(SYNC_COMMUNE);
  const villageId = newId();
  return [
    ops.upsert('village', villageId, villageData({ name: 'Thôn Bình Minh' })),
    ops.upsert('household', newId(), householdData(villageId, { headName })),
  ];
}

const asChosenFile = (content: unknown) =>
  new File([JSON.stringify(content)], 'chua-gui-25942-May-chi-Lan.json', { type: 'application/json' });

describe("importing another device's file at the commune office", () => {
  let server: SyncServer;
  let office: EnrolledDevice;
  const importRequests: string[] = [];
  const fetchToServer = (input: string, init?: RequestInit) => {
    if (input.includes('/api/v1/imports')) importRequests.push(input);
    return fetch(input, init);
  };

  beforeAll(async () => {
    if (!pglite) throw new Error('no store case');
    server = await startSyncServer(pglite);
    office = await enrollDevice(server.baseUrl, server.store, {
      communeCode: SYNC_COMMUNE,
      deviceName: 'Máy văn phòng xã',
    });
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(() => {
    cleanup();
    importRequests.length = 0;
  });

  /** The office's device, enrolled for the whole commune unless `villageIds` says otherwise. */
  async function officeApp(device: EnrolledDevice = office) {
    const db = await openDatabase(`import-ui-${newId()}`);
    const at = new Date();
    await writeSetting(db, 'deviceName', 'Máy văn phòng xã', at);
    await writeSetting(
      db,
      'syncAccount',
      {
        serverUrl: server.baseUrl,
        deviceId: device.deviceId,
        token: device.token,
        scope: device.scope,
        enrolledAt: at.toISOString(),
      },
      at,
    );
    return renderApp({ db, fetch: fetchToServer });
  }

  it('shows what the file holds, imports it once confirmed, and the next sync brings its records here', async () => {
    const { user, db } = await officeApp();
    const file = exportFile(offlineOps('Lò Văn Páo'));

    await user.upload(await screen.findByLabelText('Nhập tệp từ thiết bị khác'), asChosenFile(file));

    const preview = await screen.findByRole('group', { name: 'Nhập tệp dữ liệu chưa gửi' });
    expect(preview).toHaveTextContent(
      /Tệp của thiết bị “Máy chị Lan – thôn Đông”, xuất lúc \d\d:\d\d \d\d\/\d\d: 2 thay đổi chưa gửi\./,
    );
    expect(importRequests).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Nhập vào máy chủ xã' }));

    expect(await screen.findByTestId('import-result')).toHaveTextContent(
      'Đã nhập tệp của “Máy chị Lan – thôn Đông”: 2 thay đổi mới được lưu.',
    );
    await waitFor(
      async () => expect((await db.households.toArray()).map((h) => h.data.headName)).toContain('Lò Văn Páo'),
      { timeout: 10_000 },
    );
    // The imported records came down as the server's: nothing of them waits in this device's outbox.
    expect(await db.outbox.count()).toBe(0);
  });

  it('says how much of a file imported a second time the server already had', async () => {
    const file = exportFile(offlineOps('Hà Thị Mai'));
    const first = await officeApp();
    await first.user.upload(await screen.findByLabelText('Nhập tệp từ thiết bị khác'), asChosenFile(file));
    await first.user.click(await screen.findByRole('button', { name: 'Nhập vào máy chủ xã' }));
    await screen.findByTestId('import-result');
    cleanup();

    const again = await officeApp();
    await again.user.upload(await screen.findByLabelText('Nhập tệp từ thiết bị khác'), asChosenFile(file));
    await again.user.click(await screen.findByRole('button', { name: 'Nhập vào máy chủ xã' }));

    const result = await screen.findByTestId('import-result');
    expect(result).toHaveTextContent('0 thay đổi mới được lưu.');
    expect(result).toHaveTextContent('2 thay đổi xã đã có từ trước nên không lưu lại.');
  });

  it('refuses a file that is not an export on the device, and sends nothing', async () => {
    const { user } = await officeApp();
    await user.upload(
      await screen.findByLabelText('Nhập tệp từ thiết bị khác'),
      asChosenFile({ households: ['Nguyễn Văn An'] }),
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Tệp này không phải tệp “dữ liệu chưa gửi” của Sổ Khuyến học. Chưa có gì được nhập.',
    );
    expect(screen.queryByRole('button', { name: 'Nhập vào máy chủ xã' })).not.toBeInTheDocument();
    expect(importRequests).toEqual([]);
  });

  it("shows the server's refusal in Vietnamese when the file's device is enrolled in another commune", async () => {
    const foreign = await enrollDevice(server.baseUrl, server.store, { communeCode: OTHER_COMMUNE });
    const ops = offlineOps('Đinh Văn Hùng');
    const { user } = await officeApp();
    await user.upload(
      await screen.findByLabelText('Nhập tệp từ thiết bị khác'),
      asChosenFile(signedBy(exportFile(ops, foreign.deviceId), foreign.token)),
    );
    await user.click(await screen.findByRole('button', { name: 'Nhập vào máy chủ xã' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Tệp này là của xã khác, hoặc của thiết bị đã đăng ký ở xã khác. Chưa có gì được nhập.',
    );
    expect(importRequests).toHaveLength(1);
    const stored = await server.store.query('SELECT 1 FROM records WHERE id = ANY($1::uuid[])', [
      ops.map((op) => op.recordId),
    ]);
    expect(stored).toEqual([]);
  });

  it("shows the server's refusal in Vietnamese when the file names a phone of the commune without that phone's signature", async () => {
    const phone = await enrollDevice(server.baseUrl, server.store, {
      communeCode: SYNC_COMMUNE,
      deviceName: 'Máy chị Lan',
    });
    const ops = offlineOps('Người Giả Danh');
    const { user } = await officeApp();
    await user.upload(
      await screen.findByLabelText('Nhập tệp từ thiết bị khác'),
      asChosenFile(exportFile(ops, phone.deviceId)),
    );
    await user.click(await screen.findByRole('button', { name: 'Nhập vào máy chủ xã' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Tệp này không có chữ ký hợp lệ của thiết bị đã xuất nó: có thể tệp đã bị sửa, hoặc không phải do thiết bị đó tạo ra. Chưa có gì được nhập.',
    );
    const stored = await server.store.query('SELECT 1 FROM records WHERE id = ANY($1::uuid[])', [
      ops.map((op) => op.recordId),
    ]);
    expect(stored).toEqual([]);
  });

  it('is not offered on a device that may write only some villages', async () => {
    const villagePhone = await enrollDevice(server.baseUrl, server.store, {
      communeCode: SYNC_COMMUNE,
      villageIds: [newId()],
    });
    await officeApp(villagePhone);
    await screen.findByRole('button', { name: 'Đồng bộ ngay' });
    expect(screen.queryByLabelText('Nhập tệp từ thiết bị khác')).not.toBeInTheDocument();
  });
});
