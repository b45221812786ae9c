/**
 * Counts failed attempts per key (a client address, or a code prefix) in a sliding window. Never
 * one key for everyone: a limit all clients share is one an attacker can spend for them
 * (devices.route.ts explains the enrolment limits and why 50-bit codes survive them).
 * State lives in this process's memory: a restart forgets it, which costs a guesser nothing it
 * could use (the window is short next to the time a guess needs).
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    /** Keys remembered at most (the oldest are forgotten first), so memory stays bounded. */
    private readonly maxKeys = 100_000,
  ) {}

  private recent(key: string, nowMs: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((at) => at > nowMs - this.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  /** Failures of the key within the window. */
  count(key: string, nowMs: number): number {
    return this.recent(key, nowMs).length;
  }

  /** 0 when the key may try now; otherwise the milliseconds until its oldest failure expires. */
  waitMs(key: string, nowMs: number): number {
    const recent = this.recent(key, nowMs);
    const oldest = recent[0];
    return recent.length < this.limit || oldest === undefined ? 0 : oldest + this.windowMs - nowMs;
  }

  recordFailure(key: string, nowMs: number) {
    const recent = this.recent(key, nowMs);
    this.failures.delete(key);
    this.failures.set(key, [...recent, nowMs]);
    while (this.failures.size > this.maxKeys) {
      const oldestKey = this.failures.keys().next().value;
      if (oldestKey === undefined) break;
      this.failures.delete(oldestKey);
    }
  }
}

/**
 * The key a client address is limited under: an IPv4 address as it is (IPv4-mapped IPv6 too), an
 * IPv6 address by its /64 network, since one subscriber usually holds a whole /64 and could
 * otherwise take a fresh address for every guess.
 */
export function addressKey(ip: string): string {
  const address = ip.split('%')[0] ?? ip; // a zone index (fe80::1%eth0) names the interface, not the peer
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros =
    tail === undefined ? [] : Array.from({ length: Math.max(0, 8 - headGroups.length - tailGroups.length) }, () => '0');
  const groups = [...headGroups, ...zeros, ...tailGroups]
    .slice(0, 4)
    .map((g) => (Number.parseInt(g, 16) || 0).toString(16));
  return `${groups.join(':')}::/64`;
}
