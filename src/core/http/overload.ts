/**
 * A bounded queue in front of every request this process serves: at most `maxInFlight` are
 * handled at once, at most `maxQueued` wait for a place, and none waits longer than
 * `maxQueueMs`. Past that a request is answered 503 with Retry-After at once, so that an
 * overloaded server says so in milliseconds instead of serving everyone seconds late (or a
 * proxy timing out). A place is given back when the response closes: sent, failed, or the
 * reader gone; a reader who leaves while waiting gives up their place in the queue.
 *
 * On SQLite a request is handled start to finish in one turn of the event loop, so requests
 * rarely overlap and the queue stays empty: the excess waits unseen, in the sockets, for the
 * loop. LoopPressure sees that wait as the event loop running late, and sheds a share of
 * requests (growing while it stays late, shrinking once it is on time again).
 */
import type { FastifyReply, FastifyRequest } from "fastify";

export interface OverloadLimits {
  /** Requests handled at once; more wait in the queue. */
  maxInFlight: number;
  /** Requests waiting for a place; one more is answered 503 at once. */
  maxQueued: number;
  /** A request that waited this long is answered 503 rather than served late. */
  maxQueueMs: number;
  /** Requests are shed while the event loop keeps running this late (0: never). */
  maxLoopDelayMs: number;
}

/** Seconds a shed request is told to wait (crawlers and tools honour it; people reload). */
export const RETRY_AFTER_SECONDS = 5;

/** How often the event loop's lateness is sampled. */
const SAMPLE_MS = 100;
/** Samples in a row later than the limit before anything is shed: a GC pause is not overload. */
const LATE_SAMPLES = 3;

/**
 * The share of requests to shed, from how late a timer fires: +20 % per late sample once
 * LATE_SAMPLES in a row were late, −10 % per sample on time, never more than 95 %.
 */
export class LoopPressure {
  share = 0;
  private late = 0;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly maxDelayMs: number,
    private readonly random: () => number = Math.random,
  ) {
    if (maxDelayMs <= 0) return;
    let expected = performance.now() + SAMPLE_MS;
    this.timer = setInterval(() => {
      const now = performance.now();
      this.observe(now - expected);
      expected = now + SAMPLE_MS;
    }, SAMPLE_MS);
    this.timer.unref();
  }

  /** One sample: how many milliseconds late the timer fired. */
  observe(lateMs: number): void {
    if (lateMs > this.maxDelayMs) {
      this.late += 1;
      if (this.late >= LATE_SAMPLES) this.share = Math.min(0.95, this.share + 0.2);
    } else {
      this.late = 0;
      this.share = Math.max(0, this.share - 0.1);
    }
  }

  shouldShed(): boolean {
    return this.share > 0 && this.random() < this.share;
  }

  close(): void {
    clearInterval(this.timer);
  }
}

/** One request waiting for a place, or holding one. */
interface Ticket {
  state: "waiting" | "admitted" | "done";
  admit: (admitted: boolean) => void;
  timer: NodeJS.Timeout | undefined;
}

/** Counts requests in flight and keeps the waiting ones, first come first served. */
export class RequestGate {
  private inFlight = 0;
  private readonly queue: Ticket[] = [];
  /** Requests answered 503 since start-up (for the logs and tests). */
  shed = 0;

  constructor(
    readonly limits: OverloadLimits,
    readonly pressure: LoopPressure = new LoopPressure(limits.maxLoopDelayMs),
  ) {}

  get stats() {
    return { inFlight: this.inFlight, queued: this.queue.length, shed: this.shed };
  }

  /** Takes a place when one is free (the common case: no promise, no timer). */
  tryEnter(): boolean {
    if (this.inFlight >= this.limits.maxInFlight || this.queue.length > 0) return false;
    this.inFlight += 1;
    return true;
  }

  /** Gives a place back, to the longest waiting request if any. */
  readonly leave = (): void => {
    const next = this.queue.shift();
    if (!next) {
      this.inFlight -= 1;
      return;
    }
    clearTimeout(next.timer);
    next.state = "admitted";
    next.admit(true);
  };

  /**
   * Waits for a place: resolves true once admitted (the caller then holds a place), false
   * when the queue is full or the wait passed `maxQueueMs`. `cancel` is the reader going
   * away: it frees the place or the queue slot, whichever the request holds.
   */
  wait(): { admitted: Promise<boolean>; cancel: () => void } {
    if (this.queue.length >= this.limits.maxQueued) {
      return { admitted: Promise.resolve(false), cancel: () => {} };
    }
    let admit!: (admitted: boolean) => void;
    const admitted = new Promise<boolean>((resolve) => (admit = resolve));
    const ticket: Ticket = { state: "waiting", admit, timer: undefined };
    ticket.timer = setTimeout(() => this.drop(ticket), this.limits.maxQueueMs);
    this.queue.push(ticket);
    const cancel = () => {
      if (ticket.state === "waiting") this.drop(ticket);
      else if (ticket.state === "admitted") this.leave();
      ticket.state = "done";
    };
    return { admitted, cancel };
  }

  private drop(ticket: Ticket) {
    const at = this.queue.indexOf(ticket);
    if (at >= 0) this.queue.splice(at, 1);
    clearTimeout(ticket.timer);
    ticket.state = "done";
    ticket.admit(false);
  }
}

/**
 * The onRequest hook: lets a request through when a place is free, queues it otherwise, and
 * answers `shed(req, reply)` when it cannot be served in time. `exempt` requests (health,
 * readiness, static assets) pass uncounted.
 */
export function gateRequests(
  gate: RequestGate,
  exempt: (req: FastifyRequest) => boolean,
  shed: (req: FastifyRequest, reply: FastifyReply) => FastifyReply,
) {
  // An async hook that sent a reply must return it, or Fastify would go on to the handler.
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (exempt(req)) return;
    const res = reply.raw;
    if (gate.pressure.shouldShed()) {
      gate.shed += 1;
      reply.header("retry-after", String(RETRY_AFTER_SECONDS));
      return shed(req, reply);
    }
    if (gate.tryEnter()) {
      res.once("close", gate.leave);
      return;
    }
    const ticket = gate.wait();
    res.once("close", ticket.cancel);
    if (await ticket.admitted) return;
    gate.shed += 1;
    reply.header("retry-after", String(RETRY_AFTER_SECONDS));
    return shed(req, reply);
  };
}
