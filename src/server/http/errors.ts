import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { errorBody, type ErrorCode, type ErrorDetail } from '../../shared/protocol/errors.schema';
import { HttpError } from './http-error';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The code a too-large body gets on this route (push says batch_too_large). */
    bodyTooLargeCode?: ErrorCode;
  }
}

/** Fastify's own error codes for a body it could not read, mapped to the protocol's codes. */
const FASTIFY_BODY_ERRORS: Record<string, { status: number; code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'invalid_request',
    message: 'The request body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_request', message: 'The request body is empty' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'invalid_request',
    message: 'Content-Length does not match the body',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'The request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: 'Unsupported Content-Type' },
};

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_request',
  401: 'unauthorized',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'overloaded',
  503: 'overloaded',
};

function validationDetails(error: FastifyError): ErrorDetail[] {
  const context = error.validationContext ?? 'body';
  return (error.validation ?? []).map((issue) => ({
    path: [context, ...issue.instancePath.split('/').filter((p) => p.length > 0)].join('.'),
    message: issue.message ?? 'invalid',
  }));
}

function sendError(reply: FastifyReply, status: number, code: string, message: string, details?: ErrorDetail[]) {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send(errorBody(code, message, details));
}

/**
 * Every non-2xx answer carries `{ error: { code, message, details? } }`, whatever failed:
 * schema validation, unreadable JSON, an unknown route or a bug (sync-protocol.md, "Errors").
 */
export function installErrorHandling(
  app: FastifyInstance,
  notFound: (req: FastifyRequest, reply: FastifyReply) => unknown,
) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) {
      if (error.headers) void reply.headers(error.headers);
      return sendError(reply, error.statusCode, error.errorCode, error.message, error.details);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      return sendError(
        reply,
        400,
        'invalid_request',
        'The request does not match the schema',
        validationDetails(error),
      );
    }
    const known = error.code ? FASTIFY_BODY_ERRORS[error.code] : undefined;
    if (known) {
      const code = known.status === 413 ? (request.routeOptions.config.bodyTooLargeCode ?? known.code) : known.code;
      return sendError(reply, known.status, code, known.message);
    }

    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return sendError(reply, status, CODE_BY_STATUS[status] ?? 'invalid_request', error.message);
    }
    // Only what identifies the failure: database errors carry the failing row in `detail`,
    // and rows hold personal data that must never reach a log.
    request.log.error(
      { err: { type: error.name, code: error.code, message: error.message, stack: error.stack } },
      'request failed',
    );
    return sendError(reply, 500, 'internal_error', 'The server could not complete the request');
  });

  app.setNotFoundHandler((request, reply) => notFound(request, reply));
}

export function sendNotFound(reply: FastifyReply, method: string, url: string) {
  const pathOnly = url.split('?')[0] ?? url;
  return sendError(reply, 404, 'not_found', `No route ${method} ${pathOnly}`);
}
