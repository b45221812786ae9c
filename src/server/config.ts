import path from 'node:path';
import { z } from 'zod';

const DEFAULT_PORT = 8080;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(DEFAULT_PORT),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL phải bắt đầu bằng postgres:// hoặc postgresql://')
    .optional(),
  STATIC_DIR: z.string().min(1).default('dist'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Photos stored per commune, in MiB (attachments.route.ts); unset: 2048. */
  ATTACHMENT_QUOTA_MB: z.coerce
    .number()
    .int()
    .min(1)
    .max(1024 * 1024)
    .optional(),
});

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly staticDir: string;
  readonly logLevel: string;
  /** Undefined: the default (ATTACHMENT_QUOTA_BYTES_PER_COMMUNE). */
  readonly attachmentQuotaBytes: number | undefined;
}

/** Reads the server's settings from the environment; throws a readable error on a bad value. */
export function readConfig(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): ServerConfig {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Cấu hình không hợp lệ:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(cwd, e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    staticDir: path.resolve(cwd, e.STATIC_DIR),
    logLevel: e.LOG_LEVEL,
    attachmentQuotaBytes: e.ATTACHMENT_QUOTA_MB === undefined ? undefined : e.ATTACHMENT_QUOTA_MB * 1024 * 1024,
  };
}
