import type { FastifyRequest } from 'fastify';
import { findDeviceByToken, type Device } from '../auth/devices';
import type { Queryable } from '../store/store';
import { HttpError } from './http-error';

const BEARER = /^Bearer\s+([A-Za-z0-9_-]{20,200})\s*$/;
const devices = new WeakMap<FastifyRequest, Device>();

/**
 * onRequest hook of every device route: finds the device behind `Authorization: Bearer <token>`
 * before the body is even read, on every request, so a revoked device is refused at once.
 * Missing, malformed, unknown and revoked tokens get the same 401: it tells an attacker nothing.
 */
export function authenticateDevice(db: Queryable) {
  return async (request: FastifyRequest) => {
    const match = BEARER.exec(request.headers.authorization ?? '');
    const device = match?.[1] ? await findDeviceByToken(db, match[1]) : undefined;
    if (!device) throw new HttpError(401, 'unauthorized', 'A valid device token is required');
    devices.set(request, device);
  };
}

/** The device authenticateDevice found for this request. */
export function deviceOf(request: FastifyRequest): Device {
  const device = devices.get(request);
  if (!device) throw new Error('route without authenticateDevice: no device on the request');
  return device;
}

/** OpenAPI: the routes that need a device token (scheme declared in app.ts). */
export const DEVICE_TOKEN_SECURITY = [{ deviceToken: [] }];
