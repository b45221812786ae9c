/**
 * Counts failed attempts per key (a client address, or one key for everyone) in a sliding
 * window. An enrolment code has about 50 bits: guessing is hopeless when each address may fail
 * only a few times per window and all addresses together only a few hundred.
 * State lives in this process's memory: a restart forgets it, which costs a guesser nothing it
 * could use (the window is short next to the time a guess needs).
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    /** Keys remembered at most (the oldest are forgotten first), so memory stays bounded. */
    private readonly maxKeys = 10_000,
  ) {}

  private recent(key: string, nowMs: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((at) => at > nowMs - this.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
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
