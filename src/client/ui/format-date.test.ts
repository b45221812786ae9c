import { describe, expect, it } from 'vitest';
import { formatIsoDate } from './format-date';

describe('formatIsoDate', () => {
  it('writes a date day first, as Vietnamese documents do', () => {
    expect(formatIsoDate('2015-12-01')).toBe('01/12/2015');
  });
  it('leaves text that is not an ISO date as it is', () => {
    expect(formatIsoDate('chưa rõ')).toBe('chưa rõ');
  });
});
