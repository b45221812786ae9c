import { describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../src/server/admin/commands';
import type { DevicesResult } from '../../src/server/admin/devices-command';
import { createEnrollmentCode } from '../../src/server/auth/enrollment';
import { renderDevices } from '../../src/server/cli/render';
import { errorBodySchema } from '../../src/shared/protocol/errors.schema';
import { enrollDevice, postJson, useSyncServer } from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

const HOUR_MS = 60 * 60 * 1000;
/** ESC [2J clears the screen; ESC ]0;… sets the terminal title; U+202E reverses what follows. */
const HOSTILE_NAME = 'Máy\u001b[2J\u001b]0;owned\u0007 chị Lan\u202e';
/** Characters of `text` a terminal would act on (line breaks of the output itself aside). */
const unprintableIn = (text: string) => [...text].filter((c) => c !== '\n' && /[\p{Cc}\u202a-\u202e]/u.test(c));
/** A commune of the national list (the admin commands refuse others); each store case has its own database. */
const COMMUNE = '25747';

describe.each(STORE_CASES)('device names on $kind', (storeCase) => {
  const server = useSyncServer(storeCase);

  it('enrolment refuses a device name with control characters, and the code stays unused', async () => {
    const { code } = await createEnrollmentCode(server.store, {
      communeCode: '25942',
      expiresInMs: HOUR_MS,
      now: new Date(),
    });
    for (const deviceName of [HOSTILE_NAME, 'Máy\u0000', 'Máy\u009b31m', 'Máy\nthôn Đông']) {
      const refused = await postJson(`${server.baseUrl}/api/v1/devices/enroll`, { code, deviceName });
      expect(refused.status).toBe(400);
      expect(errorBodySchema.parse(refused.body).error).toMatchObject({
        code: 'invalid_request',
        details: [expect.objectContaining({ path: 'body.deviceName' })],
      });
    }
    expect(
      (await postJson(`${server.baseUrl}/api/v1/devices/enroll`, { code, deviceName: 'Máy chị Lan – thôn Đông' }))
        .status,
    ).toBe(200);
  });

  it('admin devices prints a stored name with control characters escaped, never raw', async () => {
    const communeCode = COMMUNE;
    const device = await enrollDevice(server.baseUrl, server.store, { communeCode, deviceName: 'Máy cũ' });
    // A name stored before enrolment refused them.
    await server.store.query('UPDATE devices SET name = $1 WHERE device_id = $2', [HOSTILE_NAME, device.deviceId]);
    const listed = (await runAdminCommand(
      server.store,
      'devices',
      { communeCode },
      { now: () => new Date() },
    )) as DevicesResult;
    const printed = renderDevices(listed);
    expect(unprintableIn(printed)).toEqual([]);
    expect(printed).toContain('Máy\\x1b[2J\\x1b]0;owned\\x07 chị Lan\\u202e');
    const revoked = renderDevices(
      (await runAdminCommand(
        server.store,
        'devices',
        { revoke: device.deviceId },
        { now: () => new Date() },
      )) as DevicesResult,
    );
    expect(revoked).toContain('(Máy\\x1b[2J');
    expect(unprintableIn(revoked)).toEqual([]);
  });
});
