/**
 * One-time form submissions (core/http/submissions.ts): a repeat of a form that creates
 * something — a resubmit after a cut connection, a double click — gets the first answer, never
 * a second row. First every opted-in route through its real form, then the core's edge cases
 * on a route of its own.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { h } from "preact";
import { z } from "zod";
import { requestInvitation } from "../../src/accounts/invitations/commands.ts";
import { findUserByLogin, setRoles } from "../../src/accounts/queries.ts";
import { csrfToken, newGuestBinding } from "../../src/core/http/csrf.ts";
import { HttpError } from "../../src/core/http/errors.ts";
import { declaredRoutes, redirect, route } from "../../src/core/http/route.tsx";
import { createHttpServer } from "../../src/core/http/server.tsx";
import { GUEST } from "../../src/core/viewer.ts";
import { page } from "../../src/core/views/render.tsx";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

type Form = Record<string, string | string[] | undefined>;
type Table =
  | "works"
  | "chapters"
  | "comments"
  | "bookmarks"
  | "pseuds"
  | "saved_searches"
  | "users"
  | "invitations"
  | "audit_log"
  | "reports"
  | "collections";

/** The nonce of the form on `html` that posts to `action`. */
function formNonce(html: string, action: string): string {
  for (const [form] of html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)) {
    if (!form.includes(`action="${action}"`)) continue;
    const nonce = /name="_nonce" value="([^"]+)"/.exec(form)?.[1];
    if (nonce) return nonce;
  }
  throw new Error(`no form posting to ${action} carries a nonce`);
}

const flashOf = (res: LightMyRequestResponse) => {
  const cookie = (res.cookies as { name: string; value: string }[]).find(
    (c) => c.name === "fanfold_flash",
  );
  return cookie ? decodeURIComponent(cookie.value) : undefined;
};

/** The same browser, as it was before an answer it never got (no cookies from it). */
function sameBrowser(c: Client): Client {
  const copy = new Client(c.app, c.ip);
  copy.cookies = new Map(c.cookies);
  copy.csrf = c.csrf;
  return copy;
}

