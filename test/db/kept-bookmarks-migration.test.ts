import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import * as migration from "../../src/core/db/migrations/2026-12-06T1100-kept-bookmarks.ts";
import * as seriesBookmarks from "../../src/core/db/migrations/2026-12-09T1020-series-reading.ts";
import type { Db, DbHandle } from "../../src/core/db/index.ts";
import { deleteWork } from "../../src/works/commands.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

/**
 * The migration run on a table holding bookmarks: down to the original shape, rows written as
 * the old code wrote them, then up again (on SQLite a rebuild of the table).
 */
describeEachEngine("kept-bookmarks migration", (engine) => {
  let h: DbHandle;
  let db: Db;
  before(async () => {
    h = await openTestDb(engine);
    db = h.db;
  });
  after(() => h.close());

  /** A bookmark as the code before the migration wrote it (no `work_ref`). */
  const bookmark = async (userId: number, pseudId: number, workId: number, notes: string) => {
    const { rows } = await sql<{ id: number }>`insert into bookmarks
      (user_id, pseud_id, work_id, notes_html, sanitizer_version, rec, created_at, updated_at)
      values (${userId}, ${pseudId}, ${workId}, ${notes}, 1, 1, 1, 1) returning id`.execute(db);
    return rows[0]!.id;
  };

  const indexNames = async () => {
    const rows =
      engine === "sqlite"
        ? await sql<{ name: string }>`select name from sqlite_master
            where type = 'index' and tbl_name = 'bookmarks' and sql is not null`.execute(db)
        : await sql<{ name: string }>`select indexname as name from pg_indexes
            where tablename = 'bookmarks' and schemaname = current_schema()
            and indexname <> 'bookmarks_pkey'`.execute(db);
    return rows.rows.map((r) => r.name).sort();
  };

  test("keeps every row, tag, id and index, and makes work deletion keep bookmarks", async () => {
    const user = await buildUser(h.db);
    const kept = await buildWork(h.db, { title: "Kept" });
    const doomed = await buildWork(h.db, { title: "Doomed" });
    // Rolled back in order: the later migration that changes bookmarks comes off first.
    await seriesBookmarks.down(db);
    await migration.down(db);

    const a = await bookmark(user.id, user.pseudId, kept.workId, "<p>a</p>");
    const b = await bookmark(user.id, user.pseudId, doomed.workId, "<p>b</p>");
    const gone = await bookmark(kept.pseudId, kept.pseudId, kept.workId, "");
    await db.deleteFrom("bookmarks").where("id", "=", gone).execute();
    await db
      .insertInto("bookmark_tags")
      .values([
        { bookmark_id: a, name: "A Tag", name_key: "a tag", position: 0 },
        { bookmark_id: b, name: "B Tag", name_key: "b tag", position: 0 },
      ])
      .execute();

    await migration.up(db);

    const rows = await db.selectFrom("bookmarks").selectAll().orderBy("id").execute();
    assert.deepEqual(
      rows.map((r) => [r.id, r.work_id, r.work_ref, r.notes_html, r.rec, r.work_title]),
      [
        [a, kept.workId, kept.workId, "<p>a</p>", 1, null],
        [b, doomed.workId, doomed.workId, "<p>b</p>", 1, null],
      ],
    );
    const tagCount = async () =>
      Number(
        (
          await db
            .selectFrom("bookmark_tags")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    assert.equal(await tagCount(), 2);
    assert.deepEqual(await indexNames(), [
      "bookmarks_deleted_work",
      "bookmarks_user_work",
      "bookmarks_work",
    ]);
    if (engine === "sqlite") {
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
      assert.equal(fk.rows[0]?.foreign_keys, 1, "foreign keys are on again");
    }
    // The unique index still holds, and a deleted bookmark's id is never handed out again.
    await assert.rejects(bookmark(user.id, user.pseudId, kept.workId, ""));
    const other = await buildUser(h.db);
    const next = await db
      .insertInto("bookmarks")
      .values({
        user_id: other.id,
        pseud_id: other.pseudId,
        work_id: kept.workId,
        work_ref: kept.workId,
        sanitizer_version: 1,
        created_at: 2,
        updated_at: 2,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    assert.ok(next.id > gone, `${next.id} > ${gone}`);

    await deleteWork(h.db, { workId: doomed.workId, now: Date.now() });
    const orphan = await db
      .selectFrom("bookmarks")
      .selectAll()
      .where("id", "=", b)
      .executeTakeFirst();
    assert.equal(orphan?.work_id, null);
    assert.equal(orphan?.work_ref, doomed.workId);
    assert.equal(await tagCount(), 2);

    // Down again: a bookmark of a deleted work can't exist in the old shape.
    await migration.down(db);
    const left = await db.selectFrom("bookmarks").select("id").orderBy("id").execute();
    assert.deepEqual(
      left.map((r) => r.id),
      [a, next.id],
    );
    assert.equal(await tagCount(), 1);
    await migration.up(db);
    // Tags still follow the (rebuilt) table they reference.
    await db.deleteFrom("bookmarks").where("id", "=", a).execute();
    assert.equal(await tagCount(), 0);
  });
});
