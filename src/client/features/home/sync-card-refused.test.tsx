import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { buildWriteContext, COMMUNE_CODE } from '../../../../tests/factories/records';
import { FIXED_NOW, renderApp } from '../../../../tests/support/render-app';
import { openDatabase } from '../../db/db';
import { writeSetting } from '../../db/settings.repository';
import { saveVillage } from '../../db/village.repository';

const DEVICE_ID = '0196f0c2-8a4b-7c3d-9e8f-00000000d001';
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The commune server as the network shows it: every push refused as a whole with `answer`, pulls empty. */
function serverRefusingPushes(answer: () => Response) {
  const pushes: string[] = [];
  const fetchFn = async (input: string, init?: RequestInit) => {
    if (input.includes('/sync/push')) {
      pushes.push(String(init?.body));
      return answer();
    }
    if (input.includes('/sync/pull')) return json(200, { changes: [], cursor: 'c0', hasMore: false });
    return json(404, { error: { code: 'not_found', message: 'Not found' } });
  };
  return { fetchFn, pushes };
}

async function enrolledPhoneWithOneChange() {
  const db = await openDatabase(`sync-card-refused-${Math.random()}`);
  await writeSetting(
    db,
    'commune',
    { communeCode: COMMUNE_CODE, communeName: 'Xã Thử', provinceCode: '01', provinceName: 'Hà Nội' },
    FIXED_NOW,
  );
  await writeSetting(db, 'deviceName', 'Máy chị Lan', FIXED_NOW);
  await writeSetting(
    db,
    'syncAccount',
    {
      serverUrl: 'https://xa.example',
      deviceId: DEVICE_ID,
      token: 'token-0123456789abcdefghij',
      scope: { communeCode: COMMUNE_CODE, villageIds: null },
      enrolledAt: FIXED_NOW.toISOString(),
    },
    FIXED_NOW,
  );
  await saveVillage(db, buildWriteContext(), { name: 'Thôn Đông', kind: 'thon' });
  return db;
}

afterEach(() => cleanup());

describe('the sync card when the server refuses a push as a whole', () => {
  it('says in Vietnamese what the server said, which change, that nothing is lost, and offers the export right there', async () => {
    const db = await enrolledPhoneWithOneChange();
    const server = serverRefusingPushes(() =>
      json(400, { error: { code: 'invalid_request', message: 'The request does not match the schema' } }),
    );
    const { user } = await renderApp({ db, fetch: server.fetchFn });

    const status = await screen.findByText(
      'Máy chủ từ chối gói dữ liệu: máy chủ không đọc được gói dữ liệu (có thể ứng dụng hoặc máy chủ cần cập nhật).',
      {},
      { timeout: 5_000 },
    );
    expect(status).toHaveAttribute('data-testid', 'sync-status');
    const notice = screen.getByTestId('push-refused');
    expect(notice).toHaveTextContent('Thay đổi bị từ chối: Thôn (thay đổi số 1).');
    expect(notice).toHaveTextContent('vẫn nằm trên máy, không mất');
    expect(server.pushes).toHaveLength(1);
    expect(await db.outbox.count()).toBe(1);
    // One export button, in the notice; it exports the change that is waiting.
    expect(screen.getAllByRole('button', { name: 'Xuất dữ liệu chưa gửi ra tệp' })).toHaveLength(1);
    await user.click(within(notice).getByRole('button', { name: 'Xuất dữ liệu chưa gửi ra tệp' }));
    expect(await screen.findByText(/Đã xuất 1 thay đổi ra tệp\./)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Đồng bộ ngay' })).toBeEnabled();
  });

  it("calls a 413 from something between (not the server's JSON) a change too large", async () => {
    const db = await enrolledPhoneWithOneChange();
    const server = serverRefusingPushes(
      () =>
        new Response('<html><body>413 Request Entity Too Large</body></html>', {
          status: 413,
          headers: { 'content-type': 'text/html' },
        }),
    );
    await renderApp({ db, fetch: server.fetchFn });
    expect(
      await screen.findByText(
        'Máy chủ từ chối gói dữ liệu: một thay đổi quá lớn để gửi qua đồng bộ.',
        {},
        { timeout: 5_000 },
      ),
    ).toBeInTheDocument();
  });

  it('names a code it has no words for with the code and status', async () => {
    const db = await enrolledPhoneWithOneChange();
    const server = serverRefusingPushes(() =>
      json(409, { error: { code: 'protocol_too_old', message: 'Update the app' } }),
    );
    await renderApp({ db, fetch: server.fetchFn });
    expect(
      await screen.findByText('Máy chủ từ chối gói dữ liệu: mã protocol_too_old (HTTP 409).', {}, { timeout: 5_000 }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Thay đổi bị từ chối/)).not.toBeInTheDocument(); // a 409 is not narrowed to one change
  });
});
