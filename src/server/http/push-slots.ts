/**
 * The push slots of one process: at most `max` pushes apply at once; a push that finds them all
 * busy waits up to `waitMs` for the next one freed (at most `maxWaiting` wait), else it is refused.
 * Only pushes whose body has been read and validated ask for a slot (sync.route.ts), so a slow or
 * stalled upload never holds one.
 */
export interface PushSlots {
  /** A slot at once, or within `waitMs` when few wait; false: refuse the push (503). */
  acquire(): Promise<boolean>;
  /** Gives a slot back: to the oldest waiting push, else to the pool. Call once per granted slot. */
  release(): void;
}

export interface PushSlotsOptions {
  readonly max: number;
  readonly waitMs: number;
  readonly maxWaiting: number;
}

export function createPushSlots(options: PushSlotsOptions): PushSlots {
  let running = 0;
  /** Pushes waiting for a slot, oldest first; each is handed the slot the next finished push frees. */
  const waiting: (() => void)[] = [];
  return {
    acquire() {
      if (running < options.max) {
        running += 1;
        return Promise.resolve(true);
      }
      if (waiting.length >= options.maxWaiting || options.waitMs <= 0) return Promise.resolve(false);
      return new Promise((resolve) => {
        const grant = () => {
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          const index = waiting.indexOf(grant);
          if (index >= 0) waiting.splice(index, 1);
          resolve(false);
        }, options.waitMs);
        waiting.push(grant);
      });
    },
    release() {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    },
  };
}
