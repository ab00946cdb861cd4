/**
 * Listings keep blurb tags, tag labels and counts in memory and check the change log once per
 * search, or, on PostgreSQL, not at all while no commit was notified (issue 16). Whatever
 * they keep must be as fresh as the database: a renamed tag, new kudos, a new work show on
 * the next listing; a catalog with notices reads the log only when told of a commit, when its
 * own process wrote, or when the notices are down.
 */
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import pg from "pg";
import { sql } from "kysely";
import type { Db } from "../../src/core/db/index.ts";
import type { BrowseQuery } from "../../src/search/index/browse-types.ts";
import type { ChangeNotices } from "../../src/search/index/change-notices.ts";
import { WorkCatalog } from "../../src/search/index/catalog.ts";
import { renameTag } from "../../src/tags/commands.ts";
import { Client, createTestApp } from "../support/app.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildKudos, buildUser, buildWork } from "../support/factories.ts";

const ALL: BrowseQuery = {
  include: [],
  exclude: [],
  sort: "kudos",
  descending: true,
  page: 1,
  pageSize: 100,
  facets: false,
};

async function tagId(db: Db, name: string) {
  const row = await db.selectFrom("tags").select("id").where("name", "=", name).executeTakeFirst();
  return row!.id;
}

/** Notices a test moves by hand: a number while "listening", null while "down". */
class ManualNotices implements ChangeNotices {
  version: number | null = 1;
  close() {
    return Promise.resolve();
  }
}

describeEachEngine("catalog freshness", (engine) => {
  test("the next listing shows a renamed tag, new kudos and a new work", async () => {
    const t = await createTestApp(engine);
    try {
      const db = t.handle.db;
      const writer = await buildUser(db);
      const first = await buildWork(db, {
        pseudId: writer.pseudId,
        title: "The First Light",
        freeforms: "Fluff, Slow Burn",
        characters: "Ada Quill",
      });
      const guest = new Client(t.app);
      const listing = async () => {
        const res = await guest.get("/tags/Fluff/works");
        assert.equal(res.statusCode, 200);
        return res.body;
      };
      const before = await listing();
      assert.match(before, /Ada Quill/);
      assert.match(before, /Slow Burn/); // as a blurb tag and a facet
      assert.doesNotMatch(before, /class="kudos"/);

      // A rename shows on blurbs (kept tag ids, labels dropped by the catch-up) and facets.
      const renamed = await renameTag(db, {
        tagId: await tagId(db, "Ada Quill"),
        newName: "Ada Quillfeather",
        now: Date.now(),
      });
      assert.ok(renamed.ok);
      await renameTag(db, {
        tagId: await tagId(db, "Slow Burn"),
        newName: "Slowest Burn",
        now: Date.now(),
      });
      const afterRename = await listing();
      assert.match(afterRename, /Ada Quillfeather/);
      assert.doesNotMatch(afterRename, /Slow Burn/);
      assert.match(afterRename, /Slowest Burn/);

      // Kudos come through the log's "counts" entries into the index, which blurbs read.
      await buildKudos(db, first.workId);
      assert.match(await listing(), /<dd class="kudos"><a href="[^"]+">1<\/a>/);

      const second = await buildWork(db, {
        pseudId: writer.pseudId,
        title: "A Second Dawn",
        freeforms: "Fluff",
        characters: "Bo Reyes",
      });
      const withNew = await listing();
      assert.match(withNew, /A Second Dawn/);
      assert.match(withNew, /Bo Reyes/);
      assert.ok(second.workId > first.workId);
    } finally {
      await t.close();
    }
  });

  test("with notices, the log is read only after a notice, an own write, or while down", async () => {
    let statements = 0;
    const h = await openTestDb(engine, { onQuery: () => void statements++ });
    const notices = new ManualNotices();
    const catalog = await WorkCatalog.open(h.db, engine, { notices });
    try {
      const counted = async () => {
        const before = statements;
        const result = await catalog.search(ALL, true);
        return { result, statements: statements - before };
      };
      await counted(); // reads the log once for this version
      assert.equal((await counted()).statements, 0, "nothing committed: no statement");

      // A write of this process: read at once, even before its notice arrives.
      const work = await buildWork(h.db, { title: "Own write" });
      const own = await counted();
      assert.deepEqual(own.result.ids, [work.workId]);
      assert.ok(own.statements > 0);
      assert.equal((await counted()).statements, 0);

      // Another process's commit: this one only learns of it by the notice.
      // (written without recordChanges, so this process does not know it wrote them)
      await sql`delete from work_stats where work_id = ${work.workId}`.execute(h.db);
      await sql`insert into work_stats (work_id, kudos, updated_at)
        values (${work.workId}, 5, ${Date.now()})`.execute(h.db);
      await sql`insert into changes (entity, entity_id, created_at)
        values ('counts', ${work.workId}, ${Date.now()})`.execute(h.db);
      assert.equal((await counted()).statements, 0, "not told yet: not read");
      notices.version = 2;
      const told = await counted();
      assert.ok(told.statements > 0, "a notice makes the catalog read the log");
      assert.equal(catalog.countsOf(work.workId)?.kudos, 5);

      // Notices down: every search reads the log, as without notices.
      notices.version = null;
      assert.ok((await counted()).statements > 0);
      assert.ok((await counted()).statements > 0);
      // Back up (a new version): one read, then quiet again.
      notices.version = 7;
      assert.ok((await counted()).statements > 0);
      assert.equal((await counted()).statements, 0);
    } finally {
      await catalog.close();
      await h.close();
    }
  });

  // LISTEN/NOTIFY is PostgreSQL's: SQLite's catalogs read the log.
  if (engine !== "postgres") return;
  test("PostgreSQL notifies commits to a listening catalog", async () => {
    let statements = 0;
    const h = await openTestDb(engine, { onQuery: () => void statements++ });
    const url = process.env.FANFOLD_TEST_PG_URL!;
    const catalog = await WorkCatalog.open(h.db, engine, { listenUrl: url });
    const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(h.db)).rows[0]!
      .s;
    const other = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    await other.connect();
    try {
      const work = await buildWork(h.db, { title: "Listened for" });
      await catalog.search(ALL, true);
      // The notice of that write may come after the read it caused: one more read then.
      await sleep(200);
      await catalog.search(ALL, true);
      let before = statements;
      await catalog.search(ALL, true);
      assert.equal(statements - before, 0, "no commit notified: no statement");

      // Another connection commits kudos and its log entry, as another process would.
      await other.query("begin");
      await other.query("delete from work_stats where work_id = $1", [work.workId]);
      await other.query("insert into work_stats (work_id, kudos, updated_at) values ($1, 3, $2)", [
        work.workId,
        Date.now(),
      ]);
      await other.query(
        "insert into changes (entity, entity_id, created_at) values ('counts', $1, $2)",
        [work.workId, Date.now()],
      );
      await other.query("commit");
      for (let i = 0; i < 100 && catalog.countsOf(work.workId)?.kudos !== 3; i++) {
        await sleep(20);
        await catalog.search(ALL, true);
      }
      assert.equal(catalog.countsOf(work.workId)?.kudos, 3, "the notice arrived and was read");
      before = statements;
      await catalog.search(ALL, true);
      assert.equal(statements - before, 0, "quiet again");
    } finally {
      await other.end();
      await catalog.close();
      await h.close();
    }
  });
});
