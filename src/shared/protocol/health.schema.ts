import { z } from 'zod';

export const DATABASE_KINDS = ['pglite', 'postgres'] as const;
export const databaseKindSchema = z.enum(DATABASE_KINDS);
export type DatabaseKind = z.infer<typeof databaseKindSchema>;

/** `GET /api/v1/health` (sync-protocol.md, "Health"). */
export const healthResponseSchema = z.object({
  status: z.literal('ok'),
  database: databaseKindSchema,
  schemaVersion: z.number().int().nonnegative(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
