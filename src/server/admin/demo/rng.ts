/**
 * Seeded randomness for the demo register (seed command, benchmark): the same seed always gives
 * the same numbers, on every machine, so generated data and ids are reproducible.
 */

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    const last = items[items.length - 1];
    if (!last) throw new Error('weighted pick from an empty list');
    return last[0];
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 1) out[i] = Math.floor(this.next() * 256);
    return out;
  }
}

/** Fixed clock for ids and timestamps: the data look entered during the year before `year`. */
export class Clock {
  private ms: number;
  constructor(year: number) {
    this.ms = Date.UTC(year - 1, 2, 1, 1, 0, 0);
  }
  tick(rng: Rng): number {
    this.ms += rng.int(1_000, 240_000);
    return this.ms;
  }
}

/** Zipf-like weights: earlier names in a list are more common, the last ones rare. */
export function zipf<T>(items: readonly T[], exponent = 1): (readonly [T, number])[] {
  return items.map((item, i) => [item, 1 / Math.pow(i + 1, exponent)] as const);
}
