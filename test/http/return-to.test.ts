/**
 * Every route that sends the reader on to `return_to`, with hostile values: never a 500, and
 * the Location always on the archive. The routes come from route() declarations (every body
 * or query with a `return_to`), so a new one fails here until it is given a case below.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { declaredRoutes } from "../../src/core/http/route.tsx";
import { insertNotification } from "../../src/engagement/notifications/queries.ts";
import {
  Client,
  createTestApp,
  TEST_PASSWORD,
  workForm,
  workIdFrom,
  type TestApp,
} from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

const ARCHIVE = "http://archive.test";

const HOSTILE = [
  "/\t/evil.example",
  "/%09/evil.example",
  "/\n/evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "//evil.example",
  "/.//evil.example",
  "https://evil.example",
  "/\r\nSet-Cookie: x=1",
  "/works\u0000",
  "/works\u0085",
  "javascript:alert(1)",
  "/ok?x=é",
  "/ok#frag",
  "/夜の猫?q=夜",
  "/\ud800",
  "/" + "a".repeat(1_999),
];

/** encodeURIComponent, but a lone surrogate goes as the invalid UTF-8 bytes a client could send. */
const inQuery = (v: string) =>
  v
    .split(/([\ud800-\udfff])/)
    .map((part, i) => (i % 2 ? "%ED%A0%80" : encodeURIComponent(part)))
    .join("");

interface Answer {
  statusCode: number;
  headers: { location?: string | string[] | undefined };
}

const takesReturnTo = (schema: unknown) =>
  schema instanceof z.ZodObject && "return_to" in schema.shape;

