import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { notify } from "../../src/engagement/notifications/notify.ts";
import { runKudosDigest } from "../../src/engagement/notifications/digest.ts";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

const DAY = 86_400_000;

async function userId(t: TestApp, login: string): Promise<number> {
  const row = await t.handle.db
    .selectFrom("users")
    .select("id")
    .where("login", "=", login)
    .executeTakeFirstOrThrow();
  return row.id;
}

function inboxOf(t: TestApp, login: string) {
  return t.handle.db
    .selectFrom("notifications")
    .innerJoin("users", "users.id", "notifications.user_id")
    .select([
      "notifications.id",
      "kind",
      "work_id",
      "chapter_id",
      "text",
      "url",
      "count",
      "read_at",
      "digest_day",
    ])
    .where("users.login", "=", login)
    .orderBy("notifications.id")
    .execute();
}

async function postWork(t: TestApp, client: Client, overrides = {}) {
  const res = await client.post("/works", workForm(overrides));
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  return workIdFrom(res.headers.location);
}

async function addChapter(client: Client, workId: number, form: Record<string, string>) {
  const res = await client.post(`/works/${workId}/chapters`, {
    chapter_title: "",
    text: "A new chapter arrives with fog.",
    ...form,
  });
  assert.equal(res.statusCode, 303, res.body.slice(0, 500));
  return Number(/\/chapters\/(\d+)/.exec(res.headers.location ?? "")?.[1]);
}

