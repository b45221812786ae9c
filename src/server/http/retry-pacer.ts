/**
 * Paces refused pushes: a device answered 503 is told (Retry-After) to come back in the first
 * coming second that the server has not already promised to as many devices as it can take in a
 * second. With one fixed Retry-After a crowd refused together comes back together, finds the slots
 * full again, and the server sits idle between those waves; spread out, the returns arrive about
 * as fast as pushes finish. What a second can take is measured, not configured: the slots times
 * the rate at which one slot finishes pushes lately (a moving average of how long a push holds its
 * slot, so a slower store or a heavier batch lowers it by itself).
 *
 * Per process, like the slots: with several server instances each paces the devices it refused.
 */
export interface RetryPacer {
  /** A push held its slot this long (from admission to the end of its answer). */
  noteService(ms: number): void;
  /** Seconds the refused device should wait (Retry-After), and counts it against that second. */
  nextRetryAfterSeconds(): number;
}

export interface RetryPacerOptions {
  /** Pushes in flight at once. */
  readonly slots: number;
  /** Never tell a device to wait longer than this (seconds). */
  readonly maxSeconds: number;
  /** The assumed time a push holds a slot before any was measured. */
  readonly initialServiceMs: number;
  /** Wall clock in ms (tests pass their own). */
  readonly now?: () => number;
}

/**
 * Each second is promised to more devices than the slots finish in it: the surplus waits for a slot
 * (sync.route.ts) or is refused again and paced anew, a cheap request; promising too few leaves
 * the server idle while devices wait, which costs every one of them time.
 */
const OVERBOOKING = 1.5;
/** Weight of the newest push in the moving average: about the last ten pushes count. */
const SMOOTHING = 0.1;

export function createRetryPacer(options: RetryPacerOptions): RetryPacer {
  const now = options.now ?? Date.now;
  let serviceMs = options.initialServiceMs;
  /** Epoch second → devices already told to come back in it. */
  const promised = new Map<number, number>();

  const perSecond = () => Math.max(1, Math.floor((OVERBOOKING * options.slots * 1000) / Math.max(1, serviceMs)));
  const forgetPast = (second: number) => {
    for (const key of promised.keys()) if (key <= second) promised.delete(key);
  };

  return {
    noteService(ms) {
      if (Number.isFinite(ms) && ms >= 0) serviceMs += SMOOTHING * (ms - serviceMs);
    },
    nextRetryAfterSeconds() {
      const second = Math.floor(now() / 1000);
      forgetPast(second);
      const capacity = perSecond();
      for (let wait = 1; wait <= options.maxSeconds; wait += 1) {
        const count = promised.get(second + wait) ?? 0;
        if (count < capacity) {
          promised.set(second + wait, count + 1);
          return wait;
        }
      }
      return options.maxSeconds;
    },
  };
}
