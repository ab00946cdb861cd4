/**
 * A reader's exclusions, read on every logged-in request as one statement (both lists in a
 * union): each id lands in its own list, on both engines, whatever the other list holds.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { DbHandle } from "../../src/core/db/index.ts";
import {
  addExcludedTag,
  loadExclusions,
  muteUser,
  removeExcludedTag,
} from "../../src/exclusions/queries.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

describeEachEngine("a reader's exclusions", (engine) => {
  let h: DbHandle;
  before(async () => {
    h = await openTestDb(engine);
  });
  after(() => h.close());

  test("excluded tags and muted users, each in its own list", async () => {
    const reader = await buildUser(h.db);
    const other = await buildUser(h.db);
    const third = await buildUser(h.db);
    assert.deepEqual(await loadExclusions(h.db, reader.id), { tagIds: [], userIds: [] });
    await buildWork(h.db, { freeforms: "Excluded One, Excluded Two" });
    const tags = await h.db
      .selectFrom("tags")
      .select("id")
      .where("name", "in", ["Excluded One", "Excluded Two"])
      .orderBy("id")
      .execute();
    const now = Date.now();
    for (const t of tags) await addExcludedTag(h.db, reader.id, t.id, now);
    await muteUser(h.db, reader.id, other.id, now);
    await muteUser(h.db, third.id, reader.id, now); // someone muting the reader is not theirs
    const got = await loadExclusions(h.db, reader.id);
    assert.deepEqual(
      [...got.tagIds].sort((a, b) => a - b),
      tags.map((t) => t.id),
    );
    assert.deepEqual(got.userIds, [other.id]);
    for (const t of tags) await removeExcludedTag(h.db, reader.id, t.id);
    assert.deepEqual(await loadExclusions(h.db, reader.id), { tagIds: [], userIds: [other.id] });
  });
});
