import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEnrollmentCode } from '../../src/server/auth/enrollment';
import { errorBodySchema } from '../../src/shared/protocol/errors.schema';
import { enrollResponseSchema } from '../../src/shared/protocol/sync.schema';
import { useSyncServer } from '../support/sync-fixtures';
import { STORE_CASES } from '../support/test-stores';

const HOUR_MS = 60 * 60 * 1000;
const SYMBOLS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const randomGroup = () => Array.from(randomBytes(5), (b) => SYMBOLS[b % SYMBOLS.length] ?? 'A').join('');
/** A code nobody was given (50 random bits: never one of the test's), with the first group asked for. */
const wrongCode = (prefix?: string) => `${prefix ?? randomGroup()}-${randomGroup()}`;

describe.each(STORE_CASES)('enrolment limits on $kind', (storeCase) => {
  const server = useSyncServer(storeCase);
  const enroll = async (code: string, remoteAddress: string) => {
    const answer = await server.app.inject({
      method: 'POST',
      url: '/api/v1/devices/enroll',
      payload: { code, deviceName: 'Máy' },
      remoteAddress,
    });
    return { status: answer.statusCode, body: answer.json<unknown>() };
  };
  const freshCode = async () =>
    (await createEnrollmentCode(server.store, { communeCode: '25942', expiresInMs: 24 * HOUR_MS, now: new Date() }))
      .code;

  it('three hundred wrong codes from thirty addresses do not stop a valid code from a fresh address', async () => {
    for (let a = 0; a < 30; a += 1) {
      for (let i = 0; i < 10; i += 1) expect((await enroll(wrongCode(), `203.0.113.${a + 1}`)).status).toBe(400);
    }
    const answer = await enroll(await freshCode(), '198.51.100.7');
    expect(answer.status).toBe(200);
    expect(enrollResponseSchema.parse(answer.body).scope.communeCode).toBe('25942');
  });

  it('wrong guesses at one code prefix refuse addresses that guessed wrong, never the valid code from a fresh address', async () => {
    const code = await freshCode();
    const prefix = code.slice(0, 5);
    for (let a = 0; a < 5; a += 1) expect((await enroll(wrongCode(prefix), `192.0.2.${a + 1}`)).status).toBe(400);
    // An address that already guessed wrong (elsewhere) gets no further guess at this prefix…
    expect((await enroll(wrongCode(), '192.0.2.50')).status).toBe(400);
    const refused = await enroll(wrongCode(prefix), '192.0.2.50');
    expect(refused.status).toBe(429);
    expect(errorBodySchema.parse(refused.body).error.code).toBe('overloaded');
    // …while the person holding the code enrols from an address with no wrong guess.
    expect((await enroll(code, '192.0.2.99')).status).toBe(200);
  });

  it('an IPv6 /64 counts as one address: ten wrong codes from it refuse its other addresses too', async () => {
    for (let i = 0; i < 10; i += 1)
      expect((await enroll(wrongCode(), `2001:db8:1:2::${(i + 1).toString(16)}`)).status).toBe(400);
    expect((await enroll(await freshCode(), '2001:db8:1:2:ffff::1')).status).toBe(429);
    expect((await enroll(await freshCode(), '2001:db8:1:3::1')).status).toBe(200);
  });
});