describeEachEngine("one-time form submissions", (engine) => {
  let t: TestApp;
  let author: Client;
  let workId: number;
  let commentId: number;
  let seq = 0;

  const count = async (table: Table) => {
    const row = await t.handle.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };

  async function user(prefix = "reader") {
    seq += 1;
    const c = new Client(t.app);
    await c.signUp(`${prefix}_${seq}`);
    return { c, login: `${prefix}_${seq}` };
  }

  async function commentForm(c: Client, work = workId) {
    return {
      comment_content: `Comment ${++seq}`,
      _nonce: formNonce((await c.get(`/works/${work}`)).body, `/works/${work}/comments`),
    };
  }

  before(async () => {
    t = await createTestApp(engine, {
      FANFOLD_LIMIT_COMMENTS: "10000/10m",
      FANFOLD_LIMIT_BOOKMARKS: "10000/10m",
    });
    author = new Client(t.app);
    await author.signUp("once_author");
    // Without a nonce (an old cached form, a script) posting works as it always did.
    const res = await author.post("/works", workForm({ series_title: "Once Series" }));
    workId = workIdFrom(res.headers.location);
    const { c } = await user();
    const posted = await c.post(`/works/${workId}/comments`, { comment_content: "First!" });
    commentId = Number(/#comment_(\d+)/.exec(posted.headers.location ?? "")?.[1]);
    assert.ok(workId && commentId);
  });
  after(() => t.close());

  interface Case {
    table: Table;
    /** Who sends it, the page that shows the form, and what the form sends. */
    prepare(): Promise<{ client: Client; page: string; action: string; fields: Form }>;
    /** Where it is sent when not to the form's own action (AO3's reply address). */
    postTo?: string;
  }

  const reply: Case["prepare"] = async () => ({
    client: (await user()).c,
    page: `/comments/${commentId}/reply`,
    action: `/comments/${commentId}/reply`,
    fields: { comment_content: `A reply ${++seq}` },
  });

  /** Every route declared with `oncePerSubmission`, by its address. */
  const cases: Record<string, Case> = {
    "/works/import/:uploadId/confirm": {
      table: "works",
      prepare: async () => {
        const { c } = await user("importer");
        const text = "Chapter 1\n\nThe fog came in.\n\nChapter 2\n\nThe boats went out.\n";
        const res = await c.postFiles("/works/import", {}, [
          { field: "file", name: "fog.txt", bytes: text },
        ]);
        const id = /\/works\/import\/([\w-]{32})\/confirm/.exec(res.body)?.[1];
        assert.ok(id, res.body.slice(0, 800));
        return {
          client: c,
          page: `/works/import/${id}`,
          action: `/works/import/${id}/confirm`,
          fields: workForm({ title: "Imported Once", split: "auto", heading_level: "2" }),
        };
      },
    },
    "/works": {
      table: "works",
      prepare: async () => ({
        client: author,
        page: "/works/new",
        action: "/works",
        fields: workForm({ title: "Posted Once" }),
      }),
    },
    "/works/:workId/chapters": {
      table: "chapters",
      prepare: async () => ({
        client: author,
        page: `/works/${workId}/chapters/new`,
        action: `/works/${workId}/chapters`,
        fields: { chapter_title: "Two", text: "The lamp came on.", action: "post" },
      }),
    },
    "/works/:workId/comments": {
      table: "comments",
      prepare: async () => ({
        client: (await user()).c,
        page: `/works/${workId}`,
        action: `/works/${workId}/comments`,
        fields: { comment_content: "Lovely fog." },
      }),
    },
    "/comments/:id/reply": { table: "comments", prepare: reply },
    "/comments/:id": {
      table: "comments",
      prepare: reply,
      get postTo() {
        return `/comments/${commentId}`;
      },
    },
    "/works/:workId/bookmarks": {
      table: "bookmarks",
      prepare: async () => ({
        client: (await user()).c,
        page: `/works/${workId}/bookmarks/new`,
        action: `/works/${workId}/bookmarks`,
        fields: { notes: "Keeper.", tags: "" },
      }),
    },
    "/series/:seriesId/bookmarks": {
      table: "bookmarks",
      prepare: async () => {
        const series = await t.handle.db
          .selectFrom("series")
          .select("id")
          .where("title", "=", "Once Series")
          .executeTakeFirstOrThrow();
        return {
          client: (await user()).c,
          page: `/series/${series.id}/bookmarks/new`,
          action: `/series/${series.id}/bookmarks`,
          fields: { notes: "A series to keep.", tags: "" },
        };
      },
    },
    // A collection created twice would be refused the second time (its name is taken).
    "/collections": {
      table: "collections",
      prepare: async () => ({
        client: (await user()).c,
        page: "/collections/new",
        action: "/collections",
        fields: { name: `Once_${++seq}`, title: "Made once" },
      }),
    },
    "/users/:login/pseuds": {
      table: "pseuds",
      prepare: async () => {
        const { c, login } = await user();
        const action = `/users/${login}/pseuds`;
        return {
          client: c,
          page: action,
          action,
          fields: { name: "Lamplighter", description: "" },
        };
      },
    },
    "/saved-searches": {
      table: "saved_searches",
      prepare: async () => ({
        client: (await user()).c,
        page: "/works",
        action: "/saved-searches",
        fields: { name: "Everything", path: "/works", query: "sort=title" },
      }),
    },
    "/signup": {
      table: "users",
      prepare: async () => {
        seq += 1;
        const fields = {
          login: `newcomer_${seq}`,
          email: `newcomer_${seq}@example.org`,
          password: "a perfectly fine test password",
          password_confirmation: "a perfectly fine test password",
          terms_of_service: "1",
        };
        return { client: new Client(t.app), page: "/signup", action: "/signup", fields };
      },
    },
    // A report sent twice would queue the same complaint twice for the moderators.
    "/reports/new": {
      table: "reports",
      prepare: async () => ({
        client: (await user()).c,
        page: `/reports/new?type=work&id=${workId}`,
        // As the page writes it (HTML-escaped); postTo is the address itself.
        action: `/reports/new?type=work&amp;id=${workId}`,
        fields: { category: "spam", details: `Report ${++seq}` },
      }),
      get postTo() {
        return `/reports/new?type=work&id=${workId}`;
      },
    },
    // Sending the next N invitations twice would invite 2N people.
    "/admin/invitations/send": {
      table: "invitations",
      prepare: async () => {
        const { c, login } = await user("inviter");
        await setRoles(t.deps.db, (await findUserByLogin(t.deps.db, login))!.id, ["admin"]);
        await requestInvitation(t.deps.db, { email: `asker_${seq}@example.org`, now: t.clock.now });
        const page = "/admin/invitations";
        return { client: c, page, action: "/admin/invitations/send", fields: { count: "1" } };
      },
    },
    "/admin/invitations/grant": {
      table: "audit_log",
      prepare: async () => {
        const { c, login } = await user("granter");
        await setRoles(t.deps.db, (await findUserByLogin(t.deps.db, login))!.id, ["admin"]);
        const page = "/admin/invitations";
        return { client: c, page, action: "/admin/invitations/grant", fields: { count: "1" } };
      },
    },
  };

  test("every route declared once-per-submission is in the table below", () => {
    const declared = declaredRoutes(t.app)
      .filter((r) => r.oncePerSubmission)
      .map((r) => r.url);
    assert.deepEqual(declared.sort(), Object.keys(cases).sort());
  });

  for (const [url, c] of Object.entries(cases)) {
    test(`POST ${url}: sent twice with its form's nonce, it is saved once`, async () => {
      const { client, page, action, fields } = await c.prepare();
      const form = { ...fields, _nonce: formNonce((await client.get(page)).body, action) };
      const retry = sameBrowser(client);
      const rows = await count(c.table);
      const first = await client.post(c.postTo ?? action, form);
      assert.equal(first.statusCode, 303, first.body.slice(0, 800));
      const again = await retry.post(c.postTo ?? action, form);
      assert.equal(again.statusCode, 303, again.body.slice(0, 800));
      assert.equal(again.headers.location, first.headers.location);
      assert.match(flashOf(again) ?? "", /already/);
      assert.equal(await count(c.table), rows + 1);
    });
  }

  test("two comments sent at once with one nonce: one comment, both answers the same", async () => {
    const { c } = await user();
    const form = await commentForm(c);
    const comments = await count("comments");
    const [a, b] = await Promise.all([
      c.post(`/works/${workId}/comments`, form),
      sameBrowser(c).post(`/works/${workId}/comments`, form),
    ]);
    assert.equal(a.statusCode, 303, a.body.slice(0, 800));
    assert.equal(b.statusCode, 303, b.body.slice(0, 800));
    assert.equal(a.headers.location, b.headers.location);
    assert.equal(await count("comments"), comments + 1);
  });

  test("after a validation error the same form, corrected, is posted", async () => {
    const { c } = await user();
    const form = await commentForm(c);
    const comments = await count("comments");
    const empty = await c.post(`/works/${workId}/comments`, { ...form, comment_content: "" });
    assert.equal(empty.statusCode, 422);
    const fixed = await c.post(`/works/${workId}/comments`, form);
    assert.equal(fixed.statusCode, 303, fixed.body.slice(0, 800));
    assert.equal(await count("comments"), comments + 1);
  });

  test("a refused comment frees its nonce: the identical form is posted once it can be", async () => {
    const draft = workIdFrom(
      (await author.post("/works", workForm({ action: "draft" }))).headers.location,
    );
    const { c } = await user();
    const form = await commentForm(c);
    const refused = await c.post(`/works/${draft}/comments`, form);
    assert.ok(refused.statusCode >= 400, String(refused.statusCode));
    assert.equal((await author.post(`/works/${draft}/post`)).statusCode, 303);
    const comments = await count("comments");
    const posted = await c.post(`/works/${draft}/comments`, form);
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 800));
    assert.equal(await count("comments"), comments + 1);
  });

  test("another user's nonce does not answer with the first user's comment", async () => {
    const a = (await user()).c;
    const b = (await user()).c;
    const form = await commentForm(a);
    const comments = await count("comments");
    const first = await a.post(`/works/${workId}/comments`, form);
    const other = await b.post(`/works/${workId}/comments`, form);
    assert.equal(other.statusCode, 303, other.body.slice(0, 800));
    assert.notEqual(other.headers.location, first.headers.location);
    assert.doesNotMatch(flashOf(other) ?? "", /already/);
    assert.equal(await count("comments"), comments + 2);
  });

  test("without a nonce a form is posted each time, as before", async () => {
    const { c } = await user();
    const comments = await count("comments");
    for (let i = 0; i < 2; i++)
      assert.equal(
        (await c.post(`/works/${workId}/comments`, { comment_content: "Hi" })).statusCode,
        303,
      );
    assert.equal(await count("comments"), comments + 2);
  });

  // Last: moves the clock.
  test("submission keys are pruned a day after they were made", async () => {
    assert.ok((await submissionKeys()) > 0);
    t.clock.now += 23 * 3_600_000;
    await t.drainJobs();
    assert.ok((await submissionKeys()) > 0);
    t.clock.now += 2 * 3_600_000;
    await t.drainJobs();
    assert.equal(await submissionKeys(), 0);
  });

  async function submissionKeys() {
    const row = await t.handle.db
      .selectFrom("form_submissions")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
});

