/**
 * Series in the database (issue 15), on both engines: parts stay 1..n whatever is added,
 * moved, removed or deleted; totals and completeness are computed over the works a viewer
 * sees; neighbours skip the works a viewer may not see.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { DbHandle } from "../../src/core/db/index.ts";
import type { Viewer } from "../../src/core/viewer.ts";
import { deleteWork, editWork } from "../../src/works/commands.ts";
import {
  deleteSeries,
  editSeries,
  placeWorkIn,
  removeWorkIn,
} from "../../src/works/series/commands.ts";
import {
  findSeries,
  listSeriesBy,
  seriesNeighboursOf,
  seriesTotals,
  seriesWorksFor,
} from "../../src/works/series/queries.ts";
import { WorkMetaInput } from "../../src/works/schemas.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildUser, buildWork, readerOf } from "../support/factories.ts";
import { buildSeries, partsOf, setWorkFlags } from "../support/factories-series.ts";

const guest: Viewer = { user: null, adultConsent: false };
const PAGE = { number: 1, size: 20 };

describeEachEngine("series data", (engine) => {
  let h: DbHandle;
  before(async () => {
    h = await openTestDb(engine);
  });
  after(() => h.close());

  test("parts stay 1..n: add last, add at a part, move, remove, delete a work", async () => {
    const { db } = h;
    const author = await buildUser(db);
    const [a, b, c, d] = await Promise.all(
      [1, 2, 3, 4].map(() => buildWork(db, { pseudId: author.pseudId })),
    );
    const seriesId = await buildSeries(db, {
      pseudId: author.pseudId,
      workIds: [a!.workId, b!.workId, c!.workId],
    });
    const ids = (r: readonly (readonly [number, number])[]) => r.map(([id]) => id);
    assert.deepEqual(await partsOf(db, seriesId), [
      [a!.workId, 1],
      [b!.workId, 2],
      [c!.workId, 3],
    ]);
    const now = Date.now();
    await db.transaction().execute(async (tx) => {
      await placeWorkIn(tx, { seriesId, workId: d!.workId, position: 2, announce: false, now });
    });
    assert.deepEqual(ids(await partsOf(db, seriesId)), [
      a!.workId,
      d!.workId,
      b!.workId,
      c!.workId,
    ]);
    await db.transaction().execute(async (tx) => {
      await placeWorkIn(tx, { seriesId, workId: a!.workId, position: 99, announce: false, now });
    });
    assert.deepEqual(ids(await partsOf(db, seriesId)), [
      d!.workId,
      b!.workId,
      c!.workId,
      a!.workId,
    ]);
    await db.transaction().execute(async (tx) => {
      await removeWorkIn(tx, { seriesId, workId: b!.workId, now });
    });
    assert.deepEqual(await partsOf(db, seriesId), [
      [d!.workId, 1],
      [c!.workId, 2],
      [a!.workId, 3],
    ]);
    // Deleting a work closes the gap it leaves.
    assert.ok((await deleteWork(db, { workId: d!.workId, now })).ok);
    assert.deepEqual(await partsOf(db, seriesId), [
      [c!.workId, 1],
      [a!.workId, 2],
    ]);
    // Editing the series reorders it; a part typed for a work not in it changes nothing.
    const edited = await editSeries(db, {
      seriesId,
      input: { title: "Renamed", summary: "<script>x()</script><b>bold</b>", notes: "" },
      parts: new Map([
        [a!.workId, 1],
        [b!.workId, 1],
      ]),
      now,
    });
    assert.ok(edited.ok);
    assert.deepEqual(await partsOf(db, seriesId), [
      [a!.workId, 1],
      [c!.workId, 2],
    ]);
    const stored = await findSeries(db, seriesId);
    assert.equal(stored?.title, "Renamed");
    assert.equal(stored?.summary_html, "<p><b>bold</b></p>", "summaries are sanitized");
    // Deleting the series keeps its works.
    assert.ok((await deleteSeries(db, { seriesId, now })).ok);
    assert.equal(await findSeries(db, seriesId), undefined);
    assert.deepEqual(await partsOf(db, seriesId), []);
    const left = await db
      .selectFrom("works")
      .select("id")
      .where("id", "in", [a!.workId, c!.workId])
      .execute();
    assert.equal(left.length, 2);
  });

  test("totals and completeness follow the works each viewer sees", async () => {
    const { db } = h;
    const author = await buildUser(db);
    const reader = await buildUser(db);
    const text = "one two three four five six seven eight nine ten";
    const done = await buildWork(db, { pseudId: author.pseudId, complete: "1", text });
    const alsoDone = await buildWork(db, { pseudId: author.pseudId, complete: "1", text });
    // In progress, and only for logged-in readers.
    const members = await buildWork(db, {
      pseudId: author.pseudId,
      restricted: "1",
      expected_chapters: "3",
      text,
    });
    const draft = await buildWork(db, { pseudId: author.pseudId, action: "draft", text });
    const seriesId = await buildSeries(db, {
      pseudId: author.pseudId,
      workIds: [done.workId, members.workId, alsoDone.workId, draft.workId],
    });
    const totals = async (viewer: Viewer) =>
      (await seriesTotals(db, viewer, [seriesId])).get(seriesId);
    const forGuest = await totals(guest);
    assert.equal(forGuest?.works, 2);
    assert.equal(forGuest?.words, 20);
    assert.equal(forGuest?.complete, true, "every work a guest sees is complete");
    const forReader = await totals({ user: readerOf(reader), adultConsent: false });
    assert.equal(forReader?.works, 3);
    assert.equal(forReader?.words, 30);
    assert.equal(forReader?.complete, false, "a reader also sees the work in progress");
    const forAuthor = await totals({ user: readerOf(author), adultConsent: false });
    assert.equal(forAuthor?.works, 4, "its creator sees their draft too");

    // Finishing the work in progress completes the series for readers.
    const meta = WorkMetaInput.parse({
      title: "Finished now",
      rating: "General Audiences",
      warnings: ["No Archive Warnings Apply"],
      fandoms: "Factory Fandom",
      language: "en",
      restricted: "1",
      complete: "1",
    });
    assert.ok((await editWork(db, { workId: members.workId, input: meta, now: Date.now() })).ok);
    assert.equal((await totals({ user: readerOf(reader), adultConsent: false }))?.complete, true);

    // An anonymous work leaves its series for everyone but its creators.
    await setWorkFlags(db, done.workId, { anonymous: true });
    assert.equal((await totals(guest))?.works, 1);
    assert.equal((await totals({ user: readerOf(author), adultConsent: false }))?.works, 4);
    const page = await seriesWorksFor(db, guest, seriesId, PAGE);
    assert.deepEqual(
      page.works.map((w) => w.id),
      [alsoDone.workId],
    );
    assert.equal(page.total, 1);

    // Nothing left for a guest: the series is not listed for them, only for its creator.
    await setWorkFlags(db, alsoDone.workId, { unrevealed: true });
    assert.equal((await totals(guest)) ?? null, null);
    assert.equal((await listSeriesBy(db, guest, { userId: author.id }, PAGE)).total, 0);
    const own = await listSeriesBy(
      db,
      { user: readerOf(author), adultConsent: false },
      { pseudId: author.pseudId },
      PAGE,
    );
    assert.deepEqual(
      own.series.map((s) => s.id),
      [seriesId],
    );
  });

  test("previous and next skip the works the viewer may not see", async () => {
    const { db } = h;
    const author = await buildUser(db);
    const one = await buildWork(db, { pseudId: author.pseudId });
    const hidden = await buildWork(db, { pseudId: author.pseudId, restricted: "1" });
    const three = await buildWork(db, { pseudId: author.pseudId });
    const four = await buildWork(db, { pseudId: author.pseudId, action: "draft" });
    const seriesId = await buildSeries(db, {
      pseudId: author.pseudId,
      title: "Neighbours",
      workIds: [one.workId, hidden.workId, three.workId, four.workId],
    });
    const [forGuest] = await seriesNeighboursOf(db, guest, three.workId);
    assert.deepEqual(forGuest, {
      seriesId,
      title: "Neighbours",
      position: 3,
      previousId: one.workId,
      nextId: null,
    });
    const [forAuthor] = await seriesNeighboursOf(
      db,
      { user: readerOf(author), adultConsent: false },
      three.workId,
    );
    assert.equal(forAuthor?.previousId, hidden.workId);
    assert.equal(forAuthor?.nextId, four.workId);
  });
});
