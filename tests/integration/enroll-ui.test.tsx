// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import '@testing-library/jest-dom/vitest';
import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { href } from '../../src/client/app/routes';
import { writeSetting } from '../../src/client/db/settings.repository';
import { openDatabase } from '../../src/client/db/db';
import { createEnrollmentCode } from '../../src/server/auth/enrollment';
import { renderApp } from '../support/render-app';
import {
  enrollDevice,
  householdData,
  newId,
  opBuilder,
  pushOk,
  startSyncServer,
  SYNC_COMMUNE,
  villageData,
  type SyncServer,
} from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

const [pglite] = STORE_CASES;

/** A server of its own for the describe block (the wrong-code limit counts per server), and a clean page after each test. */
function useServer(): { readonly current: SyncServer } {
  const holder = {} as { current: SyncServer };
  beforeAll(async () => {
    if (!pglite) throw new Error('no store case');
    holder.current = await startSyncServer(pglite);
  });
  afterAll(async () => {
    await holder.current?.close();
  });
  afterEach(() => {
    cleanup();
    window.location.hash = '';
  });
  return holder;
}

describe('enrolling from the app', () => {
  const serverRef = useServer();

  it("joins the commune with the code from a QR link, and the first sync brings the commune's households", async () => {
    const server = serverRef.current;
    // Another device of the commune already sent a village and a household.
    const other = await enrollDevice(server.baseUrl, server.store, { communeCode: SYNC_COMMUNE });
    const villageId = newId();
    const ops = opBuilder(SYNC_COMMUNE);
    await pushOk(server.baseUrl, other, [
      ops.upsert('village', villageId, villageData({ name: 'Khu phố Nhị Đồng' })),
      ops.upsert('household', newId(), householdData(villageId, { headName: 'Huỳnh Thị Cúc' })),
    ]);

    const { code } = await createEnrollmentCode(server.store, {
      communeCode: SYNC_COMMUNE,
      expiresInMs: 60_000,
      now: new Date(),
    });
    const db = await openDatabase(`enroll-ui-${newId()}`);
    await writeSetting(db, 'deviceName', 'Máy tổ 3', new Date());
    Object.defineProperty(window, 'location', {
      value: new URL(`${server.baseUrl}/${href.connect(code)}`),
      writable: true,
    });
    const { user } = await renderApp({ db, withCommune: false, fetch: (input, init) => fetch(input, init) });

    expect(await screen.findByLabelText('Mã đăng ký thiết bị')).toHaveValue(code);
    expect(screen.getByLabelText('Địa chỉ máy chủ xã')).toHaveValue(server.baseUrl);
    await user.click(screen.getByRole('button', { name: 'Kết nối' }));

    await waitFor(
      async () => expect((await db.households.toArray()).map((h) => h.data.headName)).toEqual(['Huỳnh Thị Cúc']),
      { timeout: 10_000 },
    );
    expect((await db.settings.get('commune'))?.value).toMatchObject({
      communeCode: SYNC_COMMUNE,
      communeName: 'Phường Dĩ An',
    });
    expect((await db.settings.get('syncAccount'))?.value).toMatchObject({
      serverUrl: server.baseUrl,
      scope: { communeCode: SYNC_COMMUNE },
    });
  });

  it('says plainly when the code was already used', async () => {
    const server = serverRef.current;
    const { code } = await createEnrollmentCode(server.store, {
      communeCode: SYNC_COMMUNE,
      expiresInMs: 60_000,
      now: new Date(),
    });
    await fetch(`${server.baseUrl}/api/v1/devices/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, deviceName: 'Máy khác' }),
    });
    const db = await openDatabase(`enroll-used-${newId()}`);
    await writeSetting(db, 'deviceName', 'Máy tổ 4', new Date());
    Object.defineProperty(window, 'location', {
      value: new URL(`${server.baseUrl}/${href.connect(code)}`),
      writable: true,
    });
    const { user } = await renderApp({ db, withCommune: false, fetch: (input, init) => fetch(input, init) });
    await user.click(await screen.findByRole('button', { name: 'Kết nối' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Mã không đúng, đã dùng hoặc đã hết hạn.');
    expect(await db.settings.get('syncAccount')).toBeUndefined();
  });
});

describe('enrolling after too many wrong codes', () => {
  const serverRef = useServer();

  it('says how long to wait instead of "try again"', async () => {
    const server = serverRef.current;
    const enroll = (code: string) =>
      fetch(`${server.baseUrl}/api/v1/devices/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, deviceName: 'Máy đoán' }),
      });
    // Ten different first groups: the per-prefix limit (5 per prefix) is not what this test is about.
    for (let i = 0; i < 10; i += 1) expect((await enroll(`SAIM${'ABCDEFGHJK'[i] ?? 'Z'}-00000`)).status).toBe(400);
    const { code } = await createEnrollmentCode(server.store, {
      communeCode: SYNC_COMMUNE,
      expiresInMs: 60_000,
      now: new Date(),
    });
    const db = await openDatabase(`enroll-wait-${newId()}`);
    await writeSetting(db, 'deviceName', 'Máy tổ 5', new Date());
    Object.defineProperty(window, 'location', {
      value: new URL(`${server.baseUrl}/${href.connect(code)}`),
      writable: true,
    });
    const { user } = await renderApp({ db, withCommune: false, fetch: (input, init) => fetch(input, init) });
    await user.click(await screen.findByRole('button', { name: 'Kết nối' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Hãy đợi khoảng 15 phút rồi nhập lại đúng mã xã cấp.');
    expect(await db.settings.get('syncAccount')).toBeUndefined();
  });
});
