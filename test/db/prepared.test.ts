/**
 * prepared(): a query built once answers as the same query built anew, with each call's
 * parameters, on both engines, inside transactions too; the builder runs once per database.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import type { DbHandle } from "../../src/core/db/index.ts";
import { prepared, preparedForIds, type Params } from "../../src/core/db/prepared.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

describeEachEngine("prepared queries", (engine) => {
  let h: DbHandle;
  const works: { workId: number; title: string }[] = [];
  before(async () => {
    h = await openTestDb(engine);
    const { pseudId } = await buildUser(h.db);
    for (const title of ["Alpha", "Beta", "Gamma"])
      works.push({ ...(await buildWork(h.db, { pseudId, title })), title });
  });
  after(() => h.close());

  test("each call's parameters, the same rows as Kysely built anew", async () => {
    let builds = 0;
    const titleOf = prepared((db, p: Params<{ id: number; posted: 0 | 1 }>) => {
      builds++;
      return db
        .selectFrom("works")
        .select(["id", "title"])
        .where("id", "=", p("id"))
        .where("posted", "=", p("posted"))
        .where("language", "=", "en"); // a constant beside the placeholders
    });
    for (const w of works) {
      const fresh = await h.db
        .selectFrom("works")
        .select(["id", "title"])
        .where("id", "=", w.workId)
        .where("posted", "=", 1)
        .where("language", "=", "en")
        .execute();
      assert.deepEqual(await titleOf.execute(h.db, { id: w.workId, posted: 1 }), fresh);
      assert.equal(
        (await titleOf.executeTakeFirst(h.db, { id: w.workId, posted: 1 }))?.title,
        w.title,
      );
      assert.equal(await titleOf.executeTakeFirst(h.db, { id: w.workId, posted: 0 }), undefined);
    }
    assert.equal(builds, 1);
  });

  test("runs inside a transaction, seeing its uncommitted writes", async () => {
    const title = prepared((db, p: Params<{ id: number }>) =>
      db.selectFrom("works").select("title").where("id", "=", p("id")),
    );
    const rename = prepared((db, p: Params<{ id: number; title: string }>) =>
      db
        .updateTable("works")
        .set({ title: p("title") })
        .where("id", "=", p("id")),
    );
    const id = works[0]!.workId;
    await assert.rejects(
      h.db.transaction().execute(async (tx) => {
        const result = await rename.executeQuery(tx, { id, title: "Renamed" });
        assert.equal(result.numAffectedRows, 1n);
        assert.equal((await title.executeTakeFirst(tx, { id }))?.title, "Renamed");
        throw new Error("roll back");
      }),
      /roll back/,
    );
    assert.equal((await title.executeTakeFirst(h.db, { id }))?.title, "Alpha");
  });

  test("sql placeholders, limits and queries without parameters", async () => {
    const newest = prepared((db, p: Params<{ n: number; prefix: string }>) =>
      db
        .selectFrom("works")
        .select("title")
        .where(sql<boolean>`title like ${p("prefix")}`)
        .orderBy("id", "desc")
        .limit(p("n")),
    );
    assert.deepEqual(await newest.execute(h.db, { n: 1, prefix: "%a" }), [{ title: "Gamma" }]);
    assert.deepEqual(await newest.execute(h.db, { n: 5, prefix: "B%" }), [{ title: "Beta" }]);
    const count = prepared((db) =>
      db.selectFrom("works").select((eb) => eb.fn.countAll<number>().as("n")),
    );
    assert.equal(Number((await count.executeTakeFirst(h.db))?.n), works.length);
  });

  test("a missing parameter or a placeholder that is not a value is refused", async () => {
    const byId = prepared((db, p: Params<{ id: number }>) =>
      db.selectFrom("works").select("id").where("id", "=", p("id")),
    );
    await assert.rejects(byId.execute(h.db, {} as { id: number }), /parameter "id" is missing/);
    const inlined = prepared((db, p: Params<{ column: string }>) =>
      db.selectFrom("works").select(sql.ref<number>(String(p("column"))).as("x")),
    );
    await assert.rejects(inlined.execute(h.db, { column: "id" }), /did not become a parameter/);
  });
  test("preparedForIds: built once per list length, the same rows as Kysely built anew", async () => {
    const lengths: number[] = [];
    const titles = preparedForIds((db, ids) => {
      lengths.push(ids.length);
      return db.selectFrom("works").select(["id", "title"]).where("id", "in", ids).orderBy("id");
    });
    const ids = works.map((w) => w.workId);
    const lists = [ids, ids.slice(1), [ids[2]!, ids[0]!, ids[1]!], [ids[1]!, ids[1]!], [-1]];
    for (let round = 0; round < 2; round++) {
      for (const list of lists) {
        const fresh = await h.db
          .selectFrom("works")
          .select(["id", "title"])
          .where("id", "in", list)
          .orderBy("id")
          .execute();
        assert.deepEqual(await titles(h.db, list), fresh);
      }
    }
    assert.deepEqual(lengths, [3, 2, 1]);
    // Past the longest list it keeps, it builds each time.
    const long = Array.from({ length: 150 }, (_, i) => ids[i % 3]!);
    assert.equal((await titles(h.db, long)).length, 3);
    assert.equal((await titles(h.db, long)).length, 3);
    assert.deepEqual(lengths, [3, 2, 1, 150, 150]);
  });
});
