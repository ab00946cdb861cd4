/**
 * A user's page offers another reader Subscribe, Mute and Block, each showing its state and
 * looking like what it does; muting asks first, and a muted writer's page says what it hides.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, workForm, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

describeEachEngine("actions on a user's page", (engine) => {
  let t: TestApp;
  let author: Client;
  let reader: Client;
  let authorId = 0;

  before(async () => {
    t = await createTestApp(engine);
    author = new Client(t.app);
    await author.signUp("profile_author");
    reader = new Client(t.app);
    await reader.signUp("profile_reader");
    const row = await t.deps.db
      .selectFrom("users")
      .select("id")
      .where("login", "=", "profile_author")
      .executeTakeFirstOrThrow();
    authorId = row.id;
  });
  after(() => t.close());

  /** Each action's label; "link" marks the Mute link (it asks first, on a page of its own). */
  const buttons = (html: string) =>
    [
      ...html.matchAll(
        /<(?:button type="submit"|a)(?: class="[^"]*")?(?: href="[^"]*")?>((?:Un)?(?:subscribe|Subscribe|[Mm]ute|[Bb]lock) [^<]*)<\/(button|a)>/g,
      ),
    ].map((m) => (m[2] === "a" ? `${m[1]} (link)` : m[1]));

  test("guests and the user themself get none", async () => {
    assert.deepEqual(buttons((await new Client(t.app).get("/users/profile_author")).body), []);
    assert.deepEqual(buttons((await author.get("/users/profile_author")).body), []);
  });

  test("subscribe, mute and block, then undo each", async () => {
    assert.deepEqual(buttons((await reader.get("/users/profile_author")).body), [
      "Subscribe to profile_author",
      "Mute profile_author (link)",
      "Block profile_author",
    ]);
    for (const [url, form] of [
      ["/users/profile_author/subscriptions", { return_to: "/users/profile_author" }],
      [
        "/preferences/exclusions/users",
        { login: "profile_author", return_to: "/users/profile_author" },
      ],
      ["/preferences/blocked", { login: "profile_author", return_to: "/users/profile_author" }],
    ] as const) {
      const res = await reader.post(url, form);
      assert.equal(res.statusCode, 303, `${url}: ${res.body.slice(0, 200)}`);
    }
    // Unmute sits in the note that says the writer is muted, after the other actions.
    assert.deepEqual(buttons((await reader.get("/users/profile_author")).body), [
      "Unsubscribe from profile_author",
      "Unblock profile_author",
      "Unmute profile_author",
    ]);
    for (const url of [
      "/users/profile_author/subscriptions",
      `/preferences/exclusions/users/${authorId}/delete`,
      `/preferences/blocked/${authorId}/delete`,
    ]) {
      const res = await reader.post(url, { return_to: "/users/profile_author" });
      assert.equal(res.statusCode, 303, `${url}: ${res.body.slice(0, 200)}`);
    }
    assert.deepEqual(buttons((await reader.get("/users/profile_author")).body), [
      "Subscribe to profile_author",
      "Mute profile_author (link)",
      "Block profile_author",
    ]);
  });

  test("primary, secondary and destructive actions look different", async () => {
    const kind = (html: string, label: string) => {
      const m = new RegExp(`<(?:button type="submit"|a)( class="[^"]*")?[^>]*>${label}<`).exec(
        html,
      );
      assert.ok(m, `no "${label}"`);
      return m[1] ?? "";
    };
    const before = (await reader.get("/users/profile_author")).body;
    assert.equal(kind(before, "Subscribe to profile_author"), "");
    assert.equal(kind(before, "Mute profile_author"), ' class="button danger"');
    assert.equal(kind(before, "Block profile_author"), ' class="danger"');
    await reader.post("/users/profile_author/subscriptions", { return_to: "/" });
    await reader.post("/preferences/exclusions/users", { login: "profile_author" });
    await reader.post("/preferences/blocked", { login: "profile_author" });
    const after = (await reader.get("/users/profile_author")).body;
    for (const label of ["Unsubscribe from", "Unmute", "Unblock"])
      assert.equal(kind(after, `${label} profile_author`), ' class="secondary"', label);
    await reader.post("/users/profile_author/subscriptions", { return_to: "/" });
    await reader.post(`/preferences/exclusions/users/${authorId}/delete`);
    await reader.post(`/preferences/blocked/${authorId}/delete`);
  });
});

