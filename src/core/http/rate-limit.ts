/**
 * Fixed-window counters keyed by strings ("login-fail:ip:1.2.3.4"): in memory for one process, or
 * in Redis (REDIS_URL) so that every app process counts together.
 */
import { Redis } from "ioredis";

export interface RateLimiter {
  /** Counts one event; says whether it is within `limit` per `windowMs`. */
  hit(key: string, limit: number, windowMs: number): Promise<RateDecision>;
  /** Looks without counting. */
  peek(key: string, limit: number): Promise<RateDecision>;
  /**
   * Takes back one event counted by `hit` (never below zero, keeping the window): lets a
   * caller count an attempt before knowing its outcome, then uncount it when it proves harmless.
   */
  undo(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
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
      return Promise.resolve({
        allowed: w.count <= limit,
        retryAfter: Math.ceil((w.resetAt - t) / 1000),
      });
    },
    peek(key, limit) {
      const t = now();
      const w = current(key, t);
      if (!w) return Promise.resolve({ allowed: true, retryAfter: 0 });
      return Promise.resolve({
        allowed: w.count < limit,
        retryAfter: Math.ceil((w.resetAt - t) / 1000),
      });
    },
    undo(key) {
      const w = current(key, now());
      if (w && w.count > 0) w.count -= 1;
      return Promise.resolve();
    },
    reset(key) {
      windows.delete(key);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}

// INCR and the first PEXPIRE in one step, so a crash between them cannot leave a key that
// never expires.
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}`;

// DECR keeps the key's expiry; a key that has expired (or never existed) stays absent.
const UNDO = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

/** Counters in Redis under `prefix`; `url` like redis://127.0.0.1:6379/0. */
export function redisRateLimiter(url: string, prefix = "fanfold:rate:"): RateLimiter {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  redis.on("error", () => {
    // Reported through the failed commands below; ioredis reconnects on its own.
  });
  return {
    async hit(key, limit, windowMs) {
      const [count, ttl] = (await redis.eval(HIT, 1, prefix + key, String(windowMs))) as [
        number,
        number,
      ];
      return { allowed: count <= limit, retryAfter: Math.ceil(ttl / 1000) };
    },
    async peek(key, limit) {
      const [count, ttl] = await Promise.all([redis.get(prefix + key), redis.pttl(prefix + key)]);
      const n = Number(count ?? 0);
      return { allowed: n < limit, retryAfter: n === 0 ? 0 : Math.ceil(Math.max(ttl, 0) / 1000) };
    },
    async undo(key) {
      await redis.eval(UNDO, 1, prefix + key);
    },
    async reset(key) {
      await redis.del(prefix + key);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
