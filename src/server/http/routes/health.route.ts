import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { API_PREFIX } from '../../../shared/protocol/api';
import { errorBodySchema } from '../../../shared/protocol/errors.schema';
import { healthResponseSchema } from '../../../shared/protocol/health.schema';
import { readSchemaVersion } from '../../store/migrations';
import type { Store } from '../../store/store';

/** Health asks the database each time, so a 200 means the store answers too. */
export function registerHealthRoute(app: FastifyInstance, store: Store) {
  app.withTypeProvider<ZodTypeProvider>().get(
    `${API_PREFIX}/health`,
    {
      schema: {
        summary: 'Server and database status',
        tags: ['system'],
        response: { 200: healthResponseSchema, 500: errorBodySchema },
      },
    },
    async () => ({ status: 'ok' as const, database: store.kind, schemaVersion: await readSchemaVersion(store) }),
  );
}
