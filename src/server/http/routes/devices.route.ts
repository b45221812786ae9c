import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { API_PREFIX } from '../../../shared/protocol/api';
import { errorBodySchema } from '../../../shared/protocol/errors.schema';
import { enrollRequestSchema, enrollResponseSchema } from '../../../shared/protocol/sync.schema';
import { enrollDevice } from '../../auth/enrollment';
import type { Store } from '../../store/store';
import { HttpError } from '../http-error';

/** A device joins a commune with a one-time code; the answer is its token, shown only this once. */
export function registerDeviceRoutes(app: FastifyInstance, store: Store, now: () => Date) {
  app.withTypeProvider<ZodTypeProvider>().post(
    `${API_PREFIX}/devices/enroll`,
    {
      schema: {
        summary: 'Enrol a device with a one-time enrolment code',
        tags: ['devices'],
        body: enrollRequestSchema,
        response: { 200: enrollResponseSchema, 400: errorBodySchema },
      },
    },
    async (request) => {
      const enrolled = await enrollDevice(store, { code: request.body.code, deviceName: request.body.deviceName, now: now() });
      // One answer for unknown, used and expired: the code's history is nobody's business.
      if (!enrolled) throw new HttpError(400, 'invalid_enrollment_code', 'The enrolment code is unknown, used or expired');
      return enrolled;
    },
  );
}
