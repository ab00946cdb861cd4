import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { EMAIL_JOB, EMAIL_PRIORITY } from "../../src/engagement/notifications/notify.ts";
import { setEmailPreference } from "../../src/engagement/notifications/queries.ts";
import { announceNewChapter } from "../../src/engagement/subscriptions/commands.ts";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser } from "../support/factories.ts";

describeEachEngine("subscriptions over HTTP", (engine) => {
  let t: TestApp;
  let writer: Client;
  let reader: Client;
  let other: Client;
  before(async () => {
    t = await createTestApp(engine);
    writer = new Client(t.app);
    await writer.signUp("sub_writer");
    reader = new Client(t.app);
    await reader.signUp("sub_reader");
    other = new Client(t.app);
    await other.signUp("sub_other");
  });
  after(() => t.close());

  async function post(overrides = {}) {
    const res = await writer.post("/works", workForm(overrides));
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    return workIdFrom(res.headers.location);
  }

  const subscriptionCount = async (workId: number) =>
    (
      await t.handle.db
        .selectFrom("work_stats")
        .select("subscriptions")
        .where("work_id", "=", workId)
        .executeTakeFirst()
    )?.subscriptions ?? 0;

  const rowsOf = (login: string) =>
    t.handle.db
      .selectFrom("subscriptions")
      .innerJoin("users", "users.id", "subscriptions.user_id")
      .select(["subscriptions.id", "target_type", "target_id"])
      .where("users.login", "=", login)
      .orderBy("subscriptions.id")
      .execute();

  test("subscribing to a work toggles, says which, and counts in work_stats", async () => {
    const id = await post({ title: "Toggle Tale" });
    const page = await reader.get(`/works/${id}`);
    assert.match(page.body, new RegExp(`action="/works/${id}/subscriptions"`));
    assert.match(page.body, />Subscribe</);

    const on = await reader.post(`/works/${id}/subscriptions`, { return_to: `/works/${id}` });
    assert.equal(on.statusCode, 303);
    assert.equal(on.headers.location, `/works/${id}`);
    const after = await reader.get(`/works/${id}`);
    assert.match(after.body, /You are now subscribed to Toggle Tale/);
    assert.match(after.body, />Unsubscribe</);
    assert.equal(await subscriptionCount(id), 1);

    await other.post(`/works/${id}/subscriptions`);
    assert.equal(await subscriptionCount(id), 2);

    const off = await reader.post(`/works/${id}/subscriptions`);
    assert.equal(off.headers.location, `/works/${id}`);
    assert.match((await reader.get(`/works/${id}`)).body, /You have unsubscribed from Toggle Tale/);
    assert.equal(await subscriptionCount(id), 1);
    assert.equal((await rowsOf("sub_reader")).filter((r) => r.target_id === id).length, 0);
  });

  test("subscribing to an author toggles; yourself and unknown users are refused", async () => {
    const on = await reader.post("/users/sub_writer/subscriptions");
    assert.equal(on.statusCode, 303);
    assert.match((await reader.get(on.headers.location!)).body, /now subscribed to sub_writer/);
    const rows = await rowsOf("sub_reader");
    assert.ok(rows.some((r) => r.target_type === "user"));

    const id = await post({ title: "Author Page Work" });
    assert.match((await reader.get(`/works/${id}`)).body, />Unsubscribe from sub_writer</);
    // Author subscriptions are not counted on any work.
    assert.equal(await subscriptionCount(id), 0);

    await reader.post("/users/sub_writer/subscriptions");
    assert.ok(!(await rowsOf("sub_reader")).some((r) => r.target_type === "user"));
    assert.match((await reader.get(`/works/${id}`)).body, />Subscribe to sub_writer</);

    const self = await writer.post("/users/sub_writer/subscriptions");
    assert.equal(self.statusCode, 422);
    assert.match(self.body, /can&#39;t subscribe to yourself|can't subscribe to yourself/);
    assert.equal((await reader.post("/users/nobody_here/subscriptions")).statusCode, 404);
  });

  test("own-work rules: creators see no subscribe buttons for themselves and are refused", async () => {
    const id = await post({ title: "My Own" });
    const page = await writer.get(`/works/${id}`);
    assert.doesNotMatch(page.body, new RegExp(`action="/works/${id}/subscriptions"`));
    assert.doesNotMatch(page.body, /Subscribe to sub_writer/);
    const res = await writer.post(`/works/${id}/subscriptions`);
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /your own work/);
    assert.equal(await subscriptionCount(id), 0);
  });

  test("guests get a log-in link and cannot subscribe; drafts are not found", async () => {
    const id = await post({ title: "Guest View" });
    const guest = new Client(t.app);
    const page = await guest.get(`/works/${id}`);
    assert.match(page.body, /Log in to subscribe/);
    assert.doesNotMatch(page.body, /action="\/users\/sub_writer\/subscriptions"/);
    assert.equal((await guest.post(`/works/${id}/subscriptions`)).statusCode, 401);
    assert.equal((await guest.post("/users/sub_writer/subscriptions")).statusCode, 401);

    const draft = await post({ title: "Hidden Draft", action: "draft" });
    assert.equal((await reader.post(`/works/${draft}/subscriptions`)).statusCode, 404);
    assert.equal((await rowsOf("sub_reader")).filter((r) => r.target_id === draft).length, 0);
    assert.equal((await reader.post(`/works/999999/subscriptions`)).statusCode, 404);
  });

  test("the subscriptions list is the owner's alone, with Unsubscribe buttons", async () => {
    const id = await post({ title: "Listed Work" });
    const lister = new Client(t.app);
    await lister.signUp("sub_lister");
    await lister.post(`/works/${id}/subscriptions`);
    await lister.post("/users/sub_writer/subscriptions");

    const list = await lister.get("/users/sub_lister/subscriptions");
    assert.equal(list.statusCode, 200);
    assert.match(list.body, new RegExp(`<a href="/works/${id}">Listed Work</a>`));
    assert.match(list.body, /<a href="\/users\/sub_writer">sub_writer<\/a>/);
    const rows = await rowsOf("sub_lister");
    assert.equal(rows.length, 2);
    const workRow = rows.find((r) => r.target_type === "work")!;

    assert.equal((await new Client(t.app).get("/users/sub_lister/subscriptions")).statusCode, 303);
    assert.equal((await other.get("/users/sub_lister/subscriptions")).statusCode, 403);
    assert.equal((await other.get("/users/no_such_user/subscriptions")).statusCode, 404);
    const theft = await other.post(`/users/sub_lister/subscriptions/${workRow.id}/delete`);
    assert.equal(theft.statusCode, 403);
    const sideways = await other.post(`/users/sub_other/subscriptions/${workRow.id}/delete`);
    assert.equal(sideways.statusCode, 404);
    assert.equal((await rowsOf("sub_lister")).length, 2);

    const before = await subscriptionCount(id);
    const gone = await lister.post(`/users/sub_lister/subscriptions/${workRow.id}/delete`);
    assert.equal(gone.statusCode, 303);
    assert.equal(await subscriptionCount(id), before - 1);
    const left = await lister.get("/users/sub_lister/subscriptions");
    assert.doesNotMatch(left.body, /Listed Work/);
    assert.match(left.body, /sub_writer/);
  });

  test("parallel subscribe clicks leave one row and an exact count", async () => {
    const id = await post({ title: "Race" });
    const racer = new Client(t.app);
    await racer.signUp("sub_racer");
    const token = await racer.token();
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        racer.post(`/works/${id}/subscriptions`, {}, { csrf: token }),
      ),
    );
    assert.ok(results.every((r) => r.statusCode === 303));
    const rows = (await rowsOf("sub_racer")).filter((r) => r.target_id === id);
    assert.equal(await subscriptionCount(id), rows.length);
    assert.ok(rows.length <= 1);
  });
});

