/**
 * Fixed-window counters keyed by strings ("login:ip:1.2.3.4"). In memory for one process;
 * a Redis implementation of the same interface comes with the production engine.
 */
export interface RateLimiter {
  /** Counts one event; says whether it is within `limit` per `windowMs`. */
  hit(key: string, limit: number, windowMs: number): RateDecision;
  /** Looks without counting. */
  peek(key: string, limit: number): RateDecision;
  reset(key: string): void;
}

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window resets. */
  retryAfter: number;
}

export function memoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let lastSweep = now();
  const sweep = (t: number) => {
    if (t - lastSweep < 60_000) return;
    lastSweep = t;
    for (const [key, w] of windows) if (w.resetAt <= t) windows.delete(key);
  };
  const current = (key: string, t: number) => {
    const w = windows.get(key);
    return w && w.resetAt > t ? w : undefined;
  };
  return {
    hit(key, limit, windowMs) {
      const t = now();
      sweep(t);
      let w = current(key, t);
      if (!w) {
        w = { count: 0, resetAt: t + windowMs };
        windows.set(key, w);
      }
      w.count += 1;
      return { allowed: w.count <= limit, retryAfter: Math.ceil((w.resetAt - t) / 1000) };
    },
    peek(key, limit) {
      const t = now();
      const w = current(key, t);
      if (!w) return { allowed: true, retryAfter: 0 };
      return { allowed: w.count < limit, retryAfter: Math.ceil((w.resetAt - t) / 1000) };
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