describeEachEngine("return_to never leaves the archive", (engine) => {
  let t: TestApp;
  let reader: Client;
  let readerId: number;
  let workId: number;
  let chapterId: string;

  before(async () => {
    t = await createTestApp(engine);
    const writer = new Client(t.app);
    await writer.signUp("rt_writer");
    workId = workIdFrom(
      (await writer.post("/works", workForm({ series_title: "RT Series" }))).headers.location,
    );
    chapterId = /\/chapters\/(\d+)/.exec((await writer.get(`/works/${workId}`)).body)?.[1] ?? "";
    const bystander = new Client(t.app);
    await bystander.signUp("rt_bystander");
    await bystander.post("/works", workForm({ freeforms: "Bystander Tag" }));
    reader = new Client(t.app);
    await reader.signUp("rt_reader");
    const row = await t.handle.db
      .selectFrom("users")
      .select("id")
      .where("login", "=", "rt_reader")
      .executeTakeFirstOrThrow();
    readerId = Number(row.id);
  });
  after(() => t.close());

  /** A notification of the reader's, for the routes that act on one. */
  async function notification(): Promise<string> {
    const n = { userId: readerId, kind: "comment" as const, text: "A comment", url: "/" };
    return String(await insertNotification(t.handle.db, n, t.clock.now));
  }

  /** Each route's request, sending `return_to`; every one of them answers with a redirect. */
  const cases: Record<string, (return_to: string) => Promise<Answer>> = {
    "GET /login": (v) => reader.get(`/login?return_to=${inQuery(v)}`),
    "POST /login": (v) =>
      new Client(t.app).post("/login", {
        login: "rt_reader",
        password: TEST_PASSWORD,
        return_to: v,
      }),
    "GET /users/login": (v) => reader.get(`/users/login?restricted=true&return_to=${inQuery(v)}`),
    // AO3's log-in, as tools send it (the token under Rails' name).
    "POST /users/login": async (v) => {
      const tool = new Client(t.app);
      const { token } = JSON.parse((await tool.get("/token_dispenser.json")).body) as {
        token: string;
      };
      return tool.post(
        "/users/login",
        {
          "user[login]": "rt_reader",
          "user[password]": TEST_PASSWORD,
          authenticity_token: token,
          return_to: v,
        },
        { csrf: false },
      );
    },
    "POST /preferences/exclusions/tags": (v) =>
      reader.post("/preferences/exclusions/tags", { tag: "Bystander Tag", return_to: v }),
    "POST /preferences/exclusions/users": (v) =>
      reader.post("/preferences/exclusions/users", { login: "rt_bystander", return_to: v }),
    "POST /preferences/blocked": (v) =>
      reader.post("/preferences/blocked", { login: "rt_bystander", return_to: v }),
    "POST /users/:login/preferences/history": (v) =>
      reader.post("/users/rt_reader/preferences/history", { history_enabled: "1", return_to: v }),
    "POST /users/:login/readings/:workId/delete": (v) =>
      reader.post(`/users/rt_reader/readings/${workId}/delete`, { return_to: v }),
    "POST /works/:workId/mark_for_later": (v) =>
      reader.post(`/works/${workId}/mark_for_later`, { return_to: v }),
    "POST /works/:workId/mark_as_read": (v) =>
      reader.post(`/works/${workId}/mark_as_read`, { return_to: v }),
    "POST /works/:workId/position": (v) =>
      reader.post(`/works/${workId}/position`, {
        chapter_id: chapterId,
        paragraph: "0",
        return_to: v,
      }),
    "POST /users/:login/inbox/read-all": (v) =>
      reader.post("/users/rt_reader/inbox/read-all", { return_to: v }),
    "POST /users/:login/inbox/:id/read": async (v) =>
      reader.post(`/users/rt_reader/inbox/${await notification()}/read`, { return_to: v }),
    "POST /users/:login/inbox/:id/delete": async (v) =>
      reader.post(`/users/rt_reader/inbox/${await notification()}/delete`, { return_to: v }),
    "POST /users/:login/inbox/:id/unread": async (v) =>
      reader.post(`/users/rt_reader/inbox/${await notification()}/unread`, { return_to: v }),
    "POST /preferences/exclusions/users/:id/delete": async (v) => {
      const { id } = await t.handle.db
        .selectFrom("users")
        .select("id")
        .where("login", "=", "rt_bystander")
        .executeTakeFirstOrThrow();
      return reader.post(`/preferences/exclusions/users/${id}/delete`, { return_to: v });
    },
    // A guest of a new address each time: one kudos per address per work.
    "POST /works/:workId/kudos": (v) =>
      new Client(t.app).post(`/works/${workId}/kudos`, { return_to: v }),
    "POST /works/:workId/subscriptions": (v) =>
      reader.post(`/works/${workId}/subscriptions`, { return_to: v }),
    "POST /users/:login/subscriptions": (v) =>
      reader.post("/users/rt_writer/subscriptions", { return_to: v }),
    "POST /series/:seriesId/subscriptions": async (v) => {
      const { id } = await t.handle.db
        .selectFrom("series")
        .select("id")
        .where("title", "=", "RT Series")
        .executeTakeFirstOrThrow();
      return reader.post(`/series/${id}/subscriptions`, { return_to: v });
    },
    // Guests dismiss the banner too.
    "POST /banner/dismiss": (v) =>
      new Client(t.app).post("/banner/dismiss", { banner_id: "1", return_to: v }),
  };

  test("every route that takes return_to has a case here", () => {
    const declared = declaredRoutes(t.app)
      .filter((r) => takesReturnTo(r.method === "GET" ? r.query : r.body))
      .map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(declared.sort(), Object.keys(cases).sort());
  });

  test("hostile values: a redirect on this archive, never a 500", async () => {
    const failures: string[] = [];
    for (const [name, send] of Object.entries(cases)) {
      for (const value of [...HOSTILE, "/works?x=é#kudos"]) {
        const res = await send(value);
        const label = `${name} ${JSON.stringify(value.slice(0, 40))}`;
        const location = [res.headers.location ?? ""].flat().join();
        // A query string that is not UTF-8 (a lone surrogate's bytes) is refused, naming the
        // parameter, before any route runs (core/http/input.ts).
        if (name.startsWith("GET ") && /[\ud800-\udfff]/.test(value) && res.statusCode === 400)
          continue;
        if (res.statusCode !== 303) failures.push(`${label}: ${res.statusCode}`);
        else if (new URL(location, ARCHIVE).origin !== ARCHIVE)
          failures.push(`${label}: Location ${location}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  test("the link from the finding logs the reader in and stays on the archive", async () => {
    const res = await reader.get("/login?return_to=/%09/evil.example");
    assert.equal(res.statusCode, 303);
    assert.equal(new URL(String(res.headers.location), ARCHIVE).origin, ARCHIVE);
  });

  test("a safe return_to is kept (percent-encoded) and a bad one falls back to the page", async () => {
    const login = await new Client(t.app).post("/login", {
      login: "rt_reader",
      password: TEST_PASSWORD,
      return_to: "/works?q=é",
    });
    assert.equal(login.headers.location, "/works?q=%C3%A9");
    const later = await reader.post(`/works/${workId}/mark_for_later`, { return_to: "//evil" });
    assert.equal(later.headers.location, `/works/${workId}`);
    const inbox = await reader.post("/users/rt_reader/inbox/read-all", { return_to: "/works" });
    assert.equal(inbox.headers.location, "/users/rt_reader/inbox");
  });
});