describeEachEngine("muting a writer from their page", (engine) => {
  let t: TestApp;
  let writer: Client;
  let reader: Client;
  let writerId = 0;

  before(async () => {
    t = await createTestApp(engine);
    writer = new Client(t.app);
    await writer.signUp("muted_writer");
    reader = new Client(t.app);
    await reader.signUp("muting_reader");
    writerId = (
      await t.deps.db
        .selectFrom("users")
        .select("id")
        .where("login", "=", "muted_writer")
        .executeTakeFirstOrThrow()
    ).id;
    // Two public works, one for logged-in readers only, and a draft nobody else can see.
    for (const form of [
      { title: "Public Fog" },
      { title: "Public Rain" },
      { title: "Members Mist", restricted: "1" },
      { title: "Drafted Haze", action: "draft" },
    ]) {
      const res = await writer.post("/works", workForm(form));
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    }
  });
  after(() => t.close());

  const note = (html: string) =>
    /<div class="muted-note"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1]?.replace(/<[^>]+>/g, " ");

  test("muting asks first: a page that explains it, whose button posts the mute", async () => {
    const ask = await reader.get("/users/muted_writer/mute");
    assert.equal(ask.statusCode, 200);
    assert.match(ask.body, /<h1>Mute muted_writer\?<\/h1>/);
    assert.match(ask.body, /Their works leave your listings/);
    assert.match(ask.body, /block them instead/);
    const form =
      /<form method="post" action="\/preferences\/exclusions\/users"[^>]*>([\s\S]*?)<\/form>/.exec(
        ask.body,
      )?.[1] ?? "";
    assert.match(form, /name="login" value="muted_writer"/);
    assert.match(form, /name="return_to" value="\/users\/muted_writer"/);
    assert.match(form, /<button type="submit" class="danger">Mute muted_writer<\/button>/);
    assert.match(form, /<a class="button secondary" href="\/users\/muted_writer">Cancel<\/a>/);
    // Asking changes nothing.
    assert.equal(note((await reader.get("/users/muted_writer")).body), undefined);

    const guest = await new Client(t.app).get("/users/muted_writer/mute");
    assert.equal(guest.statusCode, 303);
    assert.match(guest.headers.location ?? "", /^\/login\?return_to=/);
    assert.equal((await writer.get("/users/muted_writer/mute")).statusCode, 400);
    assert.equal((await reader.get("/users/nobody_here/mute")).statusCode, 404);

    const mute = await reader.post("/preferences/exclusions/users", {
      login: "muted_writer",
      return_to: "/users/muted_writer",
    });
    assert.equal(mute.statusCode, 303);
    assert.equal(mute.headers.location, "/users/muted_writer");
    const again = await reader.get("/users/muted_writer/mute");
    assert.match(again.body, /You have already muted muted_writer/);
    assert.match(again.body, />Unmute muted_writer</);
  });

  test("their page counts the works the mute hides (what the reader could see), and shows them once", async () => {
    const page = await reader.get("/users/muted_writer");
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /No works yet/);
    // The restricted work counts for a logged-in reader; the draft never does.
    assert.match(
      note(page.body) ?? "",
      /3 works by muted_writer are hidden because you muted them\./,
    );
    assert.doesNotMatch(page.body, /Public Fog|Members Mist|Drafted Haze/);
    assert.match(page.body, /<a href="\/users\/muted_writer\?exclusions=off">Show them<\/a>/);

    const shown = await reader.get("/users/muted_writer?exclusions=off");
    assert.equal(shown.statusCode, 200);
    for (const title of ["Public Fog", "Public Rain", "Members Mist"])
      assert.match(shown.body, new RegExp(title), title);
    assert.doesNotMatch(shown.body, /Drafted Haze/);
    assert.match(note(shown.body) ?? "", /shown on this page only/);
    assert.match(shown.body, /<a href="\/users\/muted_writer">Hide them again<\/a>/);
    assert.match(shown.body, /href="\/users\/muted_writer\/works\?exclusions=off">All works</);
    // Still muted: showing once changed nothing.
    assert.match(note((await reader.get("/users/muted_writer")).body) ?? "", /3 works/);

    // Others see the page as before.
    for (const other of [new Client(t.app), writer]) {
      const body = (await other.get("/users/muted_writer")).body;
      assert.equal(note(body), undefined);
      assert.match(body, /Public Fog/);
    }
  });

  test("Unmute on their page goes back to it, and only within the archive", async () => {
    const res = await reader.post(`/preferences/exclusions/users/${writerId}/delete`, {
      return_to: "/users/muted_writer",
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, "/users/muted_writer");
    const page = (await reader.get("/users/muted_writer")).body;
    assert.equal(note(page), undefined);
    assert.match(page, /Public Fog/);
    await reader.post("/preferences/exclusions/users", { login: "muted_writer" });
    const away = await reader.post(`/preferences/exclusions/users/${writerId}/delete`, {
      return_to: "https://evil.example/",
    });
    assert.equal(away.headers.location, "/preferences/exclusions");
  });
});
