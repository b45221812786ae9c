import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from '../../../shared/protocol/api';

/** The whole API as OpenAPI 3.1, generated from the same zod schemas that validate requests. */
export function registerOpenApiRoute(app: FastifyInstance) {
  app.get(`${API_PREFIX}/openapi.json`, { schema: { hide: true } }, async () => app.swagger());
}
