import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { buildApp } from "../../src/app.ts";
import { loadConfig } from "../../src/core/config.ts";
import type { DbHandle, Engine } from "../../src/core/db/index.ts";
import { memoryRateLimiter } from "../../src/core/http/rate-limit.ts";
import type { AppDeps } from "../../src/core/http/route.tsx";
import type { WorkCatalog } from "../../src/search/index/catalog.ts";
import type { TextFollower } from "../../src/search/text/follower.ts";
import type { JobRunner } from "../../src/core/jobs/runner.ts";
import type { HitBuffer } from "../../src/engagement/stats/hit-buffer.ts";
import { openTestDb } from "./db.ts";

export interface TestApp {
  /** Number of SQL statements run so far; their text too while a test sets `log`. */
  queries: { count: number; log?: string[] | undefined };
  app: FastifyInstance;
  deps: AppDeps;
  handle: DbHandle;
  clock: { now: number };
  /** The search catalog and text follower this app built (tests wait for them to settle). */
  services: { catalog?: WorkCatalog; follower?: TextFollower; jobs?: JobRunner; hits?: HitBuffer };
  /** Runs every queued job that is due now (tests move `clock.now` to make later ones due). */
  drainJobs(): Promise<number>;
  /** Writes the hits pages recorded in memory (a server does so every second). */
  flushHits(): Promise<void>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = "a perfectly fine test password";

export async function createTestApp(
  engine: Engine = "sqlite",
  env: Record<string, string> = {},
): Promise<TestApp> {
  const queries: TestApp["queries"] = { count: 0 };
  const handle = await openTestDb(engine, {
    onQuery: (text) => {
      queries.count++;
      queries.log?.push(text);
    },
  });
  const config = {
    ...loadConfig({
      FANFOLD_DATA_DIR: mkdtempSync(join(tmpdir(), "fanfold-test-")),
      FANFOLD_SECRET: "test-secret-test-secret-test-secret-1234",
      LOG_LEVEL: "silent",
      // Tests send bursts on a loaded machine: shedding is tested on its own (overload.test.ts).
      FANFOLD_MAX_IN_FLIGHT: "10000",
      FANFOLD_MAX_QUEUE_MS: "600000",
      FANFOLD_MAX_LOOP_DELAY_MS: "0",
      ...env,
    }),
    // Cheap hashes keep tests fast; production never lowers these.
    passwordHashCost: { memoryCost: 256, timeCost: 1 },
  };
  const clock = { now: Date.UTC(2026, 10, 23, 12) };
  const deps: AppDeps = {
    db: handle.db,
    engine: handle.engine,
    config,
    limiter: memoryRateLimiter(() => clock.now),
    now: () => clock.now,
  };
  const services: TestApp["services"] = {};
  const app = await buildApp(deps, { logger: false, services, jobs: "manual" });
  await app.ready();
  return {
    queries,
    app,
    deps,
    handle,
    clock,
    services,
    drainJobs: () => services.jobs!.drain(),
    flushHits: async () => services.hits?.flush(),
    async close() {
      await app.close();
      await handle.close();
    },
  };
}

type Form = Record<string, string | string[] | undefined>;

let clients = 0;
/** Each client gets an address of its own, as separate readers would. */
const nextIp = () => {
  clients += 1;
  return `127.${(clients >> 16) & 255}.${(clients >> 8) & 255}.${clients & 255}`;
};

/** A browser stand-in over inject(): keeps cookies and finds CSRF tokens in pages. */
export class Client {
  cookies = new Map<string, string>();
  csrf: string | undefined;
  constructor(
    readonly app: FastifyInstance,
    readonly ip = nextIp(),
  ) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as {
      name: string;
      value: string;
      expires?: Date;
      maxAge?: number;
    }[]) {
      const expired =
        (c.expires && c.expires.getTime() < Date.now()) || c.maxAge === 0 || c.value === "";
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
      if (c.name === "fanfold_session") this.csrf = undefined;
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
  }

  async get(url: string) {
    const res = await this.app.inject({
      method: "GET",
      url,
      headers: { cookie: this.cookieHeader() },
      remoteAddress: this.ip,
    });
    this.remember(res);
    return res;
  }

  async token(): Promise<string> {
    // Pages with a form carry the token; these two always have one (the log-out confirmation).
    if (!this.csrf)
      await this.get(this.cookies.has("fanfold_session") ? "/users/logout" : "/login");
    if (!this.csrf) throw new Error("no CSRF token found");
    return this.csrf;
  }

  async post(url: string, form: Form = {}, opts: { csrf?: string | false } = {}) {
    const params = new URLSearchParams();
    const token = opts.csrf === false ? undefined : (opts.csrf ?? (await this.token()));
    if (token) params.append("_csrf", token);
    for (const [k, v] of Object.entries(form)) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
    }
    const res = await this.app.inject({
      method: "POST",
      url,
      payload: params.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: this.cookieHeader() },
      remoteAddress: this.ip,
    });
    this.remember(res);
    return res;
  }

  /**
   * A multipart form (`enctype="multipart/form-data"`), as a browser sends a file upload: the
   * CSRF token first, then the fields, then each file.
   */
  async postFiles(
    url: string,
    form: Form = {},
    files: { field: string; name: string; bytes: Uint8Array | string; type?: string }[] = [],
    opts: { csrf?: string | false } = {},
  ) {
    const boundary = `----fanfold${Math.random().toString(36).slice(2)}`;
    const parts: Buffer[] = [];
    const field = (name: string, value: string) =>
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
        ),
      );
    const token = opts.csrf === false ? undefined : (opts.csrf ?? (await this.token()));
    if (token) field("_csrf", token);
    for (const [k, v] of Object.entries(form)) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) field(k, item);
    }
    for (const f of files) {
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\n` +
            `Content-Type: ${f.type ?? "application/octet-stream"}\r\n\r\n`,
        ),
        typeof f.bytes === "string" ? Buffer.from(f.bytes) : Buffer.from(f.bytes),
        Buffer.from("\r\n"),
      );
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    const res = await this.app.inject({
      method: "POST",
      url,
      payload: Buffer.concat(parts),
      headers: {
        "content-type": `multipart/form-data; boundary=${boundary}`,
        cookie: this.cookieHeader(),
      },
      remoteAddress: this.ip,
    });
    this.remember(res);
    return res;
  }

  async signUp(login: string, password = TEST_PASSWORD) {
    const res = await this.post("/signup", {
      login,
      email: `${login}@example.org`,
      password,
      password_confirmation: password,
      terms_of_service: "1",
    });
    if (res.statusCode !== 303)
      throw new Error(`sign-up failed: ${res.statusCode} ${res.body.slice(0, 500)}`);
    return res;
  }

  async logIn(login: string, password = TEST_PASSWORD) {
    return this.post("/login", { login, password });
  }
}

/** A valid new-work form; override any field. */
export function workForm(overrides: Form = {}): Form {
  return {
    title: "A Study in Fog",
    summary: "Two detectives, one lamp-post.",
    notes: "",
    end_notes: "",
    rating: "General Audiences",
    warnings: ["No Archive Warnings Apply"],
    categories: ["Gen"],
    fandoms: "Lighthouse Keepers (TV)",
    relationships: "",
    characters: "",
    freeforms: "Fluff",
    language: "en",
    expected_chapters: "",
    chapter_title: "",
    text: "The fog came in at dusk.\n\nNobody minded.",
    action: "post",
    ...overrides,
  };
}

export const workIdFrom = (location: string | undefined) =>
  Number(/\/works\/(\d+)/.exec(location ?? "")?.[1]);
