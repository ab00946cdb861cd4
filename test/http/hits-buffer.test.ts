/**
 * Hits counted in memory and written in batches (issue 16): a reading page runs no write of
 * its own; a flush writes a burst of views with the meaning one view at a time had (once per
 * visitor per work and per chapter per UTC day, listed counts in the change log); closing the
 * server writes what waits; a flood of distinct visitors flushes early.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { HitBuffer } from "../../src/engagement/stats/hit-buffer.ts";
import { dayOf } from "../../src/engagement/counters/queries.ts";
import { Client, createTestApp, workForm, workIdFrom, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";

const WRITES = /^\s*(insert|update|delete)\b/i;

describeEachEngine("hits in memory, written in batches", (engine) => {
  let t: TestApp;
  let author: Client;
  let workId = 0;
  let chapter2 = 0;

  before(async () => {
    t = await createTestApp(engine);
    author = new Client(t.app);
    await author.signUp("batch_author");
    const res = await author.post("/works", workForm({ title: "Burst", expected_chapters: "2" }));
    workId = workIdFrom(res.headers.location);
    const second = await author.post(`/works/${workId}/chapters`, {
      chapter_title: "Two",
      text: "The second chapter.",
      action: "post",
    });
    assert.equal(second.statusCode, 303, second.body.slice(0, 300));
    chapter2 = Number(/chapters\/(\d+)/.exec(second.headers.location ?? "")?.[1]);
  });
  after(() => t.close());

  const counts = async (id: number) => {
    const total = await t.deps.db
      .selectFrom("work_stats")
      .select("hits")
      .where("work_id", "=", id)
      .executeTakeFirst();
    const daily = await t.deps.db
      .selectFrom("work_daily_stats")
      .select(["chapter_id", "hits"])
      .where("work_id", "=", id)
      .execute();
    return {
      total: total?.hits ?? 0,
      daily: Object.fromEntries(daily.map((r) => [r.chapter_id, r.hits])),
    };
  };

  const view = (url: string, ip: string, userAgent = "Burst Browser") =>
    t.app.inject({ method: "GET", url, remoteAddress: ip, headers: { "user-agent": userAgent } });

  test("a guest's and a reader's work page run no INSERT or UPDATE", async () => {
    const reader = new Client(t.app);
    await reader.signUp("batch_reader");
    await t.flushHits();
    for (const [who, get] of [
      ["guest", () => view(`/works/${workId}`, "10.20.0.1")],
      ["reader", () => reader.get(`/works/${workId}/chapters/${chapter2}`)],
    ] as const) {
      t.queries.log = [];
      const res = await get();
      const statements = t.queries.log;
      t.queries.log = undefined;
      assert.equal(res.statusCode, 200, who);
      const writes = statements.filter(
        (s) => WRITES.test(s) && !/^\s*insert into "readings"/i.test(s),
      );
      assert.deepEqual(writes, [], `${who}: ${writes.join("\n")}`);
    }
    assert.equal((await counts(workId)).total, 0, "nothing written before the flush");
    await t.flushHits();
    assert.equal((await counts(workId)).total, 2);
  });

  test("a burst of views counts once per visitor per work, and per chapter, after a flush", async () => {
    const before = await counts(workId);
    const logBefore = await t.deps.db
      .selectFrom("changes")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("entity", "=", "counts")
      .where("entity_id", "=", workId)
      .executeTakeFirstOrThrow();
    // 12 guests, each opening the work 5 times (12 views at once: waves stay under the
    // server's queue of waiting requests); 4 of them also read chapter 2 twice, 2 of them the
    // entire work; 3 views by the creator, which never count.
    const guests = Array.from({ length: 12 }, (_, g) => `10.30.0.${g + 1}`);
    const wave = async (urls: (ip: string, g: number) => string[]) => {
      const responses = await Promise.all(
        guests.flatMap((ip, g) => urls(ip, g).map((url) => view(url, ip))),
      );
      assert.ok(responses.every((r) => r.statusCode === 200));
    };
    for (let i = 0; i < 5; i++) await wave(() => [`/works/${workId}`]);
    for (let i = 0; i < 2; i++)
      await wave((_, g) => (g < 4 ? [`/works/${workId}/chapters/${chapter2}`] : []));
    await wave((_, g) => (g >= 10 ? [`/works/${workId}?view_full_work=true`] : []));
    for (let i = 0; i < 3; i++)
      assert.equal((await author.get(`/works/${workId}`)).statusCode, 200);
    assert.deepEqual(await counts(workId), before, "nothing written before the flush");

    await t.flushHits();
    const after = await counts(workId);
    assert.equal(after.total, before.total + 12);
    assert.equal(after.daily[0], (before.daily[0] ?? 0) + 12);
    assert.equal(after.daily[chapter2], (before.daily[chapter2] ?? 0) + 4);
    const chapter1 = Object.keys(after.daily)
      .map(Number)
      .find((c) => c !== 0 && c !== chapter2)!;
    // Chapter 1 is what /works/:id shows on its own: every guest but the two full-work ones
    // opened it (the two also opened it alone, through the plain work address).
    assert.equal(after.daily[chapter1], (before.daily[chapter1] ?? 0) + 12);
    const logAfter = await t.deps.db
      .selectFrom("changes")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("entity", "=", "counts")
      .where("entity_id", "=", workId)
      .executeTakeFirstOrThrow();
    assert.ok(Number(logAfter.n) > Number(logBefore.n), "the search index hears of the hits");

    // The same visitors again the same day: nothing more; the next day counts again.
    await Promise.all([
      view(`/works/${workId}`, "10.30.0.1"),
      view(`/works/${workId}`, "10.30.0.2"),
    ]);
    await t.flushHits();
    assert.equal((await counts(workId)).total, after.total);
    t.clock.now += 86_400_000;
    await view(`/works/${workId}`, "10.30.0.1");
    await t.flushHits();
    assert.equal((await counts(workId)).total, after.total + 1);
  });

  test("listings sort by hits once they are flushed", async () => {
    const res = await author.post("/works", workForm({ title: "Quiet Neighbour" }));
    const quiet = workIdFrom(res.headers.location);
    await t.flushHits();
    const listing = await new Client(t.app).get("/works?sort=hits");
    const order = [...listing.body.matchAll(/id="work_(\d+)"/g)].map((m) => Number(m[1]));
    assert.ok(order.indexOf(workId) >= 0 && order.indexOf(workId) < order.indexOf(quiet));
  });

  test("a flood of distinct visitors flushes early; a deleted work's visits are left out", async () => {
    const gone = workIdFrom(
      (await author.post("/works", workForm({ title: "Soon Deleted" }))).headers.location,
    );
    const day = dayOf(t.deps.now());
    const hits = new HitBuffer(t.deps.db, { now: t.deps.now, mode: "manual", maxPending: 10 });
    const base = (await counts(workId)).total;
    for (let i = 0; i < 9; i++) hits.record({ workId, chapterId: null, day, visitor: `flood${i}` });
    assert.equal(hits.size, 9);
    hits.record({ workId, chapterId: null, day, visitor: "flood9" });
    assert.equal(hits.size, 0, "the tenth waiting visit starts a flush");
    hits.record({ workId: gone, chapterId: null, day, visitor: "late" });
    hits.record({ workId, chapterId: null, day, visitor: "flood10" });
    assert.equal((await author.post(`/works/${gone}/delete`)).statusCode, 303);
    await hits.close();
    assert.equal((await counts(workId)).total, base + 11);
    assert.equal((await counts(gone)).total, 0);
  });
});

describeEachEngine("hits on a clean close", (engine) => {
  test("closing the server writes the hits still in memory", async () => {
    const t = await createTestApp(engine);
    try {
      const author = new Client(t.app);
      await author.signUp("closing_author");
      const id = workIdFrom((await author.post("/works", workForm())).headers.location);
      for (let i = 0; i < 3; i++) await new Client(t.app).get(`/works/${id}`);
      assert.equal(t.services.hits?.size, 2 * 3, "a work and a chapter visit per guest");
      await t.app.close();
      const row = await t.deps.db
        .selectFrom("work_stats")
        .select("hits")
        .where("work_id", "=", id)
        .executeTakeFirst();
      assert.equal(row?.hits, 3);
    } finally {
      await t.handle.close();
    }
  });
});
