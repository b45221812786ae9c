import { z } from 'zod';
import { messageKey } from './messages';

export const DEVICE_NAME_MAX_LENGTH = 60;

/**
 * The name a person gives this device (sent as `deviceName` at enrolment).
 * Error messages are locale keys: the UI translates them, the wire carries them as they are.
 */
export const deviceNameSchema = z
  .string()
  .trim()
  .min(1, { message: 'errors.deviceName.required' })
  .max(DEVICE_NAME_MAX_LENGTH, { message: messageKey('errors.deviceName.tooLong', { max: DEVICE_NAME_MAX_LENGTH }) });
