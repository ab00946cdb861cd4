import assert from "node:assert/strict";
import { test } from "node:test";
import { changesAfter } from "../../src/core/db/changes.ts";
import { loadWorkRows, tagTypes, worksInFilter } from "../../src/search/index/index-queries.ts";
import { findTagByName } from "../../src/tags/queries.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

describeEachEngine("browse index queries", (engine) => {
  test("posted works load as documents with folded tags, creator and fandom count", async () => {
    const h = await openTestDb(engine);
    try {
      const user = await buildUser(h.db, { login: "Zed_Writer" });
      const a = await buildWork(h.db, {
        pseudId: user.pseudId,
        title: "Cross",
        fandoms: "F1, F2",
        freeforms: "Tea",
        restricted: "1",
        expected_chapters: "1",
      });
      await buildWork(h.db, { pseudId: user.pseudId, title: "Draft", action: "draft" });
      const c = await buildWork(h.db, {
        pseudId: user.pseudId,
        title: "Plain",
        fandoms: "F1",
        language: "fr",
      });
      const rows = await loadWorkRows(h.db, { afterId: 0, limit: 10 });
      assert.deepEqual(
        rows.map((r) => r.title),
        ["Cross", "Plain"],
        "drafts are not indexed",
      );
      const cross = rows[0]!;
      assert.equal(cross.id, a.workId);
      assert.equal(cross.restricted, true);
      assert.equal(cross.complete, true);
      assert.equal(cross.fandomCount, 2);
      assert.equal(cross.creator, "zed_writer");
      const tea = await findTagByName(h.db, "Tea");
      assert.ok(cross.tagIds.includes(tea!.id));
      assert.equal(rows[1]!.language, "fr");
      assert.deepEqual(
        (await loadWorkRows(h.db, { ids: [c.workId] })).map((r) => r.id),
        [c.workId],
      );
      assert.deepEqual(await loadWorkRows(h.db, { afterId: c.workId, limit: 10 }), []);
      assert.deepEqual(await worksInFilter(h.db, tea!.id), [a.workId]);
      assert.equal((await tagTypes(h.db)).get(tea!.id), "freeform");
      const changes = await changesAfter(h.db, 0, 100);
      assert.ok(changes.some((ch) => ch.entity === "work" && ch.entityId === c.workId));
    } finally {
      await h.close();
    }
  });
});
