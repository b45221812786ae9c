import type { ErrorCode, ErrorDetail } from '../../shared/protocol/errors.schema';

/**
 * A refusal with its protocol error code; the app's error handler turns it into the error body
 * (errors.ts). Throw it from hooks and handlers instead of replying by hand.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorCode: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
