/**
 * Fixed-window counters keyed by strings ("login-fail:ip:1.2.3.4"): in memory for one process;
 * in the memory of a cluster's primary, asked over IPC, for its workers; or in Redis
 * (REDIS_URL) so that every app process, on any machine, counts together.
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

/** One end of an IPC channel: a cluster worker's `process`, or the primary's `Worker`. */
export interface MessageChannel {
  send(message: object): unknown;
  on(event: "message", listener: (message: unknown) => void): unknown;
}

type RateOp =
  | { op: "hit"; key: string; limit: number; windowMs: number }
  | { op: "peek"; key: string; limit: number }
  | { op: "undo" | "reset"; key: string };

/** A worker's question to the process that keeps the counts; `id` matches the answer. */
type RateAsk = { fanfold: "rate-ask"; id: number } & RateOp;
interface RateAnswer {
  fanfold: "rate-answer";
  id: number;
  decision?: RateDecision;
  error?: string;
}

const isRecord = (m: unknown): m is Record<string, unknown> => typeof m === "object" && m !== null;

function asRateAsk(m: unknown): RateAsk | null {
  if (!isRecord(m) || m.fanfold !== "rate-ask") return null;
  const { id, op, key, limit, windowMs } = m;
  if (typeof id !== "number" || typeof key !== "string") return null;
  const positive = (n: unknown): n is number => typeof n === "number" && n > 0;
  if (op === "hit" && positive(limit) && positive(windowMs))
    return { fanfold: "rate-ask", id, op, key, limit, windowMs };
  if (op === "peek" && positive(limit)) return { fanfold: "rate-ask", id, op, key, limit };
  if (op === "undo" || op === "reset") return { fanfold: "rate-ask", id, op, key };
  return null;
}

/**
 * Counters kept by another process (the cluster's primary, see answerRateAsks), asked over
 * the IPC channel: in-memory limits that hold across every worker without Redis. Only
 * rate-limited routes pay the round trip (about 0.1 ms).
 */
export function remoteRateLimiter(channel: MessageChannel, timeoutMs = 5_000): RateLimiter {
  let nextId = 1;
  const waiting = new Map<
    number,
    { resolve: (d: RateDecision) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  channel.on("message", (m) => {
    if (!isRecord(m) || m.fanfold !== "rate-answer" || typeof m.id !== "number") return;
    const answer = m as unknown as RateAnswer;
    const pending = waiting.get(answer.id);
    if (!pending) return;
    waiting.delete(answer.id);
    clearTimeout(pending.timer);
    if (answer.decision) pending.resolve(answer.decision);
    else pending.reject(new Error(`rate limiter: ${answer.error ?? "no answer"}`));
  });
  const ask = (op: RateOp) =>
    new Promise<RateDecision>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`rate limiter: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      waiting.set(id, { resolve, reject, timer });
      channel.send({ fanfold: "rate-ask", id, ...op } satisfies RateAsk);
    });
  return {
    hit: (key, limit, windowMs) => ask({ op: "hit", key, limit, windowMs }),
    peek: (key, limit) => ask({ op: "peek", key, limit }),
    undo: async (key) => void (await ask({ op: "undo", key })),
    reset: async (key) => void (await ask({ op: "reset", key })),
    close: () => Promise.resolve(),
  };
}

/** Answers a worker's remoteRateLimiter from `limiter` (the primary's memory counters). */
export function answerRateAsks(limiter: RateLimiter, channel: MessageChannel): void {
  channel.on("message", (m) => {
    const ask = asRateAsk(m);
    if (!ask) return;
    const done =
      ask.op === "hit"
        ? limiter.hit(ask.key, ask.limit, ask.windowMs)
        : ask.op === "peek"
          ? limiter.peek(ask.key, ask.limit)
          : limiter[ask.op](ask.key).then(() => ({ allowed: true, retryAfter: 0 }));
    done.then(
      (decision) => channel.send({ fanfold: "rate-answer", id: ask.id, decision }),
      (err: unknown) => channel.send({ fanfold: "rate-answer", id: ask.id, error: String(err) }),
    );
  });
}
