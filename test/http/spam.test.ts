/**
 * Spam over HTTP (issue 13): guest comments and new accounts' first works scored as they are
 * posted and held above the threshold (hidden, uncounted, unannounced); the moderators' page,
 * release and "spam" with their records and audit entries; removing all of a spammer's content
 * in one action, which also bans the account; and every route as each kind of viewer.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { HELD_FOR_SPAM, MARKED_AS_SPAM } from "../../src/core/spam-queries.ts";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildBookmark, buildComment, buildUser, buildWork } from "../support/factories.ts";

const PASSWORD = "factory password";
const DAY = 24 * 60 * 60 * 1000;
const SPAMMY = "cheap meds http://a.example http://b.example http://c.example";
const SPAMMY_WORK = `Best prices! ${SPAMMY} buy now http://d.example http://e.example`;

describeEachEngine("spam over HTTP", (engine) => {
  let t: TestApp;
  let author: Awaited<ReturnType<typeof buildUser>>;
  let workId: number;
  const as: Record<string, Client> = {};
  let seq = 0;

  async function client(login: string) {
    const c = new Client(t.app);
    const res = await c.logIn(login, PASSWORD);
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    return c;
  }

  before(async () => {
    t = await createTestApp(engine);
    const db = t.handle.db;
    author = await buildUser(db, { login: "sp_author" });
    await buildUser(db, { login: "sp_reader" });
    await buildUser(db, { login: "sp_wrangler", roles: ["wrangler"] });
    await buildUser(db, { login: "sp_moderator", roles: ["moderator"] });
    await buildUser(db, { login: "sp_admin", roles: ["admin"] });
    await buildUser(db, { login: "sp_suspended" });
    // These accounts are a month old: none of them is new.
    await db
      .updateTable("users")
      .set({ created_at: t.clock.now - 30 * DAY })
      .where("login", "like", "sp_%")
      .execute();
    await db
      .updateTable("users")
      .set({ suspended_until: t.clock.now + 30 * DAY })
      .where("login", "=", "sp_suspended")
      .execute();
    workId = (
      await buildWork(db, {
        pseudId: author.pseudId,
        title: "Open Comments Work",
        comment_policy: "everyone",
        now: t.clock.now,
      })
    ).workId;
    for (const login of [
      "sp_author",
      "sp_reader",
      "sp_wrangler",
      "sp_moderator",
      "sp_admin",
      "sp_suspended",
    ])
      as[login] = await client(login);
  });
  after(() => t.close());

  const db = () => t.handle.db;
  const comment = (id: number) =>
    db().selectFrom("comments").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const work = (id: number) =>
    db().selectFrom("works").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const events = (type: string, id: number) =>
    db()
      .selectFrom("spam_events")
      .selectAll()
      .where("subject_type", "=", type as "comment")
      .where("subject_id", "=", id)
      .orderBy("id")
      .execute();
  const audit = (action: string) =>
    db()
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", action)
      .orderBy("id", "desc")
      .execute();
  const storedComments = async (id: number) =>
    (
      await db()
        .selectFrom("work_stats")
        .select("comments")
        .where("work_id", "=", id)
        .executeTakeFirst()
    )?.comments ?? 0;
  const storedBookmarks = async (id: number) =>
    (
      await db()
        .selectFrom("work_stats")
        .select("bookmarks")
        .where("work_id", "=", id)
        .executeTakeFirst()
    )?.bookmarks ?? 0;

  async function guestComment(text: string, target = workId) {
    seq += 1;
    const guest = new Client(t.app);
    const res = await guest.post(`/works/${target}/comments`, {
      comment_content: text,
      name: `Guest ${seq}`,
      email: `guest${seq}@example.net`,
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const row = await db()
      .selectFrom("comments")
      .select("id")
      .where("work_id", "=", target)
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** A brand-new account (created now, by the app's clock), logged in. */
  async function newAccount(prefix: string) {
    seq += 1;
    const c = new Client(t.app);
    const login = `${prefix}_${seq}`;
    await c.signUp(login);
    const row = await db()
      .selectFrom("users")
      .select("id")
      .where("login", "=", login)
      .executeTakeFirstOrThrow();
    return { client: c, login, id: row.id };
  }

  async function postWork(c: Client, overrides: Record<string, string>) {
    const res = await c.post("/works", workForm(overrides));
    assert.equal(res.statusCode, 303, res.body.slice(0, 800));
    return workIdFrom(res.headers.location);
  }

  test("a spammy guest comment is held: hidden, uncounted, unannounced; a normal one is published", async () => {
    const before = await storedComments(workId);
    const fine = await guestComment("yay! loved Mark's POV");
    assert.equal((await comment(fine)).hidden_reason, null);
    assert.deepEqual(await events("comment", fine), []);
    assert.equal(await storedComments(workId), before + 1);

    const spam = await guestComment(SPAMMY);
    const row = await comment(spam);
    assert.equal(row.hidden_reason, HELD_FOR_SPAM);
    assert.equal(row.status, "published", "not sent to the creator's approval queue");
    const [event] = await events("comment", spam);
    assert.equal(event?.status, "held");
    assert.ok(event.score >= 50, String(event?.score));
    assert.match(event.reasons, /3 links/);
    assert.equal(event.user_id, null);
    assert.match(event.guest_key ?? "", /^[0-9a-f]{32}$/);
    assert.equal(await storedComments(workId), before + 1, "held comments are not counted");

    for (const viewer of [new Client(t.app), as.sp_reader!, as.sp_author!]) {
      const page = await viewer.get(`/works/${workId}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /loved Mark/);
      assert.doesNotMatch(page.body, /cheap meds/, "held comments are not shown");
    }
    const told = await db()
      .selectFrom("notifications")
      .select("id")
      .where("comment_id", "=", spam)
      .execute();
    assert.deepEqual(told, [], "the creator is not told about a held comment");

    const list = await as.sp_moderator!.get("/admin/spam");
    assert.equal(list.statusCode, 200);
    assert.match(list.body, new RegExp(`Comment ${spam}</a> on`));
    assert.match(list.body, /cheap meds/);
    assert.match(list.body, /3 links in \d+ words of text/);
    assert.match(list.body, /\(guest\)/);
  });

  test("on a moderated work a held comment does not wait in the creator's queue", async () => {
    const moderated = (
      await buildWork(db(), {
        pseudId: author.pseudId,
        comment_policy: "everyone",
        moderated_comments: "1",
        now: t.clock.now,
      })
    ).workId;
    const spam = await guestComment(SPAMMY, moderated);
    assert.equal((await comment(spam)).hidden_reason, HELD_FOR_SPAM);
    const queue = await as.sp_author!.get(`/works/${moderated}/comments/unreviewed`);
    assert.equal(queue.statusCode, 200);
    assert.doesNotMatch(queue.body, /cheap meds/);
  });

  test("releasing a held comment shows and counts it, records the decision and audits it", async () => {
    const spam = await guestComment(`${SPAMMY} (but really a fan)`);
    const before = await storedComments(workId);
    const res = await as.sp_moderator!.post(`/admin/spam/comment/${spam}/release`);
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    assert.equal(res.headers.location, "/admin/spam");
    assert.equal((await comment(spam)).hidden_reason, null);
    assert.equal(await storedComments(workId), before + 1);
    const [event] = await events("comment", spam);
    assert.equal(event?.status, "released");
    assert.ok(event?.decided_by_user_id);
    assert.equal(event?.decided_at, t.clock.now);
    const [entry] = await audit("comment.spam-release");
    assert.equal(entry?.subject_id, spam);
    assert.equal(entry?.actor_login, "sp_moderator");
    const page = await new Client(t.app).get(`/works/${workId}`);
    assert.match(page.body, /but really a fan/);
    // Released once: a second click is refused, and changes nothing.
    const again = await as.sp_admin!.post(`/admin/spam/comment/${spam}/release`);
    assert.equal(again.statusCode, 409);
    assert.equal(await storedComments(workId), before + 1);
  });

  test("mark as spam hides a published comment, uncounts it, records and audits it", async () => {
    const fine = await guestComment("A perfectly ordinary comment that a moderator dislikes.");
    const before = await storedComments(workId);
    const res = await as.sp_admin!.post(`/admin/spam/comment/${fine}/spam`, {
      reason: "Advert in disguise",
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    assert.equal((await comment(fine)).hidden_reason, MARKED_AS_SPAM);
    assert.equal(await storedComments(workId), before - 1);
    const [event] = await events("comment", fine);
    assert.equal(event?.status, "spam");
    const [entry] = await audit("comment.spam");
    assert.equal(entry?.subject_id, fine);
    assert.equal(entry?.reason, "Advert in disguise");
    assert.deepEqual(JSON.parse(entry.after_json!), { hidden_reason: "Spam" });
    const page = await as.sp_reader!.get(`/works/${workId}`);
    assert.doesNotMatch(page.body, /moderator dislikes/);
    const again = await as.sp_admin!.post(`/admin/spam/comment/${fine}/spam`);
    assert.equal(again.statusCode, 409);

    // A held one marked as spam: its event is settled, not doubled, and nothing is uncounted.
    const held = await guestComment(SPAMMY);
    const count = await storedComments(workId);
    assert.equal((await as.sp_moderator!.post(`/admin/spam/comment/${held}/spam`)).statusCode, 303);
    assert.deepEqual(
      (await events("comment", held)).map((e) => e.status),
      ["spam"],
    );
    assert.equal(await storedComments(workId), count);
    const list = await as.sp_moderator!.get("/admin/spam");
    assert.doesNotMatch(list.body, new RegExp(`Comment ${held}</a>`));
  });

  test("a new account's spammy first work is held, absent from /works until released", async () => {
    const spammer = await newAccount("fresh");
    const id = await postWork(spammer.client, {
      title: "Pharmacy Deals Galore",
      fandoms: "Spam Fandom Unique",
      text: SPAMMY_WORK,
    });
    const row = await work(id);
    assert.equal(row.hidden_reason, HELD_FOR_SPAM);
    assert.equal(row.posted, 1);
    const [event] = await events("work", id);
    assert.equal(event?.status, "held");
    assert.equal(event?.user_id, spammer.id);
    assert.match(event.reasons, /less than a day old/);

    const guest = new Client(t.app);
    assert.equal((await guest.get(`/works/${id}`)).statusCode, 404);
    assert.doesNotMatch((await guest.get("/works")).body, /Pharmacy Deals Galore/);
    assert.doesNotMatch((await as.sp_reader!.get("/works")).body, /Pharmacy Deals Galore/);
    const tag = await db()
      .selectFrom("tags")
      .select(["members_count", "public_count"])
      .where("name", "=", "Spam Fandom Unique")
      .executeTakeFirstOrThrow();
    assert.deepEqual(tag, { members_count: 0, public_count: 0 }, "tags do not count it");
    const announced = await db()
      .selectFrom("jobs")
      .select("payload")
      .where("kind", "=", "work.posted")
      .execute();
    assert.ok(
      !announced.some((j) => (JSON.parse(j.payload) as { workId: number }).workId === id),
      "not announced",
    );
    assert.equal((await spammer.client.get(`/works/${id}`)).statusCode, 200, "its creator sees it");
    const list = await as.sp_moderator!.get("/admin/spam");
    assert.match(list.body, /Work: <a href="\/works\/\d+">Pharmacy Deals Galore/);
    assert.match(list.body, new RegExp(`/admin/users/${spammer.login}/remove-spam`));

    const res = await as.sp_moderator!.post(`/admin/spam/work/${id}/release`);
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    assert.equal((await work(id)).hidden_reason, null);
    assert.equal((await events("work", id))[0]?.status, "released");
    assert.equal((await audit("work.spam-release"))[0]?.subject_id, id);
    assert.equal((await guest.get(`/works/${id}`)).statusCode, 200);
    assert.match((await guest.get("/works")).body, /Pharmacy Deals Galore/);
    const released = await db()
      .selectFrom("tags")
      .select(["members_count", "public_count"])
      .where("name", "=", "Spam Fandom Unique")
      .executeTakeFirstOrThrow();
    assert.deepEqual(released, { members_count: 1, public_count: 1 });
    const jobs = await db()
      .selectFrom("jobs")
      .select("payload")
      .where("kind", "=", "work.posted")
      .execute();
    assert.ok(
      jobs.some((j) => (JSON.parse(j.payload) as { workId: number }).workId === id),
      "announced on release",
    );
  });

  test("only a new account's first work is scored", async () => {
    // An ordinary first work of a new account is posted as usual.
    const fresh = await newAccount("honest");
    const ok = await postWork(fresh.client, { title: "An Honest Start" });
    assert.equal((await work(ok)).hidden_reason, null);
    // Its second work is not scored, whatever it says.
    const second = await postWork(fresh.client, { title: "Second Link Dump", text: SPAMMY_WORK });
    assert.equal((await work(second)).hidden_reason, null);
    assert.deepEqual(await events("work", second), []);
    // An account older than a week is trusted with its first work too.
    const old = await postWork(as.sp_reader!, { title: "Old Hand", text: SPAMMY_WORK });
    assert.equal((await work(old)).hidden_reason, null);
    // A draft is scored when it is posted.
    const drafter = await newAccount("drafter");
    const draft = await postWork(drafter.client, {
      title: "Draft Of Links",
      text: SPAMMY_WORK,
      action: "draft",
    });
    assert.equal((await work(draft)).hidden_reason, null);
    const posted = await drafter.client.post(`/works/${draft}/post`);
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 300));
    assert.equal((await work(draft)).posted, 1);
    assert.equal((await work(draft)).hidden_reason, HELD_FOR_SPAM);
  });

  test("mark a work as spam: hidden from listings and tag counts, recorded and audited", async () => {
    const id = (
      await buildWork(db(), {
        pseudId: author.pseudId,
        title: "Sneaky Advert Work",
        fandoms: "Advert Fandom Unique",
        now: t.clock.now,
      })
    ).workId;
    const res = await as.sp_moderator!.post(`/admin/spam/work/${id}/spam`);
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    assert.equal((await work(id)).hidden_reason, MARKED_AS_SPAM);
    assert.equal((await events("work", id))[0]?.status, "spam");
    assert.equal((await events("work", id))[0]?.user_id, author.id);
    assert.equal((await audit("work.spam"))[0]?.subject_label, "Sneaky Advert Work");
    assert.doesNotMatch((await as.sp_reader!.get("/works")).body, /Sneaky Advert Work/);
    assert.equal((await as.sp_reader!.get(`/works/${id}`)).statusCode, 404);
    const tag = await db()
      .selectFrom("tags")
      .select("public_count")
      .where("name", "=", "Advert Fandom Unique")
      .executeTakeFirstOrThrow();
    assert.equal(tag.public_count, 0);
    // Not held, so there is nothing to release.
    assert.equal((await as.sp_moderator!.post(`/admin/spam/work/${id}/release`)).statusCode, 409);
  });

  test("remove spam: every work, comment and bookmark hidden, the account banned, in one action", async () => {
    const spammer = await newAccount("spammer");
    const own = await postWork(spammer.client, {
      title: "Spammer's Harmless Looking Work",
      comment_policy: "everyone",
    });
    const commentRes = await spammer.client.post(`/works/${workId}/comments`, {
      comment_content: "Visit my profile for more!",
    });
    assert.equal(commentRes.statusCode, 303, commentRes.body.slice(0, 300));
    const pseud = await db()
      .selectFrom("pseuds")
      .select("id")
      .where("user_id", "=", spammer.id)
      .executeTakeFirstOrThrow();
    const byUser = { id: spammer.id, login: spammer.login, pseudId: pseud.id };
    const bookmark = await buildBookmark(db(), workId, { by: byUser, now: t.clock.now });
    const other = await buildComment(db(), own, { now: t.clock.now });
    const comments = await storedComments(workId);
    const bookmarks = await storedBookmarks(workId);

    const confirm = await as.sp_moderator!.get(`/admin/users/${spammer.login}/remove-spam`);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /1 work</);
    assert.match(confirm.body, /1 comment</);
    assert.match(confirm.body, /1 bookmark</);
    assert.match(
      confirm.body,
      /Spammer&#39;s Harmless Looking Work|Spammer's Harmless Looking Work/,
    );
    assert.match(confirm.body, /name="confirm"/);

    const unconfirmed = await as.sp_moderator!.post(`/admin/users/${spammer.login}/remove-spam`, {
      reason: "Link farm",
    });
    assert.equal(unconfirmed.statusCode, 422);
    assert.match(unconfirmed.body, /Tick the box to confirm/);
    assert.match(unconfirmed.body, /Link farm/, "the reason typed is kept");
    assert.equal((await work(own)).hidden_reason, null, "nothing happened");

    const res = await as.sp_moderator!.post(`/admin/users/${spammer.login}/remove-spam`, {
      confirm: "1",
      reason: "Link farm",
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    assert.equal(res.headers.location, `/admin/users/${spammer.login}`);
    assert.equal((await work(own)).hidden_reason, MARKED_AS_SPAM);
    const theirs = await db()
      .selectFrom("comments")
      .select("hidden_reason")
      .where("user_id", "=", spammer.id)
      .execute();
    assert.deepEqual(theirs, [{ hidden_reason: MARKED_AS_SPAM }]);
    const mark = await db()
      .selectFrom("bookmarks")
      .select("hidden_reason")
      .where("id", "=", bookmark.id)
      .executeTakeFirstOrThrow();
    assert.equal(mark.hidden_reason, MARKED_AS_SPAM);
    assert.equal((await comment(other.id)).hidden_reason, null, "others' comments are theirs");
    assert.equal(await storedComments(workId), comments - 1);
    assert.equal(await storedBookmarks(workId), bookmarks - 1);

    const user = await db()
      .selectFrom("users")
      .select("banned_at")
      .where("id", "=", spammer.id)
      .executeTakeFirstOrThrow();
    assert.equal(user.banned_at, t.clock.now);
    const sessions = await db()
      .selectFrom("sessions")
      .select("id")
      .where("user_id", "=", spammer.id)
      .execute();
    assert.deepEqual(sessions, []);
    const home = await spammer.client.get("/works/new");
    assert.equal(home.statusCode, 303, "logged out: sent to log in");

    const [entry] = await audit("user.remove-spam");
    assert.equal(entry?.subject_id, spammer.id);
    assert.equal(entry?.reason, "Link farm");
    assert.deepEqual((JSON.parse(entry.after_json!) as { hidden: unknown }).hidden, {
      works: 1,
      comments: 1,
      bookmarks: 1,
    });
    assert.equal((await as.sp_reader!.get(`/works/${own}`)).statusCode, 404);
  });

  test("remove spam refuses staff, oneself and unknown accounts", async () => {
    const staff = await as.sp_admin!.post("/admin/users/sp_moderator/remove-spam", {
      confirm: "1",
    });
    assert.equal(staff.statusCode, 403);
    assert.match(staff.body, /revoke their roles first/);
    const self = await as.sp_admin!.post("/admin/users/sp_admin/remove-spam", { confirm: "1" });
    assert.equal(self.statusCode, 409);
    assert.match(self.body, /your own account/);
    const nobody = await as.sp_admin!.post("/admin/users/no_such_login/remove-spam", {
      confirm: "1",
    });
    assert.equal(nobody.statusCode, 404);
    assert.equal(
      (await as.sp_admin!.get("/admin/users/no_such_login/remove-spam")).statusCode,
      404,
    );
    const banned = await db()
      .selectFrom("users")
      .select("banned_at")
      .where("login", "in", ["sp_moderator", "sp_admin"])
      .execute();
    assert.deepEqual(banned, [{ banned_at: null }, { banned_at: null }]);
  });

  test("every route: guests log in, users, suspended users and wranglers are refused", async () => {
    const target = await guestComment("A comment the permission test aims at.");
    const routes: { method: "GET" | "POST"; url: string; form?: Record<string, string> }[] = [
      { method: "GET", url: "/admin/spam" },
      { method: "POST", url: `/admin/spam/comment/${target}/release` },
      { method: "POST", url: `/admin/spam/comment/${target}/spam` },
      { method: "GET", url: "/admin/users/sp_reader/remove-spam" },
      { method: "POST", url: "/admin/users/sp_reader/remove-spam", form: { confirm: "1" } },
    ];
    const guest = new Client(t.app);
    for (const r of routes) {
      const res =
        r.method === "GET" ? await guest.get(r.url) : await guest.post(r.url, r.form ?? {});
      if (r.method === "GET") {
        assert.equal(res.statusCode, 303, r.url);
        assert.match(res.headers.location ?? "", /^\/login\?return_to=/);
      } else assert.equal(res.statusCode, 401, r.url);
      for (const login of ["sp_reader", "sp_suspended", "sp_wrangler", "sp_author"]) {
        const c = as[login]!;
        const refused = r.method === "GET" ? await c.get(r.url) : await c.post(r.url, r.form ?? {});
        assert.equal(refused.statusCode, 403, `${login} ${r.method} ${r.url}`);
      }
    }
    assert.equal((await comment(target)).hidden_reason, null, "nothing was changed");
    const banned = await db()
      .selectFrom("users")
      .select("banned_at")
      .where("login", "=", "sp_reader")
      .executeTakeFirstOrThrow();
    assert.equal(banned.banned_at, null);
    for (const login of ["sp_moderator", "sp_admin"]) {
      assert.equal((await as[login]!.get("/admin/spam")).statusCode, 200, login);
      assert.equal(
        (await as[login]!.get("/admin/users/sp_reader/remove-spam")).statusCode,
        200,
        login,
      );
    }
  });

  test("bad addresses and fields answer 4xx naming them, never 500", async () => {
    const mod = as.sp_moderator!;
    const badType = await mod.post("/admin/spam/robot/1/spam");
    assert.equal(badType.statusCode, 400);
    assert.match(badType.body, /type/);
    const badId = await mod.post("/admin/spam/comment/abc/release");
    assert.equal(badId.statusCode, 400);
    assert.match(badId.body, /id/);
    const huge = await mod.post("/admin/spam/comment/99999999999/spam");
    assert.equal(huge.statusCode, 400);
    const missing = await mod.post("/admin/spam/work/2147483647/spam");
    assert.equal(missing.statusCode, 404);
    const badBefore = await mod.get("/admin/spam?before=-3");
    assert.equal(badBefore.statusCode, 400);
    assert.match(badBefore.body, /before/);
    const longReason = await mod.post(`/admin/spam/work/2147483647/spam`, {
      reason: "x".repeat(1001),
    });
    assert.equal(longReason.statusCode, 400);
    assert.match(longReason.body, /reason/);
    // Fastify refuses an address part over 100 characters itself (414), before the schema.
    const longLogin = await mod.get(`/admin/users/${"a".repeat(101)}/remove-spam`);
    assert.equal(longLogin.statusCode, 414);
    const emptyish = await mod.post("/admin/users/sp_reader/remove-spam", {});
    assert.equal(emptyish.statusCode, 422, "the missing confirmation is named first");
    assert.match(emptyish.body, /Tick the box/);
  });
});