describeEachEngine("a new chapter to 500 subscribers", (engine) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(engine);
  });
  after(() => t.close());

  test("one job writes 500 inbox entries and queues their email in a few statements", async () => {
    const writer = new Client(t.app);
    await writer.signUp("fan_writer");
    const res = await writer.post("/works", workForm({ title: "Widely Read" }));
    const workId = workIdFrom(res.headers.location);
    await t.drainJobs();
    const author = await t.handle.db
      .selectFrom("users")
      .select("id")
      .where("login", "=", "fan_writer")
      .executeTakeFirstOrThrow();
    const fans: number[] = [];
    for (let i = 0; i < 500; i += 10)
      fans.push(
        ...(await Promise.all(Array.from({ length: 10 }, () => buildUser(t.handle.db)))).map(
          (u) => u.id,
        ),
      );
    // Half follow the work, half the author, a fifth both; a fifth turned chapter email off.
    const follow = (userId: number, type: "work" | "user", targetId: number) => ({
      user_id: userId,
      target_type: type,
      target_id: targetId,
      created_at: 1,
    });
    await t.handle.db
      .insertInto("subscriptions")
      .values(
        fans.flatMap((userId, i) => [
          ...(i % 2 === 0 || i % 5 === 0 ? [follow(userId, "work", workId)] : []),
          ...(i % 2 === 1 || i % 5 === 0 ? [follow(userId, "user", author.id)] : []),
        ]),
      )
      .execute();
    for (const userId of fans.filter((_, i) => i % 5 === 1))
      await setEmailPreference(t.handle.db, userId, "new_chapter", false);

    const added = await writer.post(`/works/${workId}/chapters`, {
      chapter_title: "For Everyone",
      text: "A chapter many people are waiting for.",
    });
    assert.equal(added.statusCode, 303);
    const chapterId = Number(/\/chapters\/(\d+)/.exec(added.headers.location ?? "")?.[1]);
    // Besides the recurring jobs (each with a unique key), one job for the post.
    const queued = () =>
      t.handle.db
        .selectFrom("jobs")
        .select(["kind", "priority"])
        .where("unique_key", "is", null)
        .execute();
    assert.deepEqual(await queued(), [{ kind: "chapter.posted", priority: 0 }]);

    const before = t.queries.count;
    assert.equal(
      await announceNewChapter(t.handle.db, { workId, chapterId, now: t.clock.now }),
      500,
    );
    const statements = t.queries.count - before;
    // Was three per subscriber (1,500); now a fixed handful: reads, one insert, one preference
    // lookup, one insert of email jobs, per 500 subscribers.
    assert.ok(statements <= 15, `${statements} statements for 500 subscribers`);

    const inbox = await t.handle.db
      .selectFrom("notifications")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("chapter_id", "=", chapterId)
      .executeTakeFirstOrThrow();
    assert.equal(Number(inbox.n), 500);
    const mail = await t.handle.db
      .selectFrom("jobs")
      .select(["priority"])
      .where("kind", "=", EMAIL_JOB)
      .execute();
    assert.equal(mail.length, 400, "one email job per reader who wants chapter email");
    assert.ok(mail.every((j) => j.priority === EMAIL_PRIORITY && EMAIL_PRIORITY > 0));

    // The queued announcement, run now, tells nobody twice.
    await t.drainJobs();
    const again = await t.handle.db
      .selectFrom("notifications")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("chapter_id", "=", chapterId)
      .executeTakeFirstOrThrow();
    assert.equal(Number(again.n), 500);
    assert.deepEqual(await queued(), []);
  });
});
