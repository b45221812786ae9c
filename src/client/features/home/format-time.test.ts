import { describe, expect, it } from 'vitest';
import { formatSyncTime } from './format-time';

describe('the time of a sync or an export', () => {
  it.each([['vi'], ['en']])('reads hour:minute day/month in %s, on the 24-hour clock', (locale) => {
    expect(formatSyncTime(new Date(2026, 10, 20, 8, 5).toISOString(), locale)).toBe('08:05 20/11');
    expect(formatSyncTime(new Date(2026, 0, 3, 17, 40).toISOString(), locale)).toBe('17:40 03/01');
  });
});
