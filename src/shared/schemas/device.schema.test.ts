import { describe, expect, it } from 'vitest';
import { DEVICE_NAME_MAX_LENGTH, deviceNameSchema } from './device.schema';

describe('deviceNameSchema', () => {
  it('accepts a Vietnamese name and trims the spaces around it', () => {
    expect(deviceNameSchema.parse('  Máy chị Lan – thôn Đông ')).toBe('Máy chị Lan – thôn Đông');
  });

  it.each([
    ['', 'errors.deviceName.required'],
    ['    ', 'errors.deviceName.required'],
    ['x'.repeat(DEVICE_NAME_MAX_LENGTH + 1), `errors.deviceName.tooLong?max=${DEVICE_NAME_MAX_LENGTH}`],
  ])('refuses %j with the message key %s', (input, key) => {
    const result = deviceNameSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(key);
  });
});

describe('deviceNameSchema and hidden characters', () => {
  it.each([['Máy\u001b[31m đỏ'], ['Máy\u0000'], ['Máy \u202Eđảo'], ['Máy \uD83D']])(
    'refuses %j with a message the phone shows in Vietnamese',
    (input) => {
      const result = deviceNameSchema.safeParse(input);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toBe('errors.deviceName.unprintable');
    },
  );
});
