/**
 * Site settings (#13): /admin/settings and the policy page editors, the public policy pages,
 * the banner, robots.txt, and the settings taking effect (guest comments and kudos, rate
 * limits, the archive's name).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { settingsValues } from "../../src/admin/settings/views.tsx";
import { forgetSettings, settingsSchema, siteSettings } from "../../src/core/settings.ts";
import { AI_CRAWLERS } from "../../src/site-pages/robots.ts";
import { Client, createTestApp, TEST_PASSWORD, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

type Persona = "guest" | "user" | "suspended" | "moderator" | "admin";
const PERSONAS: Persona[] = ["guest", "user", "suspended", "moderator", "admin"];

const bannerOf = (html: string) =>
  /<aside class="site-banner"[\s\S]*?<\/aside>/.exec(html)?.[0] ?? null;

describeEachEngine("site settings", (engine) => {
  let t: TestApp;
  const clients = {} as Record<Persona, Client>;
  let author: { id: number; login: string; pseudId: number };

  /** The settings form as a fresh archive fills it, with `overrides`. */
  const form = (overrides: Record<string, string> = {}) => ({
    ...settingsValues(settingsSchema(t.deps.config).parse({})),
    ...overrides,
  });
  /** Saves the whole form as the admin (every test starts from the defaults it needs). */
  const save = async (overrides: Record<string, string> = {}) => {
    const res = await clients.admin.post("/admin/settings", form(overrides));
    assert.equal(res.statusCode, 303, res.body.slice(0, 800));
    return res;
  };
  const audits = () =>
    t.deps.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "settings.update")
      .orderBy("id")
      .execute();
  const work = async (fields: Record<string, string> = {}) =>
    (await buildWork(t.deps.db, { pseudId: author.pseudId, ...fields })).workId;

  before(async () => {
    t = await createTestApp(engine);
    author = await buildUser(t.deps.db, { login: "settings_author" });
    clients.guest = new Client(t.app);
    for (const who of PERSONAS.filter((p) => p !== "guest")) {
      const roles =
        who === "admin" ? ["admin" as const] : who === "moderator" ? ["moderator" as const] : [];
      const u = await buildUser(t.deps.db, {
        login: `settings_${who}`,
        password: TEST_PASSWORD,
        roles,
      });
      if (who === "suspended")
        await t.deps.db
          .updateTable("users")
          .set({ suspended_until: t.clock.now + 7 * 86_400_000 })
          .where("id", "=", u.id)
          .execute();
      const c = new Client(t.app);
      assert.equal((await c.logIn(`settings_${who}`)).statusCode, 303);
      clients[who] = c;
    }
  });
  after(() => t.close());

  test("/admin/settings and the page editors: only admins; guests are sent to log in", async () => {
    const routes = [
      ["GET", "/admin/settings"],
      ["POST", "/admin/settings"],
      ["GET", "/admin/settings/pages/tos"],
      ["POST", "/admin/settings/pages/faq"],
    ] as const;
    for (const [method, url] of routes) {
      for (const who of PERSONAS) {
        const c = clients[who];
        const res =
          method === "GET"
            ? await c.get(url)
            : await c.post(url, url.endsWith("settings") ? form() : { html: "<p>FAQ.</p>" });
        const where = `${who} ${method} ${url}: ${res.statusCode}`;
        if (who === "guest" && method === "GET") {
          assert.equal(res.statusCode, 303, where);
          assert.match(String(res.headers.location), /^\/login\?return_to=%2Fadmin%2Fsettings/);
        } else if (who === "guest") assert.equal(res.statusCode, 401, where);
        else if (who !== "admin") assert.equal(res.statusCode, 403, where);
        else assert.equal(res.statusCode, method === "GET" ? 200 : 303, where);
      }
    }
    // Back to the default FAQ for the tests below (a key never written reads as its default).
    await t.deps.db.deleteFrom("site_settings").where("key", "=", "faq").execute();
    forgetSettings(t.deps.db);
  });

  test("the form shows what is stored; a save writes the changed keys with one audit entry", async () => {
    await save();
    const page = await clients.admin.get("/admin/settings");
    assert.match(page.body, /name="archive_name"[^>]*value="Fanfold"/);
    assert.match(page.body, /name="limit_comments"[^>]*value="20\/10m"/);
    assert.match(page.body, /name="refuse_ai_crawlers" value="1" checked/);
    for (const legend of ["Name and description", "Sign-up", "Guests", "Rate limits", "Banner"])
      assert.match(page.body, new RegExp(`<legend>${legend}</legend>`));

    const before = (await audits()).length;
    const res = await save({
      archive_name: "Lighthouse Archive",
      description: "Stories about lighthouses & their keepers.",
      minimum_age: "16",
    });
    assert.equal(res.headers.location, "/admin/settings");
    const entries = await audits();
    assert.equal(entries.length, before + 1);
    const entry = entries.at(-1)!;
    assert.equal(entry.actor_login, "settings_admin");
    assert.deepEqual(JSON.parse(entry.before_json!), {
      archiveName: "Fanfold",
      description: "",
      minimumAge: 13,
    });
    assert.deepEqual(JSON.parse(entry.after_json!), {
      archiveName: "Lighthouse Archive",
      description: "Stories about lighthouses & their keepers.",
      minimumAge: 16,
    });
    const flash = await clients.admin.get("/admin/settings");
    assert.match(flash.body, /Settings saved \(name, description, minimum age\)/);
    const stored = await siteSettings(t.deps.db, t.deps.config, t.clock.now);
    assert.equal(stored.archiveName, "Lighthouse Archive");
    assert.equal(stored.minimumAge, 16);

    // Every page carries the name; the home page and its meta description the description.
    const home = await clients.guest.get("/");
    assert.match(home.body, /<title>Lighthouse Archive<\/title>/);
    assert.match(home.body, /<a class="brand" href="\/">Lighthouse Archive<\/a>/);
    assert.match(home.body, /<h1>Lighthouse Archive<\/h1>/);
    assert.match(
      home.body,
      /<p class="intro">Stories about lighthouses &amp; their keepers\.<\/p>/,
    );
    assert.match(
      home.body,
      /<meta name="description" content="Stories about lighthouses &amp; their keepers\."/,
    );
    assert.match(
      (await clients.guest.get("/works")).body,
      /<title>[^<]* \| Lighthouse Archive<\/title>/,
    );

    // The same form again changes nothing and records nothing.
    await save({
      archive_name: "Lighthouse Archive",
      description: "Stories about lighthouses & their keepers.",
      minimum_age: "16",
    });
    assert.equal((await audits()).length, before + 1);
    assert.match((await clients.admin.get("/admin/settings")).body, /Nothing changed\./);
    await save();
    assert.match((await clients.guest.get("/")).body, /<title>Fanfold<\/title>/);
  });

  test("invalid values answer 422 naming each field, keep what was typed, and save nothing", async () => {
    const before = (await audits()).length;
    const res = await clients.admin.post(
      "/admin/settings",
      form({
        archive_name: "  ",
        minimum_age: "9",
        signup_mode: "everyone",
        limit_comments: "lots",
        limit_kudos: "5/90d",
        robots_extra: "User-agent: ExampleBot\nplease go away",
        banner_text: "Kept banner text",
      }),
    );
    assert.equal(res.statusCode, 422);
    for (const message of [
      /Archive name: please give the archive a name\./,
      /Minimum age: at least 13\./,
      /Sign-up: choose open, by invitation, or closed\./,
      /Comments: write COUNT\/WINDOW/,
      /Kudos: write COUNT\/WINDOW/,
      /Extra rules: line 2 is not a rule/,
    ])
      assert.match(res.body, message);
    assert.match(res.body, /name="limit_comments"[^>]*value="lots"/);
    assert.match(res.body, />Kept banner text<\/textarea>/);
    assert.equal((await audits()).length, before);

    // A script that sends nothing gets every required field named, not a 500.
    const empty = await clients.admin.post("/admin/settings", {});
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Archive name: required\./);
    assert.match(empty.body, /Sign-ups: required\./);
  });

  test("guest comments off: guests cannot comment even where a work allows everyone", async () => {
    const id = await work({ comment_policy: "everyone" });
    const guest = new Client(t.app);
    const comment = (c: Client, text: string, extra: Record<string, string> = {}) =>
      c.post(`/works/${id}/comments`, { comment_content: text, ...extra });
    const signed = { name: "Wanderer", email: "wanderer@example.net", website: "" };

    await save({ guest_comments: "" });
    const page = await guest.get(`/works/${id}`);
    assert.match(page.body, /comments from guests are turned off on this archive/i);
    assert.doesNotMatch(page.body, /name="comment_content"/);
    const refused = await comment(guest, "Let me in.", signed);
    assert.equal(refused.statusCode, 401);
    assert.match(refused.body, /Comments from guests are turned off on this archive/);
    const rows = () =>
      t.deps.db.selectFrom("comments").select("id").where("work_id", "=", id).execute();
    assert.equal((await rows()).length, 0);
    // Logged-in readers still comment.
    assert.equal((await comment(clients.user, "Signed in, so fine.")).statusCode, 303);

    await save({ guest_comments: "1" });
    assert.match((await guest.get(`/works/${id}`)).body, /name="comment_content"/);
    assert.equal((await comment(guest, "Now I may.", signed)).statusCode, 303);
    assert.equal((await rows()).length, 2);
  });

  test("guest kudos on and off", async () => {
    const id = await work();
    const kudos = (c: Client) =>
      c.post(`/works/${id}/kudos`, { return_to: `/works/${id}`, website: "" });
    await save({ guest_kudos: "" });
    const guest = new Client(t.app);
    const off = await kudos(guest);
    assert.equal(off.statusCode, 401);
    assert.match(off.body, /Guests can(&#39;|')t leave kudos on this archive/);
    const page = (await guest.get(`/works/${id}`)).body;
    assert.match(page, /Log in to leave kudos/);
    assert.doesNotMatch(page, /<form[^>]*action="\/works\/\d+\/kudos"/);
    await save({ guest_kudos: "1" });
    assert.equal((await kudos(guest)).statusCode, 303);
  });

  test("a rate limit set in /admin/settings takes effect at once", async () => {
    const ids = [await work(), await work(), await work(), await work()];
    const reader = new Client(t.app);
    await reader.logIn("settings_user");
    const kudos = (id: number) => reader.post(`/works/${id}/kudos`, { return_to: `/works/${id}` });
    await save({ limit_kudos: "2/1h" });
    assert.equal((await kudos(ids[0]!)).statusCode, 303);
    assert.equal((await kudos(ids[1]!)).statusCode, 303);
    const third = await kudos(ids[2]!);
    assert.equal(third.statusCode, 429);
    assert.match(third.body, /You&#39;re doing that too often|You're doing that too often/);
    assert.ok(Number(third.headers["retry-after"]) > 600);
    await save({ limit_kudos: "60/10m" });
    assert.equal((await kudos(ids[3]!)).statusCode, 303);

    // Sign-ups, per address.
    await save({ limit_signups: "1/1d" });
    const newcomer = new Client(t.app);
    await newcomer.signUp("settings_newcomer");
    const sameAddress = new Client(t.app, newcomer.ip);
    const second = await sameAddress.post("/signup", {
      login: "settings_second",
      email: "settings_second@example.org",
      password: TEST_PASSWORD,
      password_confirmation: TEST_PASSWORD,
      terms_of_service: "1",
    });
    assert.equal(second.statusCode, 429);
    await save();
  });

  test("the banner shows atop every page, a cookie dismisses it, a new text shows again", async () => {
    await save({ banner_text: "Maintenance on Friday evening." });
    const guest = new Client(t.app);
    for (const url of ["/", "/works", "/tos", "/no/such/page"]) {
      const banner = bannerOf((await guest.get(url)).body);
      assert.ok(banner, url);
      assert.match(banner, /Maintenance on Friday evening\./);
      assert.match(banner, /<form method="post" action="\/banner\/dismiss"/);
    }
    const { banner } = await siteSettings(t.deps.db, t.deps.config, t.clock.now);
    const dismissed = await guest.post("/banner/dismiss", {
      banner_id: String(banner.id),
      return_to: "/works?page=1",
    });
    assert.equal(dismissed.statusCode, 303);
    assert.equal(dismissed.headers.location, "/works?page=1");
    assert.equal(guest.cookies.get("fanfold_banner"), String(banner.id));
    assert.equal(bannerOf((await guest.get("/")).body), null);
    assert.equal(bannerOf((await guest.get("/tos")).body), null);
    // Others still see it; the same text saved again keeps its id, so stays dismissed.
    assert.ok(bannerOf((await new Client(t.app).get("/")).body));
    await save({ banner_text: "Maintenance on Friday evening." });
    assert.equal(bannerOf((await guest.get("/")).body), null);
    // A new text is a new banner.
    await save({ banner_text: "Maintenance moved to Saturday." });
    assert.match(
      bannerOf((await guest.get("/")).body) ?? "",
      /Moved to Saturday|moved to Saturday/,
    );
    // No text, no banner.
    await save({ banner_text: "" });
    assert.equal(bannerOf((await new Client(t.app).get("/")).body), null);
  });

  test("dismissing: every persona, CSRF checked, never sent off the archive, id validated", async () => {
    for (const who of PERSONAS) {
      const res = await clients[who].post("/banner/dismiss", {
        banner_id: "3",
        return_to: "https://evil.example/",
      });
      assert.equal(res.statusCode, 303, who);
      assert.equal(res.headers.location, "/", who);
    }
    const noToken = await new Client(t.app).post(
      "/banner/dismiss",
      { banner_id: "1" },
      { csrf: false },
    );
    assert.equal(noToken.statusCode, 403);
    const bad = await clients.guest.post("/banner/dismiss", { banner_id: "soon" });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /banner_id/);
  });

  test("policy pages: defaults marked as such, footer links, an edit link for admins only", async () => {
    for (const [path, title] of [
      ["/tos", "Terms of Service"],
      ["/content", "Content Policy"],
      ["/privacy", "Privacy Policy"],
      ["/faq", "Frequently Asked Questions"],
    ] as const) {
      for (const who of PERSONAS) {
        const res = await clients[who].get(path);
        assert.equal(res.statusCode, 200, `${who} ${path}`);
        assert.match(res.body, new RegExp(`<h1>${title}</h1>`));
        assert.match(res.body, /This is Fanfold&#39;s default|This is Fanfold's default/);
        assert.match(res.body, /<nav aria-label="Archive policies">/);
        for (const link of ["/tos", "/content", "/privacy", "/faq"])
          assert.match(res.body, new RegExp(`<a href="${link}">`));
        const edit = /Edit this page/.test(res.body);
        assert.equal(edit, who === "admin", `${who} ${path}: edit link`);
      }
    }
  });

  test("a page saved with <script> is stored and shown sanitized, with its audit entry", async () => {
    const editor = await clients.admin.get("/admin/settings/pages/content");
    assert.equal(editor.statusCode, 200);
    assert.match(editor.body, /This is Fanfold&#39;s default|This is Fanfold's default/);
    const before = (await audits()).length;
    const res = await clients.admin.post("/admin/settings/pages/content", {
      html: '<h2>Be kind</h2><p onclick="steal()">No harassment.</p><script>alert(1)</script>',
    });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, "/admin/settings/pages/content");
    const page = await clients.guest.get("/content");
    assert.match(page.body, /<h2>Be kind<\/h2><p>No harassment\.<\/p>/);
    assert.doesNotMatch(page.body, /alert\(1\)|onclick|steal\(\)/);
    const row = await t.deps.db
      .selectFrom("site_settings")
      .select("value_json")
      .where("key", "=", "contentPolicy")
      .executeTakeFirstOrThrow();
    assert.equal(JSON.parse(row.value_json), "<h2>Be kind</h2><p>No harassment.</p>");
    const entries = await audits();
    assert.equal(entries.length, before + 1);
    assert.deepEqual(JSON.parse(entries.at(-1)!.after_json!), {
      contentPolicy: "<h2>Be kind</h2><p>No harassment.</p>",
    });
    // The editor shows the cleaned text (escaped inside the textarea).
    const again = await clients.admin.get("/admin/settings/pages/content");
    assert.match(again.body, /&lt;h2>Be kind&lt;\/h2>|&lt;h2&gt;Be kind&lt;\/h2&gt;/);

    const blank = await clients.admin.post("/admin/settings/pages/content", { html: "  " });
    assert.equal(blank.statusCode, 422);
    assert.match(blank.body, /Page text: please write the page\./);
    const onlyScript = await clients.admin.post("/admin/settings/pages/content", {
      html: "<script>alert(1)</script>",
    });
    assert.equal(onlyScript.statusCode, 422);
    assert.match(
      onlyScript.body,
      /nothing is left once markup that isn&#39;t allowed is removed|nothing is left/,
    );
    assert.match(
      onlyScript.body,
      /&lt;script>alert\(1\)&lt;\/script>|&lt;script&gt;alert\(1\)&lt;\/script&gt;/,
    );
    const unknown = await clients.admin.get("/admin/settings/pages/cookies");
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /page/);
    assert.equal((await audits()).length, before + 1);
  });

  test("robots.txt: public pages open, private ones and forms closed, AI crawlers refused by default", async () => {
    await save();
    const res = await clients.guest.get("/robots.txt");
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /^text\/plain/);
    const text = res.body;
    assert.match(text, /^User-agent: \*$/m);
    for (const path of [
      "/admin",
      "/users/*/inbox",
      "/users/*/readings",
      "/works/search?",
      "/login",
    ])
      assert.ok(text.split("\n").includes(`Disallow: ${path}`), path);
    assert.ok(!text.split("\n").includes("Disallow: /works"), "works stay crawlable");
    // One group for the AI crawlers, ending in Disallow: /.
    const group = text.slice(text.indexOf("User-agent: GPTBot"));
    for (const agent of AI_CRAWLERS) assert.match(group, new RegExp(`^User-agent: ${agent}$`, "m"));
    assert.match(group, /^User-agent: Timpibot\nDisallow: \/$/m);

    await save({
      refuse_ai_crawlers: "",
      robots_extra: "# Our own\nUser-agent: ExampleBot\nDisallow: /",
    });
    const off = (await clients.guest.get("/robots.txt")).body;
    assert.doesNotMatch(off, /GPTBot|ClaudeBot|CCBot/);
    assert.match(off, /# Our own\nUser-agent: ExampleBot\nDisallow: \/\n$/);
    assert.match(off, /^Disallow: \/admin$/m);
    await save();
  });
});
