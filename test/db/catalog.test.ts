/**
 * The catalog follows the change log: several processes on one database each stay current,
 * a change id that commits late (a slow transaction) is still applied, a gap that never
 * fills (a rollback) is given up after a while, and a rebuild gives the same answers.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { Db } from "../../src/core/db/index.ts";
import type { BrowseQuery } from "../../src/search/index/browse-types.ts";
import { WorkCatalog } from "../../src/search/index/catalog.ts";
import { recordChanges } from "../../src/core/db/changes.ts";
import { pruneChangesBefore } from "../../src/search/index/index-queries.ts";
import { saveTextCursor } from "../../src/search/text/entry-queries.ts";
import { bumpCounts, recountWork } from "../../src/engagement/counters/queries.ts";
import { insertKudos } from "../../src/engagement/kudos/queries.ts";
import { makeSynonym, setCanonical } from "../../src/tags/commands.ts";
import { indexWorkText } from "../../src/search/text/entry-queries.ts";
import { deleteWork, postDraftWork } from "../../src/works/commands.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

const ALL: BrowseQuery = {
  include: [],
  exclude: [],
  sort: "revised",
  descending: true,
  page: 1,
  pageSize: 100,
  facets: false,
};

async function ids(catalog: WorkCatalog, q: Partial<BrowseQuery> = {}) {
  return (await catalog.search({ ...ALL, ...q }, true)).ids.sort((a, b) => a - b);
}

async function tagId(db: Db, name: string) {
  const row = await db.selectFrom("tags").select("id").where("name", "=", name).executeTakeFirst();
  return row!.id;
}

async function lastChange(db: Db) {
  const row = await db
    .selectFrom("changes")
    .selectAll()
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirstOrThrow();
  return { ...row, id: Number(row.id) };
}

describeEachEngine("search catalog", (engine) => {
  test("two processes on one database each see new works and wrangling", async () => {
    const h = await openTestDb(engine);
    const a = await WorkCatalog.open(h.db, engine);
    const b = await WorkCatalog.open(h.db, engine);
    try {
      const u = await buildUser(h.db);
      const typo = await buildWork(h.db, { pseudId: u.pseudId, characters: "Derek Shepard" });
      const right = await buildWork(h.db, { pseudId: u.pseudId, characters: "Derek Shepherd" });
      assert.deepEqual(await ids(a), [typo.workId, right.workId]);
      assert.deepEqual(await ids(b), [typo.workId, right.workId]);
      const canonical = await tagId(h.db, "Derek Shepherd");
      assert.deepEqual(await ids(a, { include: [canonical] }), [right.workId]);
      assert.ok(
        (await setCanonical(h.db, { tagId: canonical, canonical: true, now: Date.now() })).ok,
      );
      assert.ok(
        (
          await makeSynonym(h.db, {
            tagId: await tagId(h.db, "Derek Shepard"),
            canonicalName: "Derek Shepherd",
            now: Date.now(),
          })
        ).ok,
      );
      for (const c of [a, b]) {
        assert.deepEqual(await ids(c, { include: [canonical] }), [typo.workId, right.workId]);
      }
      // A new catalog built now agrees with the ones that caught up.
      const fresh = await WorkCatalog.open(h.db, engine);
      assert.deepEqual(await ids(fresh, { include: [canonical] }), [typo.workId, right.workId]);
    } finally {
      await h.close();
    }
  });

  test("drafts enter when posted; deleted works leave", async () => {
    const h = await openTestDb(engine);
    const catalog = await WorkCatalog.open(h.db, engine);
    try {
      const u = await buildUser(h.db);
      const draft = await buildWork(h.db, { pseudId: u.pseudId, action: "draft" });
      assert.deepEqual(await ids(catalog), []);
      await postDraftWork(h.db, { workId: draft.workId, now: Date.now() });
      assert.deepEqual(await ids(catalog), [draft.workId]);
    } finally {
      await h.close();
    }
  });

  test("a change that commits late is applied; a gap that never fills is given up", async () => {
    const h = await openTestDb(engine);
    const clock = { now: Date.now() };
    const catalog = await WorkCatalog.open(h.db, engine, { now: () => clock.now });
    try {
      const u = await buildUser(h.db);
      // Work X's change row is held back, as if its transaction had not committed yet.
      const x = await buildWork(h.db, { pseudId: u.pseudId });
      const held = await lastChange(h.db);
      await h.db.deleteFrom("changes").where("id", "=", held.id).execute();
      const y = await buildWork(h.db, { pseudId: u.pseudId });
      assert.deepEqual(await ids(catalog), [y.workId]);
      // It commits: the next search applies it although a newer change was seen before.
      await h.db
        .insertInto("changes")
        .values({ id: held.id, entity: "work", entity_id: x.workId, created_at: held.created_at })
        .execute();
      assert.deepEqual(await ids(catalog), [x.workId, y.workId]);
      assert.ok(catalog.stats.lastChangeId >= held.id);

      // A rolled-back id never shows up: after a while the catalog stops waiting for it.
      const z = await buildWork(h.db, { pseudId: u.pseudId });
      const lost = await lastChange(h.db);
      await h.db.deleteFrom("changes").where("id", "=", lost.id).execute();
      const w = await buildWork(h.db, { pseudId: u.pseudId });
      assert.deepEqual(await ids(catalog), [x.workId, y.workId, w.workId]);
      assert.ok(catalog.stats.lastChangeId < lost.id, "still waiting for the gap");
      clock.now += 11_000;
      await catalog.catchUp();
      clock.now += 11_000;
      await catalog.catchUp();
      assert.ok(catalog.stats.lastChangeId > lost.id, "gap given up");
      assert.ok(!(await ids(catalog)).includes(z.workId), "its change was lost, as designed");
      // A rebuild (what a restart does) reads the database and finds it.
      await catalog.build();
      assert.deepEqual(await ids(catalog), [x.workId, y.workId, z.workId, w.workId]);
    } finally {
      await catalog.close();
      await h.close();
    }
  });

  test("start-up reads the document cache when its last change is still logged", async () => {
    const h = await openTestDb(engine);
    const cacheFile = join(mkdtempSync(join(tmpdir(), "fanfold-cache-")), "docs.bin");
    try {
      const u = await buildUser(h.db);
      const first = await buildWork(h.db, { pseudId: u.pseudId, title: "Éclair", complete: "1" });
      const second = await buildWork(h.db, { pseudId: u.pseudId, restricted: "1", language: "fr" });
      const a = await WorkCatalog.open(h.db, engine, { cacheFile });
      assert.equal(a.stats.source, "database");
      const query = { sort: "title" as const, descending: false, facets: true };
      const want = await a.search({ ...ALL, ...query }, true);
      await a.close();

      // Written at close; a change made while no process ran is caught up from the log.
      const third = await buildWork(h.db, { pseudId: u.pseudId, title: "Zebra" });
      const b = await WorkCatalog.open(h.db, engine, { cacheFile });
      assert.equal(b.stats.source, "cache");
      assert.deepEqual(await ids(b), [first.workId, second.workId, third.workId]);
      const got = await b.search(
        { ...ALL, ...query, restrict: [first.workId, second.workId] },
        true,
      );
      assert.deepEqual(got, want);
      assert.deepEqual(
        (await b.search({ ...ALL, language: "fr", complete: false }, false)).ids,
        [],
        "restricted flag and language survive the cache",
      );
      await b.close();

      // The log no longer holds the cache's last change (pruned, or another database): scan.
      await h.db.deleteFrom("changes").execute();
      const c = await WorkCatalog.open(h.db, engine, { cacheFile });
      assert.equal(c.stats.source, "database");
      assert.deepEqual(await ids(c), [first.workId, second.workId, third.workId]);
      await c.close();
    } finally {
      await h.close();
    }
  });

  test("deleting works while the text index takes them in: both succeed", async () => {
    const h = await openTestDb(engine);
    try {
      const u = await buildUser(h.db);
      for (let i = 0; i < 8; i++) {
        const { workId } = await buildWork(h.db, {
          pseudId: u.pseudId,
          text: `Text ${i} `.repeat(50),
        });
        await Promise.all([
          indexWorkText(h.db, engine, [workId]),
          deleteWork(h.db, { workId, now: Date.now() }),
          indexWorkText(h.db, engine, [workId]),
        ]);
        const left = await h.db
          .selectFrom("work_text_state")
          .select("work_id")
          .where("work_id", "=", workId)
          .execute();
        assert.deepEqual(left, []);
      }
    } finally {
      await h.close();
    }
  });

  test("kudos, hits, comments and bookmarks reach the index through the change log", async () => {
    const h = await openTestDb(engine);
    const catalog = await WorkCatalog.open(h.db, engine);
    try {
      const u = await buildUser(h.db);
      const quiet = await buildWork(h.db, { pseudId: u.pseudId });
      const loved = await buildWork(h.db, { pseudId: u.pseudId });
      const byKudos = async () =>
        (await catalog.search({ ...ALL, sort: "kudos", descending: true }, true)).ids;
      await bumpCounts(h.db, { workId: loved.workId }, { kudos: 3, hits: 9 }, Date.now());
      assert.deepEqual(
        { entity: (await lastChange(h.db)).entity, id: (await lastChange(h.db)).entity_id },
        { entity: "counts", id: loved.workId },
        "logged in the same transaction",
      );
      await bumpCounts(h.db, { workId: quiet.workId }, { kudos: 1 }, Date.now());
      assert.deepEqual(await byKudos(), [loved.workId, quiet.workId]);
      assert.deepEqual(await ids(catalog, { kudos: { min: 2 } }), [loved.workId]);
      await bumpCounts(h.db, { workId: quiet.workId }, { kudos: 5 }, Date.now());
      assert.deepEqual(await byKudos(), [quiet.workId, loved.workId]);
      // A second process starting now reads the counts with the works.
      const fresh = await WorkCatalog.open(h.db, engine);
      assert.deepEqual((await fresh.search({ ...ALL, sort: "hits", descending: true }, true)).ids, [
        loved.workId,
        quiet.workId,
      ]);
      await fresh.close();
      // Counts never go below zero.
      await bumpCounts(h.db, { workId: loved.workId }, { kudos: -10 }, Date.now());
      assert.deepEqual(await ids(catalog, { kudos: { max: 0 } }), [loved.workId]);
    } finally {
      await catalog.close();
      await h.close();
    }
  });

  test("a count written by a process whose clock is behind still reaches the index", async () => {
    const h = await openTestDb(engine);
    const catalog = await WorkCatalog.open(h.db, engine);
    try {
      const u = await buildUser(h.db);
      const a = await buildWork(h.db, { pseudId: u.pseudId });
      const b = await buildWork(h.db, { pseudId: u.pseudId });
      await bumpCounts(h.db, { workId: a.workId }, { kudos: 1 }, Date.now());
      assert.deepEqual(await ids(catalog, { kudos: { min: 1 } }), [a.workId]);
      // Another server on the same PostgreSQL, its clock a minute slow.
      await bumpCounts(h.db, { workId: b.workId }, { kudos: 2 }, Date.now() - 60_000);
      assert.deepEqual(await ids(catalog, { kudos: { min: 2 } }), [b.workId]);
    } finally {
      await catalog.close();
      await h.close();
    }
  });

  test("a recount (after rows went by cascade) reaches the index", async () => {
    const h = await openTestDb(engine);
    const catalog = await WorkCatalog.open(h.db, engine);
    try {
      const u = await buildUser(h.db);
      const w = await buildWork(h.db, { pseudId: u.pseudId });
      for (const guestKey of ["a", "b", "c"])
        await insertKudos(h.db, w.workId, { guestKey }, Date.now());
      assert.deepEqual(await ids(catalog, { kudos: { min: 3 } }), [w.workId]);
      // Rows removed without a command (as a cascade does), then the recount job.
      await h.db.deleteFrom("kudos").where("guest_key", "in", ["a", "b"]).execute();
      await recountWork(h.db, w.workId, Date.now() - 60_000);
      assert.deepEqual(await ids(catalog, { kudos: { min: 2 } }), []);
      assert.deepEqual(await ids(catalog, { kudos: { max: 1 } }), [w.workId]);
    } finally {
      await catalog.close();
      await h.close();
    }
  });

  test("old change-log entries are pruned, in batches, all but the newest", async () => {
    const h = await openTestDb(engine);
    const old = Date.UTC(2026, 0, 1);
    try {
      const u = await buildUser(h.db);
      const w = await buildWork(h.db, { pseudId: u.pseudId, now: old });
      // More than one delete batch of old counts.
      for (let i = 0; i < 25_000; i += 5_000) {
        await recordChanges(
          h.db,
          "counts",
          Array.from({ length: 5_000 }, (_, k) => i + k + 1),
          old + 1,
        );
      }
      const newestOld = await lastChange(h.db);
      await saveTextCursor(h.db, newestOld.id); // the text index has applied them all
      const dropped = await pruneChangesBefore(h.db, Date.now() - 3_600_000);
      assert.ok(dropped >= 25_000 - 1);
      // A quiet archive: everything is old, and the newest entry stays for its cache.
      assert.deepEqual(
        (await h.db.selectFrom("changes").select("id").execute()).map((r) => Number(r.id)),
        [newestOld.id],
      );
      await bumpCounts(h.db, { workId: w.workId }, { kudos: 1 }, Date.now());
      await pruneChangesBefore(h.db, Date.now() - 3_600_000);
      const recent = await h.db.selectFrom("changes").selectAll().execute();
      assert.equal(recent.length, 1);
      assert.ok(recent.every((c) => c.created_at >= Date.now() - 3_600_000));
    } finally {
      await h.close();
    }
  });

  test("entries the text index has not applied yet are kept, however old", async () => {
    const h = await openTestDb(engine);
    const old = Date.UTC(2026, 0, 1);
    try {
      await recordChanges(h.db, "work", [1, 2, 3, 4], old);
      const entries = (await h.db.selectFrom("changes").select("id").orderBy("id").execute()).map(
        (r) => Number(r.id),
      );
      await saveTextCursor(h.db, entries[1]!);
      await pruneChangesBefore(h.db, Date.now());
      assert.deepEqual(
        (await h.db.selectFrom("changes").select("id").orderBy("id").execute()).map((r) =>
          Number(r.id),
        ),
        entries.slice(2),
      );
    } finally {
      await h.close();
    }
  });

  test("a quiet archive's cache survives pruning", async () => {
    const h = await openTestDb(engine);
    const cacheFile = join(mkdtempSync(join(tmpdir(), "fanfold-cache-")), "docs.bin");
    try {
      const u = await buildUser(h.db);
      const w = await buildWork(h.db, { pseudId: u.pseudId });
      await bumpCounts(h.db, { workId: w.workId }, { kudos: 2 }, Date.now());
      await (await WorkCatalog.open(h.db, engine, { cacheFile })).close();
      // Nothing happens for days: the hourly prune finds every entry old.
      await pruneChangesBefore(h.db, Date.now() + 3 * 86_400_000);
      const again = await WorkCatalog.open(h.db, engine, { cacheFile });
      assert.equal(again.stats.source, "cache");
      assert.deepEqual(await ids(again, { kudos: { min: 2 } }), [w.workId]);
      await again.close();
    } finally {
      await h.close();
    }
  });
});