describeEachEngine("one-time submissions in the route chain", (engine) => {
  let t: TestApp;
  let app: FastifyInstance;
  let runs = 0;
  let answer: "redirect" | "throw" | "refuse" = "redirect";
  let hold: Promise<void> | undefined;

  before(async () => {
    t = await createTestApp(engine);
    app = await createHttpServer(t.deps, {
      resolveViewer: async () => ({ viewer: GUEST, sessionId: null }),
      logger: false,
    });
    route(app, t.deps, {
      method: "POST",
      url: "/things",
      auth: "guest-ok",
      oncePerSubmission: true,
      body: z.object({ name: z.string().min(1) }),
      handler: async () => {
        const n = ++runs;
        await hold;
        if (answer === "throw") throw new HttpError(503, "Not now.");
        if (answer === "refuse") return page("No", h("p", null, "No."), 422);
        return redirect(`/things/${n}`, "Made.");
      },
    });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await t.close();
  });
  beforeEach(() => {
    answer = "redirect";
    hold = undefined;
  });

  /** A guest browser of its own (its CSRF cookie binds its nonces). */
  function browser() {
    const c = new Client(app);
    const binding = newGuestBinding();
    c.cookies.set("fanfold_csrf", binding);
    c.csrf = csrfToken(t.deps.config.secret, binding);
    return c;
  }
  let nonces = 0;
  const nonce = () => `test-nonce-${++nonces}-${engine}-0123456789`;

  test("a failed request frees the key; the same form then runs once", async () => {
    for (const failing of ["throw", "refuse"] as const) {
      const c = browser();
      const form = { name: "x", _nonce: nonce() };
      answer = failing;
      assert.equal((await c.post("/things", form)).statusCode, failing === "throw" ? 503 : 422);
      answer = "redirect";
      const start = runs;
      const ok = await c.post("/things", form);
      assert.equal(ok.statusCode, 303);
      const again = await c.post("/things", form);
      assert.equal(again.headers.location, ok.headers.location);
      assert.equal(runs, start + 1);
    }
  });

  test("a repeat while the first still runs waits for its answer", async () => {
    const c = browser();
    const form = { name: "x", _nonce: nonce() };
    let open!: () => void;
    hold = new Promise((resolve) => (open = resolve));
    const start = runs;
    const first = c.post("/things", form);
    while (runs === start) await new Promise((r) => setTimeout(r, 10));
    const second = c.post("/things", form);
    setTimeout(open, 300);
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.statusCode, 303);
    assert.equal(b.statusCode, 303);
    assert.equal(b.headers.location, a.headers.location);
    assert.equal(runs, start + 1);
  });

  test("a repeat gives up with 409 when the first runs on and on", async () => {
    const c = browser();
    const form = { name: "x", _nonce: nonce() };
    let open!: () => void;
    hold = new Promise((resolve) => (open = resolve));
    const start = runs;
    const first = c.post("/things", form);
    while (runs === start) await new Promise((r) => setTimeout(r, 10));
    const second = await c.post("/things", form);
    open();
    assert.equal(second.statusCode, 409);
    assert.match(second.body, /already sent and is still being processed/);
    assert.equal((await first).statusCode, 303);
    assert.equal(runs, start + 1);
  });

  test("a nonce binds to its browser, and to what was sent", async () => {
    const form = { name: "x", _nonce: nonce() };
    const start = runs;
    const a = await browser().post("/things", form);
    const b = await browser().post("/things", form);
    assert.notEqual(a.headers.location, b.headers.location);
    // The back button brings the form back with its nonce; changed, it is a new submission.
    const c = browser();
    await c.post("/things", form);
    await c.post("/things", { ...form, name: "y" });
    assert.equal(runs, start + 4);
  });
});
