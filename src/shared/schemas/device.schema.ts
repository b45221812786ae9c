import { z } from 'zod';
import { messageKey } from './messages';

export const DEVICE_NAME_MAX_LENGTH = 60;

/** Control characters (ESC, NUL…), lone surrogates and bidi overrides: a device name is shown in terminals and lists. */
const UNPRINTABLE_IN_NAME = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u;

/**
 * The name a person gives this device (sent as `deviceName` at enrolment).
 * Error messages are locale keys: the UI translates them, the wire carries them as they are.
 */
export const deviceNameSchema = z
  .string()
  .trim()
  .min(1, { message: 'errors.deviceName.required' })
  .max(DEVICE_NAME_MAX_LENGTH, { message: messageKey('errors.deviceName.tooLong', { max: DEVICE_NAME_MAX_LENGTH }) })
  .refine((name) => !UNPRINTABLE_IN_NAME.test(name), { message: 'errors.deviceName.unprintable' });
