import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { API_PREFIX } from '../../../shared/protocol/api';
import { errorBodySchema, type ErrorDetail } from '../../../shared/protocol/errors.schema';
import { exportFileSchema } from '../../../shared/protocol/export-file.schema';
import {
  IMPORT_ERROR_MESSAGES,
  importResponseSchema,
  MAX_IMPORT_BYTES,
  type ImportErrorCode,
  type ImportResponse,
} from '../../../shared/protocol/import.schema';
import { AdminError } from '../../admin/admin-error';
import { checkExportFile, importExportFile, type ImportResult } from '../../admin/import-command';
import type { Store } from '../../store/store';
import { authenticateDevice, deviceOf, DEVICE_TOKEN_SECURITY } from '../authenticate';
import { gunzipRequestBody } from '../gzip-body';
import { HttpError } from '../http-error';

/**
 * Imports at once in this process: one file of tens of thousands of ops keeps the database busy
 * for a while, and the office imports files one after the other anyway.
 */
const MAX_CONCURRENT_IMPORTS = 1;
const RETRY_AFTER_SECONDS = 5;

const refuse = (status: number, code: ImportErrorCode, details?: ErrorDetail[]) =>
  new HttpError(status, code, IMPORT_ERROR_MESSAGES[code], details);
const tooLarge = () => refuse(413, 'payload_too_large');

/** What the app shows of an import: counts and the first rejections, never record data. */
function toResponse(result: ImportResult): ImportResponse {
  const { communeCode, deviceName, exportedAt, ops, isEnrolledDevice, results, rejections } = result;
  return { communeCode, deviceName, exportedAt, ops, isEnrolledDevice, results, rejections };
}

/**
 * POST /api/v1/imports: the commune office imports a device's "Xuất dữ liệu chưa gửi" file through
 * the app, with the same code as `npm run admin -- import` (import-command.ts): every op applies
 * as the file's device, exactly once, so importing twice or the device pushing later changes
 * nothing. Only a device whose scope is the whole commune may import, and only files of its own
 * commune. A file naming a device enrolled here must carry that device's signature (400
 * invalid_signature otherwise), so an office device cannot push in another phone's name. A file
 * refused as a whole stores nothing; one accepted is applied in push-sized batches, each in its
 * own transaction, so a broken connection leaves complete batches that a second import answers
 * as duplicates.
 */
export function registerImportRoutes(app: FastifyInstance, options: { store: Store; now: () => Date }) {
  const { store, now } = options;
  const authenticate = authenticateDevice(store);
  let runningImports = 0;

  const requireWholeCommune = async (request: FastifyRequest) => {
    if (deviceOf(request).villageIds !== null) throw refuse(403, 'forbidden_scope');
  };
  // Before the body is read: a declared size over the limit is refused without reading a byte.
  const checkDeclaredSize = async (request: FastifyRequest) => {
    if (Number(request.headers['content-length'] ?? 0) > MAX_IMPORT_BYTES) throw tooLarge();
  };
  const admitImport = async (_request: FastifyRequest, reply: FastifyReply) => {
    if (runningImports >= MAX_CONCURRENT_IMPORTS) {
      throw new HttpError(503, 'overloaded', IMPORT_ERROR_MESSAGES.overloaded, undefined, {
        'retry-after': String(RETRY_AFTER_SECONDS),
      });
    }
    runningImports += 1;
    reply.raw.once('close', () => {
      runningImports -= 1;
    });
  };

  app.withTypeProvider<ZodTypeProvider>().post(
    `${API_PREFIX}/imports`,
    {
      bodyLimit: MAX_IMPORT_BYTES,
      config: { bodyTooLargeCode: 'payload_too_large' },
      // The handler checks the body itself (checkExportFile) to answer invalid_file with the path.
      attachValidation: true,
      onRequest: [authenticate, requireWholeCommune, checkDeclaredSize, admitImport],
      preParsing: gunzipRequestBody(MAX_IMPORT_BYTES, tooLarge),
      schema: {
        summary: "Import a device's export file of unsynced changes (commune-wide devices only)",
        tags: ['sync'],
        security: DEVICE_TOKEN_SECURITY,
        body: exportFileSchema,
        response: {
          200: importResponseSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          413: errorBodySchema,
          503: errorBodySchema,
        },
      },
    },
    async (request) => {
      const checked = checkExportFile(request.body);
      if (!checked.ok)
        throw refuse(400, 'invalid_file', [
          { path: ['body', checked.path].filter(Boolean).join('.'), message: checked.reason },
        ]);
      if (checked.file.communeCode !== deviceOf(request).communeCode) throw refuse(403, 'commune_mismatch');
      try {
        return toResponse(await importExportFile(store, checked.file, { now }));
      } catch (error) {
        // The file names a device known here without its valid signature: nothing was stored.
        if (error instanceof AdminError && error.code === 'invalid_signature') throw refuse(400, 'invalid_signature');
        // The file's own device is enrolled in another commune.
        if (error instanceof AdminError && error.code === 'commune_mismatch') throw refuse(403, 'commune_mismatch');
        throw error;
      }
    },
  );
}
