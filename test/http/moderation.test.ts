/**
 * Reports and moderator actions over HTTP (issue 13): reporting as a user and as a guest, the
 * snapshot, the queue's permissions, and each action on accounts with its audit entry and
 * inbox notice; suspension blocking every contributing route until it lifts; a ban ending
 * sessions and refusing log-in.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, createTestApp, workForm, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

const PASSWORD = "factory password";
const DAY = 24 * 60 * 60 * 1000;

describeEachEngine("reports and moderator actions over HTTP", (engine) => {
  let t: TestApp;
  let author: Awaited<ReturnType<typeof buildUser>>;
  let workId: number;
  const as: Record<string, Client> = {};

  async function client(login: string) {
    const c = new Client(t.app);
    const res = await c.logIn(login, PASSWORD);
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    return c;
  }

  before(async () => {
    t = await createTestApp(engine);
    const db = t.handle.db;
    author = await buildUser(db, { login: "mod_author" });
    await buildUser(db, { login: "mod_reader" });
    await buildUser(db, { login: "mod_wrangler", roles: ["wrangler"] });
    await buildUser(db, { login: "mod_moderator", roles: ["moderator"] });
    await buildUser(db, { login: "mod_admin", roles: ["admin"] });
    await buildUser(db, { login: "mod_suspended" });
    workId = (await buildWork(db, { pseudId: author.pseudId, title: "The Reported Work" })).workId;
    for (const login of [
      "mod_author",
      "mod_reader",
      "mod_wrangler",
      "mod_moderator",
      "mod_admin",
      "mod_suspended",
    ])
      as[login] = await client(login);
    await db
      .updateTable("users")
      .set({ suspended_until: t.clock.now + 30 * DAY })
      .where("login", "=", "mod_suspended")
      .execute();
  });
  after(() => t.close());

  const reports = () =>
    t.handle.db.selectFrom("reports").selectAll().orderBy("id", "desc").execute();
  const audit = (action: string) =>
    t.handle.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", action)
      .orderBy("id", "desc")
      .execute();
  const notices = (login: string) =>
    t.handle.db
      .selectFrom("notifications")
      .innerJoin("users", "users.id", "notifications.user_id")
      .select(["notifications.kind", "notifications.text", "notifications.url"])
      .where("users.login", "=", login)
      .where("notifications.kind", "=", "moderation")
      .orderBy("notifications.id", "desc")
      .execute();

  test("a reader reports a work; the report keeps a snapshot of it", async () => {
    const form = await as.mod_reader!.get(`/reports/new?type=work&id=${workId}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /The Reported Work/);
    assert.match(form.body, /name="category"/);
    assert.doesNotMatch(form.body, /name="email"/, "users are not asked for an e-mail");
    const res = await as.mod_reader!.post(`/reports/new?type=work&id=${workId}`, {
      category: "plagiarism",
      details: "Copied from elsewhere.",
    });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    assert.equal(res.headers.location, `/works/${workId}`);
    const [report] = await reports();
    assert.equal(report!.subject_type, "work");
    assert.equal(report!.subject_id, workId);
    assert.equal(report!.subject_user_id, author.id);
    assert.equal(report!.status, "open");
    assert.equal(report!.reporter_email, null);
    assert.equal(
      (JSON.parse(report!.snapshot_json) as { title: string }).title,
      "The Reported Work",
    );

    // The content changes; the report still shows what was reported, and what it is now.
    await t.handle.db
      .updateTable("works")
      .set({ title: "A Quietly Renamed Work" })
      .where("id", "=", workId)
      .execute();
    const view = await as.mod_moderator!.get(`/admin/reports/${Number(report!.id)}`);
    assert.equal(view.statusCode, 200);
    const [reported, now] = view.body.split("As it is now");
    assert.match(reported!, /The Reported Work/);
    assert.match(now!, /A Quietly Renamed Work/);
    assert.match(view.body, /Copied from elsewhere\./);
    await t.handle.db
      .updateTable("works")
      .set({ title: "The Reported Work" })
      .where("id", "=", workId)
      .execute();
  });

  test("a guest must give an e-mail; the honeypot and bad input are refused by name", async () => {
    const guest = new Client(t.app);
    const form = await guest.get(`/reports/new?type=work&id=${workId}`);
    assert.match(form.body, /name="email"/);
    const missing = await guest.post(`/reports/new?type=work&id=${workId}`, {
      category: "spam",
      email: "",
    });
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /Email: please give your email address/);
    const badEmail = await guest.post(`/reports/new?type=work&id=${workId}`, {
      category: "spam",
      email: "not-an-address",
    });
    assert.equal(badEmail.statusCode, 422);
    assert.match(badEmail.body, /Enter a valid email address/);
    const noCategory = await guest.post(`/reports/new?type=work&id=${workId}`, {
      email: "g@example.org",
    });
    assert.equal(noCategory.statusCode, 422);
    assert.match(noCategory.body, /Choose what kind of problem this is/);
    const robot = await guest.post(`/reports/new?type=work&id=${workId}`, {
      category: "spam",
      email: "g@example.org",
      website: "http://spam.example",
    });
    assert.equal(robot.statusCode, 400);
    const ok = await guest.post(`/reports/new?type=work&id=${workId}`, {
      category: "spam",
      email: "G@Example.org",
    });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
    const [report] = await reports();
    assert.equal(report!.reporter_user_id, null);
    assert.equal(report!.reporter_email, "g@example.org");

    const badType = await guest.get(`/reports/new?type=planet&id=1`);
    assert.equal(badType.statusCode, 400);
    assert.match(badType.body, /type/);
    const badId = await guest.get(`/reports/new?type=work&id=abc`);
    assert.equal(badId.statusCode, 400);
    assert.match(badId.body, /id/);
    assert.equal((await guest.get(`/reports/new?type=work&id=999999`)).statusCode, 404);
  });

  test("only what the reporter can see can be reported", async () => {
    const draft = await as.mod_author!.post(
      "/works",
      workForm({ action: "draft", title: "Drafty" }),
    );
    assert.equal(draft.statusCode, 303);
    const draftId = Number(/\/works\/(\d+)/.exec(draft.headers.location ?? "")?.[1]);
    assert.equal(
      (await as.mod_reader!.get(`/reports/new?type=work&id=${draftId}`)).statusCode,
      404,
    );
    const post = await as.mod_reader!.post(`/reports/new?type=work&id=${draftId}`, {
      category: "spam",
    });
    assert.equal(post.statusCode, 404);
    // Users, tags, comments and bookmarks can be reported too.
    assert.equal(
      (await as.mod_reader!.get(`/reports/new?type=user&id=${author.id}`)).statusCode,
      200,
    );
    const tag = await t.handle.db
      .selectFrom("tags")
      .select("id")
      .where("name", "=", "Factory Fandom")
      .executeTakeFirstOrThrow();
    assert.equal((await as.mod_reader!.get(`/reports/new?type=tag&id=${tag.id}`)).statusCode, 200);
    // Pages carry plain "Report" links.
    assert.match(
      (await as.mod_reader!.get(`/works/${workId}`)).body,
      /\/reports\/new\?type=work&amp;id=/,
    );
    assert.match(
      (await as.mod_reader!.get(`/users/mod_author`)).body,
      /\/reports\/new\?type=user&amp;id=/,
    );
  });

  test("the queue: staff with reports.handle only", async () => {
    const guest = new Client(t.app);
    const g = await guest.get("/admin/reports");
    assert.equal(g.statusCode, 303);
    assert.match(g.headers.location ?? "", /^\/login/);
    const [report] = await reports();
    const id = Number(report!.id);
    assert.equal((await guest.post(`/admin/reports/${id}/dismiss`, {})).statusCode, 401);
    for (const login of ["mod_reader", "mod_suspended", "mod_wrangler", "mod_author"]) {
      assert.equal((await as[login]!.get("/admin/reports")).statusCode, 403, login);
      assert.equal((await as[login]!.get(`/admin/reports/${id}`)).statusCode, 403, login);
      assert.equal((await as[login]!.post(`/admin/reports/${id}/dismiss`, {})).statusCode, 403);
      assert.equal(
        (await as[login]!.post(`/admin/content/work/${workId}/hide`, { reason: "x" })).statusCode,
        403,
      );
      assert.equal(
        (await as[login]!.post(`/admin/users/mod_reader/warn`, { message: "x" })).statusCode,
        403,
      );
    }
    for (const login of ["mod_moderator", "mod_admin"]) {
      const list = await as[login]!.get("/admin/reports");
      assert.equal(list.statusCode, 200, login);
      assert.match(list.body, /The Reported Work/);
      assert.equal((await as[login]!.get(`/admin/reports/${id}`)).statusCode, 200);
    }
    const filtered = await as.mod_moderator!.get("/admin/reports?status=all&type=user");
    assert.doesNotMatch(filtered.body, /The Reported Work/);
    const byOwner = await as.mod_moderator!.get("/admin/reports?status=all&user=mod_author");
    assert.match(byOwner.body, /The Reported Work/);
    assert.equal((await as.mod_moderator!.get("/admin/reports?status=nope")).statusCode, 400);
    assert.equal((await as.mod_moderator!.get("/admin/reports/abc")).statusCode, 400);
    assert.equal((await as.mod_moderator!.get("/admin/reports/999999")).statusCode, 404);
  });

  test("dismissing a report: audited, once", async () => {
    const [report] = await reports();
    const id = Number(report!.id);
    const res = await as.mod_moderator!.post(`/admin/reports/${id}/dismiss`, { note: "Not spam." });
    assert.equal(res.statusCode, 303);
    const row = await t.handle.db
      .selectFrom("reports")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, "dismissed");
    assert.equal(row.resolution, "Not spam.");
    const [entry] = await audit("report.dismiss");
    assert.equal(entry!.actor_login, "mod_moderator");
    assert.equal(entry!.subject_id, id);
    assert.deepEqual(JSON.parse(entry!.before_json!), { status: "open" });
    assert.deepEqual(JSON.parse(entry!.after_json!), { status: "dismissed" });
    const again = await as.mod_moderator!.post(`/admin/reports/${id}/dismiss`, {});
    assert.equal(again.statusCode, 409);
  });

  test("warning an account: audit entry and inbox notice", async () => {
    const page = await as.mod_moderator!.get("/admin/users/mod_reader/moderation");
    assert.equal(page.statusCode, 200);
    assert.equal((await as.mod_reader!.get("/admin/users/mod_reader/moderation")).statusCode, 403);
    const empty = await as.mod_moderator!.post("/admin/users/mod_reader/warn", { message: "" });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Message: write the warning/);
    const res = await as.mod_moderator!.post("/admin/users/mod_reader/warn", {
      message: "Please keep comments civil.",
    });
    assert.equal(res.statusCode, 303);
    const [entry] = await audit("user.warn");
    assert.equal(entry!.subject_label, "mod_reader");
    assert.equal(entry!.reason, "Please keep comments civil.");
    const [notice] = await notices("mod_reader");
    assert.match(notice!.text, /warning: Please keep comments civil\./);
    const inbox = await as.mod_reader!.get("/users/mod_reader/inbox");
    assert.match(inbox.body, /From the moderators/);
    assert.match(inbox.body, /Please keep comments civil\./);
    assert.equal(
      (await as.mod_moderator!.post("/admin/users/nobody_here/warn", { message: "x" })).statusCode,
      404,
    );
    const self = await as.mod_moderator!.post("/admin/users/mod_moderator/warn", { message: "x" });
    assert.equal(self.statusCode, 422);
    const admin = await as.mod_moderator!.post("/admin/users/mod_admin/warn", { message: "x" });
    assert.equal(admin.statusCode, 403);
  });

  test("a suspended account reads and logs in, but contributes nothing until it lifts", async () => {
    const bad = await as.mod_moderator!.post("/admin/users/mod_reader/suspend", {
      days: "0",
      suspend_reason: "Spamming",
    });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Days: at least 1/);
    const noReason = await as.mod_moderator!.post("/admin/users/mod_reader/suspend", { days: "3" });
    assert.equal(noReason.statusCode, 422);
    const res = await as.mod_moderator!.post("/admin/users/mod_reader/suspend", {
      days: "3",
      suspend_reason: "Spamming comments",
    });
    assert.equal(res.statusCode, 303);
    const [entry] = await audit("user.suspend");
    assert.deepEqual(JSON.parse(entry!.before_json!), { suspended_until: null });
    assert.deepEqual(JSON.parse(entry!.after_json!), { suspended_until: t.clock.now + 3 * DAY });
    const [notice] = await notices("mod_reader");
    assert.match(notice!.text, /suspended your account for 3 days/);

    let reader = new Client(t.app);
    assert.equal((await reader.logIn("mod_reader", PASSWORD)).statusCode, 303, "can log in");
    assert.equal((await reader.get(`/works/${workId}`)).statusCode, 200, "can read");
    const attempts = [
      () => reader.post("/works", workForm()),
      () => reader.post(`/works/${workId}/comments`, { comment_content: "Hello" }),
      () => reader.post(`/works/${workId}/kudos`, {}),
      () => reader.post(`/works/${workId}/bookmarks`, { notes: "", tags: "" }),
    ];
    for (const attempt of attempts) {
      const r = await attempt();
      assert.equal(r.statusCode, 403);
      assert.match(r.body, /suspended until/);
    }
    // Their own work cannot grow a chapter either.
    const own = await buildWork(t.handle.db, {
      pseudId: (
        await t.handle.db
          .selectFrom("pseuds")
          .innerJoin("users", "users.id", "pseuds.user_id")
          .select("pseuds.id")
          .where("users.login", "=", "mod_reader")
          .executeTakeFirstOrThrow()
      ).id,
    });
    const chapter = await reader.post(`/works/${own.workId}/chapters`, {
      chapter_title: "",
      text: "More.",
      action: "post",
    });
    assert.equal(chapter.statusCode, 403);

    // Three days later it has lifted by itself.
    t.clock.now += 3 * DAY + 1;
    // Sessions not "remembered" last two days: everyone logs in again.
    for (const login of Object.keys(as)) as[login] = await client(login);
    reader = await client("mod_reader");
    const kudos = await reader.post(`/works/${workId}/kudos`, {});
    assert.notEqual(kudos.statusCode, 403, kudos.body.slice(0, 300));
    assert.ok(kudos.statusCode < 400);

    // Suspend again, and lift it by hand.
    await as.mod_moderator!.post("/admin/users/mod_reader/suspend", {
      days: "365",
      suspend_reason: "Again",
    });
    const lift = await as.mod_moderator!.post("/admin/users/mod_reader/unsuspend", {});
    assert.equal(lift.statusCode, 303);
    assert.equal((await audit("user.unsuspend")).length, 1);
    const liftAgain = await as.mod_moderator!.post("/admin/users/mod_reader/unsuspend", {});
    assert.equal(liftAgain.statusCode, 409);
    const comment = await reader.post(`/works/${workId}/comments`, { comment_content: "Back." });
    assert.ok(comment.statusCode < 400, comment.body.slice(0, 300));
  });

  test("a ban ends the account's sessions and refuses log-in until lifted", async () => {
    const victim = await buildUser(t.handle.db, { login: "mod_banned" });
    const session = await client("mod_banned");
    assert.equal((await session.get("/users/mod_banned/inbox")).statusCode, 200);
    const unconfirmed = await as.mod_admin!.post("/admin/users/mod_banned/ban", {
      ban_reason: "Harassment",
    });
    assert.equal(unconfirmed.statusCode, 422);
    assert.match(unconfirmed.body, /Tick the box to confirm the ban/);
    const res = await as.mod_admin!.post("/admin/users/mod_banned/ban", {
      ban_reason: "Harassment",
      confirm: "1",
    });
    assert.equal(res.statusCode, 303);
    const sessions = await t.handle.db
      .selectFrom("sessions")
      .select("id")
      .where("user_id", "=", victim.id)
      .execute();
    assert.equal(sessions.length, 0);
    const after = await session.get("/users/mod_banned/inbox");
    assert.equal(after.statusCode, 303, "the old session no longer resolves");
    const login = await new Client(t.app).logIn("mod_banned", PASSWORD);
    assert.equal(login.statusCode, 403);
    assert.match(login.body, /banned/);
    const wrong = await new Client(t.app).logIn("mod_banned", "wrong password");
    assert.equal(wrong.statusCode, 401, "a wrong password learns nothing of the ban");
    const [entry] = await audit("user.ban");
    assert.equal(entry!.actor_login, "mod_admin");
    assert.equal((JSON.parse(entry!.after_json!) as { banned_at: number }).banned_at, t.clock.now);
    assert.match((await notices("mod_banned"))[0]!.text, /banned your account: Harassment/);
    assert.equal(
      (await as.mod_admin!.post("/admin/users/mod_banned/ban", { ban_reason: "x", confirm: "1" }))
        .statusCode,
      409,
    );
    const unban = await as.mod_admin!.post("/admin/users/mod_banned/unban", {});
    assert.equal(unban.statusCode, 303);
    assert.equal((await new Client(t.app).logIn("mod_banned", PASSWORD)).statusCode, 303);
  });
});