describeEachEngine("notifications and the inbox", (engine) => {
  let t: TestApp;
  let writer: Client;
  let coWorker: Client;
  let workFan: Client;
  let authorFan: Client;
  let bothFan: Client;
  let quitter: Client;
  let muter: Client;
  before(async () => {
    t = await createTestApp(engine);
    writer = new Client(t.app);
    await writer.signUp("n_writer");
    coWorker = new Client(t.app);
    await coWorker.signUp("n_cowriter");
    workFan = new Client(t.app);
    await workFan.signUp("n_workfan");
    authorFan = new Client(t.app);
    await authorFan.signUp("n_authorfan");
    bothFan = new Client(t.app);
    await bothFan.signUp("n_bothfan");
    quitter = new Client(t.app);
    await quitter.signUp("n_quitter");
    muter = new Client(t.app);
    await muter.signUp("n_muter");
  });
  after(() => t.close());

  test("a new chapter notifies work and author subscribers once each, never the creator", async () => {
    const id = await postWork(t, writer, { title: "Serial Fog" });
    await workFan.post(`/works/${id}/subscriptions`);
    await bothFan.post(`/works/${id}/subscriptions`);
    await bothFan.post("/users/n_writer/subscriptions");
    await authorFan.post("/users/n_writer/subscriptions");
    await quitter.post(`/works/${id}/subscriptions`);
    await quitter.post(`/works/${id}/subscriptions`); // toggled off again
    await muter.post(`/works/${id}/subscriptions`);
    await muter.post("/preferences/exclusions/users", { login: "n_writer" });
    await t.drainJobs();
    const before = {
      workFan: (await inboxOf(t, "n_workfan")).length,
      authorFan: (await inboxOf(t, "n_authorfan")).length,
      bothFan: (await inboxOf(t, "n_bothfan")).length,
    };

    const chapterId = await addChapter(writer, id, { chapter_title: "The Lamp" });
    // Nothing is told before the queued event runs.
    assert.equal((await inboxOf(t, "n_workfan")).length, before.workFan);
    await t.drainJobs();

    for (const login of ["n_workfan", "n_authorfan", "n_bothfan"]) {
      const rows = (await inboxOf(t, login)).filter((n) => n.chapter_id === chapterId);
      assert.equal(rows.length, 1, login);
      assert.equal(rows[0]!.kind, "new_chapter");
      assert.equal(rows[0]!.url, `/works/${id}/chapters/${chapterId}`);
      assert.match(rows[0]!.text, /^n_writer posted Chapter 2: The Lamp of “Serial Fog”\.$/);
    }
    for (const login of ["n_writer", "n_quitter", "n_muter"])
      assert.equal(
        (await inboxOf(t, login)).filter((n) => n.chapter_id === chapterId).length,
        0,
        login,
      );

    // Running the event again (a worker died before deleting it) tells nobody twice.
    const { announceNewChapter } = await import("../../src/engagement/subscriptions/commands.ts");
    assert.equal(
      await announceNewChapter(t.handle.db, { workId: id, chapterId, now: t.clock.now }),
      0,
    );
    assert.equal(
      (await inboxOf(t, "n_bothfan")).filter((n) => n.chapter_id === chapterId).length,
      1,
    );
  });

  test("draft chapters notify when posted, not when saved", async () => {
    const id = await postWork(t, writer, { title: "Drafty" });
    await workFan.post(`/works/${id}/subscriptions`);
    const chapterId = await addChapter(writer, id, { action: "draft" });
    await t.drainJobs();
    assert.equal(
      (await inboxOf(t, "n_workfan")).filter((n) => n.chapter_id === chapterId).length,
      0,
    );
    const posted = await writer.post(`/works/${id}/chapters/${chapterId}/post`);
    assert.equal(posted.statusCode, 303);
    await t.drainJobs();
    assert.equal(
      (await inboxOf(t, "n_workfan")).filter((n) => n.chapter_id === chapterId).length,
      1,
    );
  });

  test("a new work by a subscribed author notifies its subscribers; a draft only once posted", async () => {
    const id = await postWork(t, writer, { title: "Brand New" });
    await t.drainJobs();
    const rows = (await inboxOf(t, "n_authorfan")).filter((n) => n.work_id === id);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.kind, "new_work");
    assert.equal(rows[0]!.url, `/works/${id}`);
    assert.match(rows[0]!.text, /^n_writer posted a new work, “Brand New”\.$/);
    assert.equal((await inboxOf(t, "n_workfan")).filter((n) => n.work_id === id).length, 0);
    assert.equal((await inboxOf(t, "n_writer")).filter((n) => n.work_id === id).length, 0);
    assert.equal((await inboxOf(t, "n_muter")).filter((n) => n.work_id === id).length, 0);

    const draft = await postWork(t, writer, { title: "Not Yet", action: "draft" });
    await t.drainJobs();
    assert.equal((await inboxOf(t, "n_authorfan")).filter((n) => n.work_id === draft).length, 0);
    await writer.post(`/works/${draft}/post`);
    await t.drainJobs();
    assert.equal((await inboxOf(t, "n_authorfan")).filter((n) => n.work_id === draft).length, 1);

    // Restricted works are fine: subscribers are logged in.
    const restricted = await postWork(t, writer, { title: "Members", restricted: "1" });
    await t.drainJobs();
    assert.equal(
      (await inboxOf(t, "n_authorfan")).filter((n) => n.work_id === restricted).length,
      1,
    );
  });

  test("the header shows the unread count; the inbox marks unread, filters, marks read and deletes", async () => {
    const reader = new Client(t.app);
    await reader.signUp("n_inboxer");
    const uid = await userId(t, "n_inboxer");
    for (const [i, text] of ["First note", "Second <note>", "Third note"].entries())
      await notify(
        t.handle.db,
        { userId: uid, kind: "comment", text, url: `/works/${i + 1}` },
        t.clock.now - 3 + i,
      );

    const home = await reader.get("/");
    assert.match(home.body, /aria-label="Inbox, 3 unread"[^>]*>\s*Inbox\s*\(3\)/);
    const page = await reader.get("/users/n_inboxer/inbox");
    assert.equal(page.statusCode, 200);
    // Newest first, unread in <strong>, text escaped.
    const order = ["Third note", "Second &lt;note", "First note"].map((s) => page.body.indexOf(s));
    assert.ok(order.every((p) => p > 0) && order[0]! < order[1]! && order[1]! < order[2]!, "order");
    assert.match(page.body, /<strong><a href="\/works\/3">Third note<\/a>/);
    assert.doesNotMatch(page.body, /Second <note>/);

    const [first, second] = await inboxOf(t, "n_inboxer");
    const read = await reader.post(`/users/n_inboxer/inbox/${first!.id}/read`, {
      return_to: "/users/n_inboxer/inbox?filter=unread",
    });
    assert.equal(read.statusCode, 303);
    assert.equal(read.headers.location, "/users/n_inboxer/inbox?filter=unread");
    const unread = await reader.get("/users/n_inboxer/inbox?filter=unread");
    assert.doesNotMatch(unread.body, /First note/);
    assert.match(unread.body, /Third note/);
    assert.match(unread.body, /aria-label="Inbox, 2 unread"/);
    const all = await reader.get("/users/n_inboxer/inbox");
    assert.match(all.body, /<a href="\/works\/1">First note<\/a>/);
    assert.doesNotMatch(all.body, /<strong><a href="\/works\/1">/);

    const del = await reader.post(`/users/n_inboxer/inbox/${second!.id}/delete`);
    assert.equal(del.statusCode, 303);
    assert.equal((await inboxOf(t, "n_inboxer")).length, 2);

    // An outside return address is ignored.
    const readAll = await reader.post("/users/n_inboxer/inbox/read-all", {
      return_to: "https://evil.example/",
    });
    assert.equal(readAll.headers.location, "/users/n_inboxer/inbox");
    assert.ok((await inboxOf(t, "n_inboxer")).every((n) => n.read_at !== null));
    const done = await reader.get("/");
    assert.match(done.body, /aria-label="Inbox, 0 unread"[^>]*>\s*Inbox\s*</);
    assert.equal((await reader.get("/users/n_inboxer/inbox?filter=unread")).statusCode, 200);
    assert.equal((await reader.get("/users/n_inboxer/inbox?filter=bogus")).statusCode, 400);
  });

  test("the inbox: newest first by when it happened, each comment's words with Reply, small row actions", async () => {
    const author = new Client(t.app);
    await author.signUp("n_inbox_author");
    const fan = new Client(t.app);
    await fan.signUp("n_inbox_fan");
    const uid = await userId(t, "n_inbox_author");
    const workId = await postWork(t, author, { title: "Inbox Lanterns" });
    const long = `${"The lamp flickered and the keeper wrote it down. ".repeat(12)}THE-END`;
    const texts = ["<b>Loved</b> the &amp; fog, <em>truly</em>.", long];
    for (const [i, text] of texts.entries()) {
      t.clock.now += 60_000;
      const res = await fan.post(`/works/${workId}/comments`, { comment_content: text });
      assert.equal(res.statusCode, 303, `comment ${i}: ${res.body.slice(0, 300)}`);
    }
    // Written last but about something older (a late digest): it goes below, not on top.
    await notify(
      t.handle.db,
      { userId: uid, kind: "kudos", text: "An older kudos digest.", url: `/works/${workId}` },
      t.clock.now - 3_600_000,
    );
    const page = await author.get("/users/n_inbox_author/inbox");
    assert.equal(page.statusCode, 200);
    const comments = await t.handle.db
      .selectFrom("comments")
      .select("id")
      .where("work_id", "=", workId)
      .orderBy("id")
      .execute();
    const [first, second] = comments.map((c) => c.id);
    const items = [
      ...page.body.matchAll(/<li class="notification (?:un)?read">([\s\S]*?)<\/ul><\/li>/g),
    ].map((m) => m[1]!);
    assert.equal(items.length, 3);
    // Newest first: the long comment, the short one, then the older digest.
    assert.match(items[0]!, /THE LAMP|The lamp flickered/);
    assert.match(items[1]!, /Loved/);
    assert.match(items[2]!, /An older kudos digest/);

    // The comment's words as escaped text: no markup from it, entities decoded once.
    assert.match(
      items[1]!,
      /<blockquote class="comment-text">Loved the &amp; fog, truly\.<\/blockquote>/,
    );
    // A long comment is shortened as text, at a word, with an ellipsis (never a cut tag).
    const longShown = /<blockquote class="comment-text">([^<]*)<\/blockquote>/.exec(items[0]!)?.[1];
    assert.ok(longShown && longShown.length <= 400 && longShown.endsWith("…"), longShown);
    assert.doesNotMatch(items[0]!, /THE-END/);

    // Reply goes to the comment's reply form, which works without script.
    assert.match(
      items[0]!,
      new RegExp(`<a class="button secondary small" href="/comments/${second}/reply">Reply`),
    );
    assert.match(items[1]!, new RegExp(`href="/comments/${first}/reply">Reply`));
    assert.doesNotMatch(items[2]!, /Reply/);
    const reply = await author.get(`/comments/${first}/reply`);
    assert.equal(reply.statusCode, 200);
    assert.match(reply.body, /name="comment_content"/);

    // Row actions are small secondary buttons; Delete is destructive, not the primary red.
    assert.match(items[0]!, /<button type="submit" class="secondary small">Mark read/);
    assert.match(items[0]!, /<button type="submit" class="danger small">Delete/);
    assert.doesNotMatch(items.join(""), /<button type="submit">/);

    // Mark read, then unread again.
    const [row] = await t.handle.db
      .selectFrom("notifications")
      .select("id")
      .where("user_id", "=", uid)
      .where("comment_id", "=", first!)
      .execute();
    await author.post(`/users/n_inbox_author/inbox/${row!.id}/read`);
    const read = await author.get("/users/n_inbox_author/inbox");
    assert.match(read.body, /class="secondary small">Mark unread/);
    const back = await author.post(`/users/n_inbox_author/inbox/${row!.id}/unread`, {
      return_to: "/users/n_inbox_author/inbox?filter=unread",
    });
    assert.equal(back.statusCode, 303);
    assert.equal(back.headers.location, "/users/n_inbox_author/inbox?filter=unread");
    const unread = await author.get("/users/n_inbox_author/inbox?filter=unread");
    assert.match(unread.body, /Loved the &amp; fog/);
    assert.equal((await fan.post(`/users/n_inbox_author/inbox/${row!.id}/unread`)).statusCode, 403);
    assert.equal((await fan.post(`/users/n_inbox_fan/inbox/${row!.id}/unread`)).statusCode, 404);

    // Mute the commenter and their words leave the inbox too (the notices stay).
    await author.post("/preferences/exclusions/users", { login: "n_inbox_fan" });
    const muted = (await author.get("/users/n_inbox_author/inbox")).body;
    assert.doesNotMatch(muted, /Loved the|The lamp flickered|\/reply"/);
    assert.equal(muted.match(/You muted the user who wrote this comment\./g)?.length, 2);
    const fanId = await userId(t, "n_inbox_fan");
    await author.post(`/preferences/exclusions/users/${fanId}/delete`);

    // A deleted comment's words leave the inbox; so does its Reply.
    await fan.post(`/comments/${first}/delete`);
    const after = (await author.get("/users/n_inbox_author/inbox")).body;
    assert.doesNotMatch(after, /Loved the/);
    assert.doesNotMatch(after, new RegExp(`/comments/${first}/reply`));
  });

  test("the inbox pages 20 at a time", async () => {
    const reader = new Client(t.app);
    await reader.signUp("n_pager");
    const uid = await userId(t, "n_pager");
    for (let i = 1; i <= 25; i++)
      await notify(
        t.handle.db,
        { userId: uid, kind: "reply", text: `Reply number ${i}.`, url: `/works/${i}` },
        t.clock.now,
      );
    const one = await reader.get("/users/n_pager/inbox");
    const shown = (body: string) => (body.match(/">Reply number \d+\.<\/a>/g) ?? []).length;
    assert.equal(shown(one.body), 20);
    assert.match(one.body, /Reply number 25\./);
    assert.doesNotMatch(one.body, /Reply number 5\./);
    assert.match(one.body, /href="\/users\/n_pager\/inbox\?page=2"/);
    const two = await reader.get("/users/n_pager/inbox?page=2");
    assert.equal(shown(two.body), 5);
    assert.match(two.body, /Reply number 1\./);
  });

  test("nobody else can see or change someone's inbox or email preferences", async () => {
    const owner = new Client(t.app);
    await owner.signUp("n_owner");
    const uid = await userId(t, "n_owner");
    await notify(
      t.handle.db,
      { userId: uid, kind: "comment", text: "Private note", url: "/" },
      t.clock.now,
    );
    const [row] = await inboxOf(t, "n_owner");
    const guest = new Client(t.app);
    const intruder = new Client(t.app);
    await intruder.signUp("n_intruder");

    for (const path of ["/users/n_owner/inbox", "/users/n_owner/preferences/notifications"]) {
      const g = await guest.get(path);
      assert.equal(g.statusCode, 303, path);
      assert.match(g.headers.location!, /^\/login\?return_to=/);
      const o = await intruder.get(path);
      assert.equal(o.statusCode, 403, path);
      assert.doesNotMatch(o.body, /Private note/);
    }
    assert.equal((await intruder.get("/users/n_nobody/inbox")).statusCode, 404);
    for (const path of [
      `/users/n_owner/inbox/${row!.id}/read`,
      `/users/n_owner/inbox/${row!.id}/delete`,
      "/users/n_owner/inbox/read-all",
      "/users/n_owner/preferences/notifications",
    ]) {
      assert.equal((await guest.post(path)).statusCode, 401, path);
      assert.equal((await intruder.post(path)).statusCode, 403, path);
    }
    // Someone else's notification through your own inbox's address: not found.
    for (const action of ["read", "delete"])
      assert.equal(
        (await intruder.post(`/users/n_intruder/inbox/${row!.id}/${action}`)).statusCode,
        404,
      );
    const still = await inboxOf(t, "n_owner");
    assert.equal(still.length, 1);
    assert.equal(still[0]!.read_at, null);
    const prefs = await t.handle.db
      .selectFrom("notification_preferences")
      .selectAll()
      .where("user_id", "=", uid)
      .execute();
    assert.equal(prefs.length, 0);
  });

  test("email preferences: on by default, saved per kind, and respected when notifying", async () => {
    const reader = new Client(t.app);
    await reader.signUp("n_prefs");
    const uid = await userId(t, "n_prefs");
    const page = await reader.get("/users/n_prefs/preferences/notifications");
    assert.equal(page.statusCode, 200);
    const issue15 = { creator_invitation: "1", gift: "1", related_work: "1", collection: "1" };
    for (const kind of [
      "new_chapter",
      "new_work",
      "comment",
      "reply",
      "kudos",
      ...Object.keys(issue15),
    ])
      assert.match(page.body, new RegExp(`name="${kind}" value="1" checked`), kind);
    assert.match(page.body, /Email me about replies to my comments/);
    assert.match(page.body, /does not send email at the moment/);

    const saved = await reader.post("/users/n_prefs/preferences/notifications", {
      new_chapter: "1",
      new_work: "1",
      reply: "1",
      ...issue15,
    });
    assert.equal(saved.statusCode, 303);
    const again = await reader.get(saved.headers.location!);
    assert.match(again.body, /email preferences were saved/);
    assert.match(again.body, /name="new_chapter" value="1" checked/);
    assert.match(again.body, /name="comment" value="1"\s*\/?>/);
    assert.doesNotMatch(again.body, /name="comment" value="1" checked/);
    const rows = await t.handle.db
      .selectFrom("notification_preferences")
      .select(["kind", "email"])
      .where("user_id", "=", uid)
      .orderBy("kind")
      .execute();
    assert.deepEqual(rows, [
      { kind: "comment", email: 0 },
      { kind: "kudos", email: 0 },
    ]);

    const emailJobs = async () =>
      (
        await t.handle.db
          .selectFrom("jobs")
          .select("payload")
          .where("kind", "=", "notification.email")
          .execute()
      ).length;
    await t.drainJobs();
    assert.equal(await emailJobs(), 0);
    await notify(t.handle.db, { userId: uid, kind: "comment", text: "c", url: "/" }, t.clock.now);
    assert.equal(await emailJobs(), 0, "comment email is off");
    await notify(t.handle.db, { userId: uid, kind: "reply", text: "r", url: "/" }, t.clock.now);
    assert.equal(await emailJobs(), 1, "reply email is on");
    // Without SMTP the job does nothing and leaves.
    await t.drainJobs();
    assert.equal(await emailJobs(), 0);

    // Turning one back on removes the stored exception.
    await reader.post("/users/n_prefs/preferences/notifications", {
      new_chapter: "1",
      new_work: "1",
      reply: "1",
      comment: "1",
      kudos: "1",
      ...issue15,
    });
    const left = await t.handle.db
      .selectFrom("notification_preferences")
      .select("kind")
      .where("user_id", "=", uid)
      .execute();
    assert.equal(left.length, 0);
  });
});

describeEachEngine("the daily kudos digest", (engine) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(engine);
  });
  after(() => t.close());

  test("once a day is over, each creator gets one notification per work with the day's count", async () => {
    const writer = new Client(t.app);
    await writer.signUp("k_writer");
    const fans = [];
    for (const login of ["k_fan1", "k_fan2", "k_fan3", "k_muted"]) {
      const c = new Client(t.app);
      await c.signUp(login);
      fans.push(await userId(t, login));
    }
    const liked = await postWork(t, writer, { title: "Loved Story" });
    const quiet = await postWork(t, writer, { title: "Quiet Story" });
    const single = await postWork(t, writer, { title: "Single Kudos" });
    // The writer muted one of the fans: that kudos leaves the count.
    await writer.post("/preferences/exclusions/users", { login: "k_muted" });
    await t.drainJobs();

    const day0 = t.clock.now;
    const kudos = [
      ...fans.map((u, i) => ({
        work_id: liked,
        user_id: u,
        guest_key: null,
        created_at: day0 + i,
      })),
      { work_id: liked, user_id: null, guest_key: "guest-hash-1", created_at: day0 + 10 },
      { work_id: single, user_id: fans[0]!, guest_key: null, created_at: day0 + 20 },
    ];
    await t.handle.db.insertInto("kudos").values(kudos).execute();
    // Kudos of the next day belong to the next digest.
    await t.handle.db
      .insertInto("kudos")
      .values({ work_id: single, user_id: fans[1]!, guest_key: null, created_at: day0 + DAY })
      .execute();

    // The day is not over: nothing yet.
    assert.equal(await runKudosDigest(t.handle.db, day0 + 60_000), 0);

    t.clock.now = day0 + DAY + 3_600_000;
    await t.drainJobs();
    const rows = (await inboxOf(t, "k_writer")).filter((n) => n.kind === "kudos");
    assert.equal(rows.length, 2);
    const lovedRow = rows.find((n) => n.work_id === liked)!;
    assert.equal(lovedRow.count, 4);
    assert.match(lovedRow.text, /^4 people left kudos on “Loved Story”\.$/);
    assert.equal(lovedRow.url, `/works/${liked}`);
    const singleRow = rows.find((n) => n.work_id === single)!;
    assert.equal(singleRow.count, 1);
    assert.match(singleRow.text, /^1 person left kudos on “Single Kudos”\.$/);
    assert.ok(!rows.some((n) => n.work_id === quiet));

    // Running again for the same day (another worker, a retried job) adds nothing.
    assert.equal(await runKudosDigest(t.handle.db, t.clock.now), 0);
    t.clock.now += 3_600_000;
    await t.drainJobs();
    assert.equal((await inboxOf(t, "k_writer")).filter((n) => n.kind === "kudos").length, 2);
    // Even a forced re-run of the day (no watermark) finds its rows already there.
    const { digestDay } = await import("../../src/engagement/notifications/digest.ts");
    assert.equal(await digestDay(t.handle.db, lovedRow.digest_day!, t.clock.now), 0);

    // The next day's kudos come in the next day's digest.
    t.clock.now = day0 + 2 * DAY + 3_600_000;
    await t.drainJobs();
    const later = (await inboxOf(t, "k_writer")).filter((n) => n.kind === "kudos");
    assert.equal(later.length, 3);
    assert.equal(later.filter((n) => n.work_id === single).length, 2);
    // Fans are never told about kudos.
    assert.equal((await inboxOf(t, "k_fan1")).length, 0);
  });
});
