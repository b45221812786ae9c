import { describe, expect, it } from 'vitest';
import { addressKey, FailureLimiter } from './failure-limiter';

const MINUTE_MS = 60_000;

describe('the failure limiter', () => {
  it('lets a key fail up to the limit, then makes it wait until its oldest failure leaves the window', () => {
    const limiter = new FailureLimiter(3, 10 * MINUTE_MS);
    limiter.recordFailure('a', 0);
    limiter.recordFailure('a', MINUTE_MS);
    expect(limiter.waitMs('a', MINUTE_MS)).toBe(0);
    limiter.recordFailure('a', 2 * MINUTE_MS);
    expect(limiter.waitMs('a', 2 * MINUTE_MS)).toBe(8 * MINUTE_MS);
    expect(limiter.waitMs('a', 10 * MINUTE_MS + 1)).toBe(0);
  });

  it('counts each key on its own', () => {
    const limiter = new FailureLimiter(1, MINUTE_MS);
    limiter.recordFailure('a', 0);
    expect(limiter.waitMs('a', 0)).toBeGreaterThan(0);
    expect(limiter.waitMs('b', 0)).toBe(0);
  });

  it('forgets the least recently failing keys beyond its bound', () => {
    const limiter = new FailureLimiter(1, MINUTE_MS, 2);
    limiter.recordFailure('a', 0);
    limiter.recordFailure('b', 1);
    limiter.recordFailure('c', 2);
    expect(limiter.waitMs('a', 3)).toBe(0);
    expect(limiter.waitMs('c', 3)).toBeGreaterThan(0);
  });

  it('limits an IPv6 address by its /64 and an IPv4 address (mapped or not) by itself', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('2001:db8:0001:2::7')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});
