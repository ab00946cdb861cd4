/**
 * Fanfold's configuration: every environment variable the archive reads, validated once at
 * start-up. This file is the install reference for self-hosters; nothing else reads
 * `process.env` (lint enforces it).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";

export interface RateRule {
  limit: number;
  windowMs: number;
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

function rate(fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((value, ctx): RateRule => {
      const m = /^(\d{1,6})\/(\d{1,4})([smhd])$/.exec(value.trim());
      if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) {
        ctx.addIssue({ code: "custom", message: "must look like 20/10m (count/window s|m|h|d)" });
        return z.NEVER;
      }
      return {
        limit: Number(m[1]),
        windowMs: Number(m[2]) * UNIT_MS[m[3] as keyof typeof UNIT_MS],
      };
    });
}

const EnvSchema = z.object({
  /** TCP port the web server listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to bind. `127.0.0.1` keeps the archive local; `0.0.0.0` exposes it. */
  HOST: z.string().min(1).default("127.0.0.1"),
  /** Where the SQLite database, the generated secret and later caches live. */
  FANFOLD_DATA_DIR: z.string().min(1).default("./data"),
  /**
   * Absent: the embedded SQLite database `<data dir>/fanfold.db`.
   * `postgres://user@host:port/db`: PostgreSQL.
   */
  DATABASE_URL: z
    .string()
    .regex(/^(postgres|postgresql):\/\//, "must start with postgres:// (or be absent for SQLite)")
    .optional(),
  /** Signs CSRF tokens. Generated into `<data dir>/secret` when absent. At least 32 characters. */
  FANFOLD_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Public base URL, e.g. `https://archive.example.org`; `https:` makes cookies Secure. */
  FANFOLD_PUBLIC_URL: z.url().optional(),
  /** Fill an empty archive with generated demo works and accounts on first start. */
  FANFOLD_DEMO: z.enum(["true", "false"]).default("true"),
  /** Number of demo works generated on first start. */
  FANFOLD_DEMO_WORKS: z.coerce.number().int().min(0).max(100_000).default(200),
  /** Log level for pino. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Trust X-Forwarded-* headers (set when behind a reverse proxy). */
  FANFOLD_TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  /**
   * Outgoing mail, e.g. `smtp://user:pass@mail.example.org:587` (`smtps://` for TLS on
   * connect). Absent: notifications stay in the in-site inbox only.
   */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must start with smtp:// or smtps://")
    .optional(),
  /** The From address of mail the archive sends. */
  MAIL_FROM: z.string().min(3).default("Fanfold <noreply@localhost>"),
  /**
   * Background jobs (inbox entries, email, recounts) each process runs at once; also the
   * number of SMTP connections it keeps open.
   */
  FANFOLD_JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /**
   * Overload (core/http/overload.ts): requests one process handles at once, requests waiting
   * beyond those, and the longest wait before a request is answered 503 with Retry-After.
   */
  FANFOLD_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(16),
  FANFOLD_MAX_QUEUED: z.coerce.number().int().min(0).max(100_000).default(256),
  FANFOLD_MAX_QUEUE_MS: z.coerce.number().int().min(1).max(600_000).default(1_000),
  /** Shed a share of requests while the event loop keeps running this late (0: never). */
  FANFOLD_MAX_LOOP_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(500),
  /** `redis://host:port`: rate limits shared by every app process. Absent: in memory. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must start with redis:// or rediss://")
    .optional(),
  /** Guests (not logged in) may leave kudos, one per address per work. */
  FANFOLD_GUEST_KUDOS: z.enum(["true", "false"]).default("true"),
  /** Rate limits, as COUNT/WINDOW (window: 30s, 10m, 1h, 1d), per account and per address. */
  FANFOLD_LIMIT_COMMENTS: rate("20/10m"),
  FANFOLD_LIMIT_KUDOS: rate("60/10m"),
  FANFOLD_LIMIT_BOOKMARKS: rate("60/10m"),
  FANFOLD_LIMIT_SIGNUPS: rate("10/1h"),
  /** Worker processes serving HTTP (`fanfold serve --workers N` wins). Default: one per core. */
  FANFOLD_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  /** Tests only: every response names the process that served it (`x-fanfold-pid`). */
  FANFOLD_TEST_EXPOSE_PID: z.enum(["1"]).optional(),
  /** Set by scripts/start.mjs: the pipe whose end says it is gone (src/serve/parent-watch.ts). */
  FANFOLD_PARENT_FD: z.coerce.number().int().min(3).optional(),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };
  secret: string;
  publicUrl: string | undefined;
  secureCookies: boolean;
  demo: { enabled: boolean; works: number };
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
  trustProxy: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  jobConcurrency: number;
  overload: { maxInFlight: number; maxQueued: number; maxQueueMs: number; maxLoopDelayMs: number };
  redisUrl: string | undefined;
  guestKudos: boolean;
  rateLimits: { comments: RateRule; kudos: RateRule; bookmarks: RateRule; signups: RateRule };
  /** argon2 cost; tests lower it, production never does. */
  passwordHashCost: { memoryCost: number; timeCost: number };
  /** Worker processes to serve from; absent: one per core (src/serve/). */
  workers?: number;
  /** Tests only: the `x-fanfold-pid` response header. */
  exposePid?: boolean;
  /** The fd of scripts/start.mjs's pipe, when it started this process. */
  parentFd?: number;
}

export class ConfigError extends Error {}

/** Parses an environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.FANFOLD_DATA_DIR);
  const publicUrl = e.FANFOLD_PUBLIC_URL;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: "postgres", url: e.DATABASE_URL }
      : { kind: "sqlite", file: join(dataDir, "fanfold.db") },
    secret: e.FANFOLD_SECRET ?? readOrCreateSecret(dataDir),
    publicUrl,
    secureCookies: publicUrl?.startsWith("https:") ?? false,
    demo: { enabled: e.FANFOLD_DEMO === "true", works: e.FANFOLD_DEMO_WORKS },
    logLevel: e.LOG_LEVEL,
    trustProxy: e.FANFOLD_TRUST_PROXY === "true",
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    jobConcurrency: e.FANFOLD_JOB_CONCURRENCY,
    overload: {
      maxInFlight: e.FANFOLD_MAX_IN_FLIGHT,
      maxQueued: e.FANFOLD_MAX_QUEUED,
      maxQueueMs: e.FANFOLD_MAX_QUEUE_MS,
      maxLoopDelayMs: e.FANFOLD_MAX_LOOP_DELAY_MS,
    },
    redisUrl: e.REDIS_URL,
    guestKudos: e.FANFOLD_GUEST_KUDOS === "true",
    rateLimits: {
      comments: e.FANFOLD_LIMIT_COMMENTS,
      kudos: e.FANFOLD_LIMIT_KUDOS,
      bookmarks: e.FANFOLD_LIMIT_BOOKMARKS,
      signups: e.FANFOLD_LIMIT_SIGNUPS,
    },
    passwordHashCost: { memoryCost: 19_456, timeCost: 2 },
    ...(e.FANFOLD_WORKERS ? { workers: e.FANFOLD_WORKERS } : {}),
    ...(e.FANFOLD_TEST_EXPOSE_PID ? { exposePid: true } : {}),
    ...(e.FANFOLD_PARENT_FD ? { parentFd: e.FANFOLD_PARENT_FD } : {}),
  };
}

function readOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, "secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}
