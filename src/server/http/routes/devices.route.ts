import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { API_PREFIX } from '../../../shared/protocol/api';
import { errorBodySchema } from '../../../shared/protocol/errors.schema';
import { enrollRequestSchema, enrollResponseSchema } from '../../../shared/protocol/sync.schema';
import { enrollDevice } from '../../auth/enrollment';
import { FailureLimiter } from '../../auth/failure-limiter';
import type { Store } from '../../store/store';
import { HttpError } from '../http-error';

/** Wrong codes one client address may send per window, and all addresses together. */
const ENROLL_FAILURES_PER_ADDRESS = 10;
const ENROLL_FAILURES_ALL = 300;
const ENROLL_WINDOW_MS = 15 * 60 * 1000; // 15 minutes

/**
 * A device joins a commune with a one-time code; the answer is its token, shown only this once.
 * Wrong codes are limited per address and overall (429 + Retry-After), so codes cannot be guessed.
 */
export function registerDeviceRoutes(app: FastifyInstance, store: Store, now: () => Date) {
  const perAddress = new FailureLimiter(ENROLL_FAILURES_PER_ADDRESS, ENROLL_WINDOW_MS);
  const overall = new FailureLimiter(ENROLL_FAILURES_ALL, ENROLL_WINDOW_MS);
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
      const waitMs = Math.max(perAddress.waitMs(request.ip, at.getTime()), overall.waitMs('all', at.getTime()));
      if (waitMs > 0) {
        const retryAfter = String(Math.ceil(waitMs / 1000));
        throw new HttpError(429, 'overloaded', 'Too many wrong enrolment codes from here; try again later', undefined, { 'retry-after': retryAfter });
      }
      const enrolled = await enrollDevice(store, { code: request.body.code, deviceName: request.body.deviceName, now: at });
      if (!enrolled) {
        perAddress.recordFailure(request.ip, at.getTime());
        overall.recordFailure('all', at.getTime());
        // One answer for unknown, used and expired: the code's history is nobody's business.
        throw new HttpError(400, 'invalid_enrollment_code', 'The enrolment code is unknown, used or expired');
      }
      return enrolled;
    },
  );
}
