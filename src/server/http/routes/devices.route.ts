import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { API_PREFIX } from '../../../shared/protocol/api';
import { errorBodySchema } from '../../../shared/protocol/errors.schema';
import { enrollRequestSchema, enrollResponseSchema } from '../../../shared/protocol/sync.schema';
import { enrollDevice } from '../../auth/enrollment';
import { addressKey, FailureLimiter } from '../../auth/failure-limiter';
import { normaliseEnrollmentCode } from '../../auth/tokens';
import type { Store } from '../../store/store';
import { HttpError } from '../http-error';

/** Wrong codes one client address (an IPv6 /64) may send per window. */
export const ENROLL_FAILURES_PER_ADDRESS = 10;
/** Wrong codes starting with the same ENROLL_PREFIX_LENGTH symbols, from all addresses, per window. */
export const ENROLL_FAILURES_PER_PREFIX = 5;
/** A code's first group (normalised): someone who overheard it has 25 bits left to guess, not 50. */
const ENROLL_PREFIX_LENGTH = 5;
export const ENROLL_WINDOW_MS = 15 * 60 * 1000; // 15 minutes

/**
 * A device joins a commune with a one-time code; the answer is its token, shown only this once.
 *
 * Wrong codes are limited (429 + Retry-After) per client address, and per code prefix for
 * addresses that have already guessed wrong; never for everyone at once, so nobody can lock
 * enrolment for the others: a right code from an address with no wrong guess in the window is
 * always checked. A code has 50 random bits (about 1.1e15 values): at 10 guesses per address per
 * 15 minutes (960 a day), even 10,000 addresses with 100 live codes on the server need on average
 * 2^50 / (100 × 9.6e6 a day) ≈ 1.2e6 days (over 3,000 years) for one hit, and a code lives at most
 * 90 days. Someone who overheard a code's first group still has 25 bits (3.4e7) to guess; the
 * prefix limit gives each address one guess at that prefix per window once 5 have failed.
 */
export function registerDeviceRoutes(app: FastifyInstance, store: Store, now: () => Date) {
  const perAddress = new FailureLimiter(ENROLL_FAILURES_PER_ADDRESS, ENROLL_WINDOW_MS);
  const perPrefix = new FailureLimiter(ENROLL_FAILURES_PER_PREFIX, ENROLL_WINDOW_MS);
  app.withTypeProvider<ZodTypeProvider>().post(
    `${API_PREFIX}/devices/enroll`,
    {
      schema: {
        summary: 'Enrol a device with a one-time enrolment code',
        tags: ['devices'],
        body: enrollRequestSchema,
        response: { 200: enrollResponseSchema, 400: errorBodySchema, 429: errorBodySchema },
      },
    },
    async (request) => {
      const at = now();
      const address = addressKey(request.ip);
      const prefix = normaliseEnrollmentCode(request.body.code).slice(0, ENROLL_PREFIX_LENGTH);
      const guessedWrong = perAddress.count(address, at.getTime()) > 0;
      const waitMs = Math.max(
        perAddress.waitMs(address, at.getTime()),
        guessedWrong ? perPrefix.waitMs(prefix, at.getTime()) : 0,
      );
      if (waitMs > 0) {
        const retryAfter = String(Math.ceil(waitMs / 1000));
        throw new HttpError(429, 'overloaded', 'Too many wrong enrolment codes from here; try again later', undefined, {
          'retry-after': retryAfter,
        });
      }
      const enrolled = await enrollDevice(store, {
        code: request.body.code,
        deviceName: request.body.deviceName,
        now: at,
      });
      if (!enrolled) {
        perAddress.recordFailure(address, at.getTime());
        perPrefix.recordFailure(prefix, at.getTime());
        // One answer for unknown, used and expired: the code's history is nobody's business.
        throw new HttpError(400, 'invalid_enrollment_code', 'The enrolment code is unknown, used or expired');
      }
      return enrolled;
    },
  );
}
