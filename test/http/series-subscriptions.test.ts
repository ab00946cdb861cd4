/**
 * Subscriptions to series (issue 15): the toggle and who may not use it, the subscriptions
 * page, and the "new work in series" notices — once per reader per work whatever they follow,
 * and never for drafts, hidden, anonymous or unrevealed works, nor to readers who muted the
 * creator.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { enqueue } from "../../src/core/jobs/kinds.ts";
import { announceInSeries } from "../../src/engagement/subscriptions/series.ts";
import { muteUser } from "../../src/exclusions/queries.ts";
import { setHiddenReason } from "../../src/moderation/hiding.ts";
import { postDraftWork, setCollectionFlagsIn } from "../../src/works/commands.ts";
import { Client, createTestApp, TEST_PASSWORD, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser, buildWork, type FactoryUser } from "../support/factories.ts";
import { addToSeries, buildSeries } from "../support/factories-series-reading.ts";

describeEachEngine("series subscriptions", (engine) => {
  let t: TestApp;
  let writer: FactoryUser;
  const clients: Record<string, Client> = {};
  const users: Record<string, FactoryUser> = {};

  /** A user with a logged-in client. */
  async function reader(login: string) {
    users[login] = await buildUser(t.handle.db, { login, password: TEST_PASSWORD });
    clients[login] = new Client(t.app);
    await clients[login].logIn(login);
    return clients[login];
  }

  before(async () => {
    t = await createTestApp(engine);
    writer = await buildUser(t.handle.db, { login: "series_writer", password: TEST_PASSWORD });
    clients.series_writer = new Client(t.app);
    await clients.series_writer.logIn("series_writer");
    for (const login of ["fan_a", "fan_b", "fan_c", "fan_muting", "fan_none"]) await reader(login);
  });
  after(() => t.close());

  const now = () => t.clock.now;
  const work = (title: string, fields: Record<string, string> = {}) =>
    buildWork(t.handle.db, { pseudId: writer.pseudId, title, now: now(), ...fields });

  const rowsOf = (login: string) =>
    t.handle.db
      .selectFrom("subscriptions")
      .select(["id", "target_type", "target_id"])
      .where("user_id", "=", users[login]!.id)
      .orderBy("id")
      .execute();

  /** The new_work notices of a work, as [login, text], by login. */
  async function noticesOf(workId: number) {
    const rows = await t.handle.db
      .selectFrom("notifications")
      .innerJoin("users", "users.id", "notifications.user_id")
      .select(["users.login", "notifications.text"])
      .where("notifications.kind", "=", "new_work")
      .where("notifications.work_id", "=", workId)
      .orderBy("users.login")
      .execute();
    return rows.map((r) => [r.login, r.text]);
  }

  const addedJob = (seriesId: number, workId: number) =>
    enqueue(t.handle.db, { kind: "series.work-added", payload: { seriesId, workId } }, now());

  test("subscribing toggles, shows on the subscriptions page, and is refused to the creator", async () => {
    const { workId } = await work("Toggle Part One");
    const { seriesId } = await buildSeries(t.handle.db, {
      pseudId: writer.pseudId,
      title: "Toggle Saga",
      workIds: [workId],
    });
    const fan = clients.fan_c!;
    const on = await fan.post(`/series/${seriesId}/subscriptions`);
    assert.equal(on.statusCode, 303);
    assert.equal(on.headers.location, `/series/${seriesId}`);
    assert.deepEqual(
      (await rowsOf("fan_c")).map((r) => [r.target_type, r.target_id]),
      [["series", seriesId]],
    );
    const list = await fan.get("/users/fan_c/subscriptions");
    assert.match(list.body, /You are now subscribed to Toggle Saga/);
    assert.match(list.body, new RegExp(`Series: <a href="/series/${seriesId}">Toggle Saga</a>`));

    // With a return address, back there; a second post unsubscribes.
    const off = await fan.post(`/series/${seriesId}/subscriptions`, { return_to: "/works" });
    assert.equal(off.headers.location, "/works");
    assert.deepEqual(await rowsOf("fan_c"), []);

    // The list's own Unsubscribe button works for series too.
    await fan.post(`/series/${seriesId}/subscriptions`);
    const [row] = await rowsOf("fan_c");
    const del = await fan.post(`/users/fan_c/subscriptions/${row!.id}/delete`);
    assert.equal(del.statusCode, 303);
    assert.deepEqual(await rowsOf("fan_c"), []);

    const own = await clients.series_writer!.post(`/series/${seriesId}/subscriptions`);
    assert.equal(own.statusCode, 422);
    assert.match(own.body, /your own series/);
    assert.equal(
      (await new Client(t.app).post(`/series/${seriesId}/subscriptions`)).statusCode,
      401,
    );
    assert.equal((await fan.post("/series/999999/subscriptions")).statusCode, 404);
    assert.equal((await fan.post("/series/abc/subscriptions")).statusCode, 400);
    // Another reader's list is not theirs to see.
    assert.notEqual((await clients.fan_a!.get("/users/fan_c/subscriptions")).statusCode, 200);
  });

  test("a series whose works the reader may not see cannot be subscribed to", async () => {
    const draft = await work("Only A Draft", { action: "draft" });
    const anon = await work("Only Anonymous");
    await setCollectionFlagsIn(
      t.handle.db,
      anon.workId,
      { anonymous: true, unrevealed: false },
      now(),
    );
    const hidden = await work("Only Hidden");
    await setHiddenReason(t.handle.db, "work", [hidden.workId], "Spam", now());
    for (const w of [draft, anon, hidden]) {
      const { seriesId } = await buildSeries(t.handle.db, {
        pseudId: writer.pseudId,
        workIds: [w.workId],
      });
      assert.equal(
        (await clients.fan_c!.post(`/series/${seriesId}/subscriptions`)).statusCode,
        404,
      );
    }
    assert.deepEqual(await rowsOf("fan_c"), []);
  });

  test("a work posted into a series: one notice per reader, naming the series", async () => {
    const first = await work("Saga Part One");
    const { seriesId } = await buildSeries(t.handle.db, {
      pseudId: writer.pseudId,
      title: "The Long Saga",
      workIds: [first.workId],
    });
    await clients.fan_a!.post(`/series/${seriesId}/subscriptions`);
    await clients.fan_b!.post(`/series/${seriesId}/subscriptions`);
    await clients.fan_b!.post("/users/series_writer/subscriptions");
    await clients.fan_c!.post("/users/series_writer/subscriptions");
    await clients.fan_muting!.post(`/series/${seriesId}/subscriptions`);
    await muteUser(t.handle.db, users.fan_muting!.id, writer.id, now());
    await clients.series_writer!.post(`/series/${seriesId}/subscriptions`); // refused: no row

    const second = await work("Saga Part Two", { action: "draft" });
    await addToSeries(t.handle.db, seriesId, second.workId);
    await t.drainJobs();
    assert.deepEqual(await noticesOf(second.workId), [], "a draft is announced to nobody");

    t.clock.now += 60_000;
    const posted = await postDraftWork(t.handle.db, { workId: second.workId, now: now() });
    assert.ok(posted.ok);
    await t.drainJobs();
    assert.deepEqual(await noticesOf(second.workId), [
      ["fan_a", "New work in series The Long Saga: Saga Part Two"],
      ["fan_b", "New work in series The Long Saga: Saga Part Two"],
      ["fan_c", "series_writer posted a new work, “Saga Part Two”."],
    ]);

    // A job that runs again, and the work joining the series again, tell nobody twice.
    await announceInSeries(t.handle.db, { workId: second.workId, now: now() });
    await addedJob(seriesId, second.workId);
    await t.drainJobs();
    assert.equal((await noticesOf(second.workId)).length, 3);
    const inbox = await clients.fan_a!.get("/users/fan_a/inbox");
    assert.match(inbox.body, /New work in series The Long Saga: Saga Part Two/);
  });

  test("a posted work joining a series is announced once; hidden and anonymous ones never", async () => {
    const { seriesId } = await buildSeries(t.handle.db, {
      pseudId: writer.pseudId,
      title: "Joined Later",
      workIds: [(await work("Joined Part One")).workId],
    });
    const other = await buildSeries(t.handle.db, {
      pseudId: writer.pseudId,
      title: "Second Home",
      workIds: [(await work("Second Home Part One")).workId],
    });
    for (const id of [seriesId, other.seriesId]) {
      await clients.fan_a!.post(`/series/${id}/subscriptions`);
      await clients.fan_none!.post(`/series/${id}/subscriptions`);
    }
    await t.drainJobs();

    // fan_b and fan_c follow the author: they heard of it when it was posted.
    const late = await work("Late Arrival");
    await t.drainJobs();
    await addToSeries(t.handle.db, seriesId, late.workId);
    await addToSeries(t.handle.db, other.seriesId, late.workId);
    await addedJob(seriesId, late.workId);
    await addedJob(other.seriesId, late.workId);
    await t.drainJobs();
    assert.deepEqual(await noticesOf(late.workId), [
      ["fan_a", "New work in series Joined Later: Late Arrival"],
      ["fan_b", "series_writer posted a new work, “Late Arrival”."],
      ["fan_c", "series_writer posted a new work, “Late Arrival”."],
      ["fan_none", "New work in series Joined Later: Late Arrival"],
    ]);

    const draft = await work("Draft Joiner", { action: "draft" });
    const hidden = await work("Hidden Joiner");
    const anon = await work("Anonymous Joiner");
    await t.drainJobs();
    await setHiddenReason(t.handle.db, "work", [hidden.workId], "Spam", now());
    await setCollectionFlagsIn(
      t.handle.db,
      anon.workId,
      { anonymous: true, unrevealed: false },
      now(),
    );
    for (const w of [draft, hidden, anon]) {
      await addToSeries(t.handle.db, seriesId, w.workId);
      await addedJob(seriesId, w.workId);
    }
    await t.drainJobs();
    for (const w of [draft, hidden, anon]) {
      const told = (await noticesOf(w.workId)).filter(([, text]) =>
        text!.startsWith("New work in series"),
      );
      assert.deepEqual(told, [], `nobody hears of ${w.workId} through the series`);
    }
  });

  test("an unrevealed work in a series is announced at its reveal, not before", async () => {
    const { seriesId } = await buildSeries(t.handle.db, {
      pseudId: writer.pseudId,
      title: "Gift Exchange Saga",
      workIds: [(await work("Exchange Part One")).workId],
    });
    await clients.fan_none!.post(`/series/${seriesId}/subscriptions`);
    const gift = await work("Unrevealed Gift", { action: "draft" });
    await addToSeries(t.handle.db, seriesId, gift.workId);
    await setCollectionFlagsIn(
      t.handle.db,
      gift.workId,
      { anonymous: false, unrevealed: true },
      now(),
    );
    const posted = await postDraftWork(t.handle.db, { workId: gift.workId, now: now() });
    assert.ok(posted.ok);
    await addedJob(seriesId, gift.workId);
    await t.drainJobs();
    assert.deepEqual(await noticesOf(gift.workId), []);

    t.clock.now += 60_000;
    await setCollectionFlagsIn(
      t.handle.db,
      gift.workId,
      { anonymous: false, unrevealed: false },
      now(),
    );
    await t.drainJobs();
    assert.deepEqual(
      (await noticesOf(gift.workId)).filter(([login]) => login === "fan_none"),
      [["fan_none", "New work in series Gift Exchange Saga: Unrevealed Gift"]],
    );
  });
});
