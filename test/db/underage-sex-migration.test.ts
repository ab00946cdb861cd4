import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import * as migration from "../../src/core/db/migrations/2026-12-06T1600-underage-sex.ts";
import type { Db, DbHandle } from "../../src/core/db/index.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildWork } from "../support/factories.ts";

/**
 * The archive warning "Underage" becomes AO3's "Underage Sex": run down to the old name (as
 * the database was before), then up again, on a database holding works.
 */
describeEachEngine("Underage Sex migration", (engine) => {
  let h: DbHandle;
  let db: Db;
  before(async () => {
    h = await openTestDb(engine);
    db = h.db;
  });
  after(() => h.close());

  const tag = (id: number) =>
    db
      .selectFrom("tags")
      .select(["id", "name", "name_key", "type"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
  const byName = (key: string) =>
    db
      .selectFrom("tags")
      .select(["id", "name", "type"])
      .where("name_key", "=", key)
      .executeTakeFirst();
  const tagsOfWork = async (workId: number) =>
    (await db.selectFrom("work_tags").select("tag_id").where("work_id", "=", workId).execute()).map(
      (r) => r.tag_id,
    );
  /** A full-text entry for the work, as the text index keeps one per indexed work. */
  const indexed = async (workId: number) => {
    await db.deleteFrom("work_text_state").where("work_id", "=", workId).execute();
    await db
      .insertInto("work_text_state")
      .values({ work_id: workId, format: 1, body_key: "k", indexed_at: 1 })
      .execute();
  };
  const hasTextEntry = async (workId: number) =>
    (await db
      .selectFrom("work_text_state")
      .select("work_id")
      .where("work_id", "=", workId)
      .executeTakeFirst()) !== undefined;
  const loggedTagChanges = async (since: number) =>
    (
      await db
        .selectFrom("changes")
        .select("entity_id")
        .where("entity", "=", "tag")
        .where("id", ">", since)
        .execute()
    )
      .map((r) => r.entity_id)
      .sort((a, b) => a - b);
  const lastChange = async () =>
    Number(
      (await db.selectFrom("changes").select(db.fn.max("id").as("id")).executeTakeFirst())?.id ?? 0,
    );

  test("renames the warning in place: same id, works keep it, the search indexes redo them", async () => {
    const warning = (await byName("underage sex"))!;
    assert.equal(warning.type, "warning");
    const { workId } = await buildWork(db, { warnings: ["Underage Sex"] });
    const plain = await buildWork(db);
    await migration.down(db);
    assert.deepEqual(await tag(warning.id), {
      id: warning.id,
      name: "Underage",
      name_key: "underage",
      type: "warning",
    });
    await indexed(workId);
    await indexed(plain.workId);
    const mark = await lastChange();

    await migration.up(db);
    assert.deepEqual(await tag(warning.id), {
      id: warning.id,
      name: "Underage Sex",
      name_key: "underage sex",
      type: "warning",
    });
    assert.equal(await byName("underage"), undefined);
    assert.ok((await tagsOfWork(workId)).includes(warning.id), "the work keeps its warning");
    assert.deepEqual(await loggedTagChanges(mark), [warning.id]);
    assert.equal(await hasTextEntry(workId), false, "re-indexed with the new name");
    assert.equal(await hasTextEntry(plain.workId), true, "other works are left alone");

    // Run again (a database already migrated by hand, or a new one): nothing to do.
    const again = await lastChange();
    await migration.up(db);
    assert.equal((await tag(warning.id)).name, "Underage Sex");
    assert.deepEqual(await loggedTagChanges(again), []);
  });

  test("a user-made tag already called Underage Sex steps aside, keeping its id and works", async () => {
    const warning = (await byName("underage sex"))!;
    await migration.down(db);
    const { workId } = await buildWork(db, { freeforms: "Underage Sex, Plot" });
    const freeform = (await byName("underage sex"))!;
    assert.equal(freeform.type, "freeform");
    assert.notEqual(freeform.id, warning.id);
    // Even the first name it would step aside to is taken.
    await buildWork(db, { freeforms: "Underage Sex (Additional Tags)" });
    await indexed(workId);
    const mark = await lastChange();

    await migration.up(db);
    assert.equal((await tag(warning.id)).name, "Underage Sex");
    assert.deepEqual(await tag(freeform.id), {
      id: freeform.id,
      name: "Underage Sex (Additional Tags 2)",
      name_key: "underage sex (additional tags 2)",
      type: "freeform",
    });
    assert.ok((await tagsOfWork(workId)).includes(freeform.id));
    assert.deepEqual(
      await loggedTagChanges(mark),
      [warning.id, freeform.id].sort((a, b) => a - b),
    );
    assert.equal(await hasTextEntry(workId), false);
  });
});
