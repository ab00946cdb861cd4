/**
 * The text index follows the change log on its own (issue 12): no browse catalog is opened
 * here. It saves its position with the entries it writes, starts from that position after a
 * restart, waits for a change that commits late, gives up a gap that never fills, and leaves
 * counts alone.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { sql } from "kysely";
import * as migration from "../../src/core/db/migrations/2026-12-07T1000-text-follower-cursor.ts";
import { recordChanges } from "../../src/core/db/changes.ts";
import type { Db, DbHandle, Engine } from "../../src/core/db/index.ts";
import { bumpCounts } from "../../src/engagement/counters/queries.ts";
import { removeWorkText, textCursor } from "../../src/search/text/entry-queries.ts";
import { TextFollower } from "../../src/search/text/follower.ts";
import { parseTextQuery } from "../../src/search/text/query.ts";
import { searchWorkText } from "../../src/search/text/search-queries.ts";
import { renameTag } from "../../src/tags/commands.ts";
import { findTagByName } from "../../src/tags/queries.ts";
import { deleteWork } from "../../src/works/commands.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

async function found(h: DbHandle, text: string): Promise<number[]> {
  const parsed = parseTextQuery(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return (await searchWorkText(h.db, h.engine, parsed.query)).ids.sort((a, b) => a - b);
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

/** Opens a database and a follower on it, closing both after `body`. */
async function withFollower(
  engine: Engine,
  body: (h: DbHandle, follower: TextFollower, clock: { now: number }) => Promise<void>,
) {
  const h = await openTestDb(engine);
  const clock = { now: Date.now() };
  const follower = new TextFollower(h.db, engine, { now: () => clock.now });
  try {
    await body(h, follower, clock);
  } finally {
    await follower.close();
    await h.close();
  }
}

describeEachEngine("text follower", (engine) => {
  test("new, renamed-tag and deleted works reach the index with no catalog", () =>
    withFollower(engine, async (h, follower) => {
      const u = await buildUser(h.db);
      const w = await buildWork(h.db, {
        pseudId: u.pseudId,
        freeforms: "Slow Burn",
        text: "A zeppelin over the harbour.",
      });
      assert.deepEqual(await found(h, "zeppelin"), []);
      await follower.catchUp();
      assert.deepEqual(await found(h, "zeppelin"), [w.workId]);

      const tag = await findTagByName(h.db, "Slow Burn");
      const renamed = await renameTag(h.db, {
        tagId: tag!.id,
        newName: "Slowest Burn",
        now: Date.now(),
      });
      assert.ok(renamed.ok);
      await follower.catchUp();
      assert.deepEqual(await found(h, "tag:slowest"), [w.workId]);

      await deleteWork(h.db, { workId: w.workId, now: Date.now() });
      await follower.catchUp();
      assert.deepEqual(await found(h, "zeppelin"), []);
      assert.equal(await textCursor(h.db), (await lastChange(h.db)).id, "saved with the entries");
    }));

  test("a new follower on the same database starts from the saved position", async () => {
    const h = await openTestDb(engine);
    try {
      const u = await buildUser(h.db);
      const first = await buildWork(h.db, { pseudId: u.pseudId, text: "Lanterns at dusk." });
      const before = new TextFollower(h.db, engine);
      await before.catchUp();
      await before.close();
      const saved = await textCursor(h.db);
      assert.equal(saved, (await lastChange(h.db)).id);

      // While no follower runs: a new work, and the first one's entry lost behind its back.
      const second = await buildWork(h.db, { pseudId: u.pseudId, text: "Lanterns at dawn." });
      await removeWorkText(h.db, engine, [first.workId]);
      const after = new TextFollower(h.db, engine);
      try {
        await after.catchUp();
        assert.deepEqual(await found(h, "lanterns"), [second.workId], "nothing replayed");
        assert.ok(after.changeId > saved);
        assert.equal(await textCursor(h.db), after.changeId);
      } finally {
        await after.close();
      }
    } finally {
      await h.close();
    }
  });

  test("counts never rebuild a work's entry; a work change does", () =>
    withFollower(engine, async (h, follower) => {
      const u = await buildUser(h.db);
      const w = await buildWork(h.db, { pseudId: u.pseudId, text: "Quiet marmalade." });
      await follower.catchUp();
      await removeWorkText(h.db, engine, [w.workId]);
      for (let k = 0; k < 5; k++) {
        await bumpCounts(h.db, { workId: w.workId }, { hits: 1, kudos: 1 }, Date.now());
      }
      await follower.catchUp();
      assert.deepEqual(await found(h, "marmalade"), [], "no text reindex for a count");
      assert.equal(follower.changeId, (await lastChange(h.db)).id, "yet past the counts");
      await recordChanges(h.db, "work", [w.workId], Date.now());
      await follower.catchUp();
      assert.deepEqual(await found(h, "marmalade"), [w.workId]);
    }));

  test("entries and position commit together: a failed save writes no entry", () =>
    withFollower(engine, async (h, follower) => {
      const u = await buildUser(h.db);
      await follower.catchUp();
      const saved = await textCursor(h.db);
      const w = await buildWork(h.db, { pseudId: u.pseudId, text: "A stray albatross." });
      await sql`alter table work_text_cursor rename to work_text_cursor_away`.execute(h.db);
      await assert.rejects(follower.catchUp());
      await sql`alter table work_text_cursor_away rename to work_text_cursor`.execute(h.db);
      assert.deepEqual(await found(h, "albatross"), [], "rolled back with the position");
      assert.equal(await textCursor(h.db), saved);
      await follower.catchUp();
      assert.deepEqual(await found(h, "albatross"), [w.workId]);
      assert.equal(await textCursor(h.db), (await lastChange(h.db)).id);
    }));

  test("a change that commits late is applied; a gap that never fills is given up", () =>
    withFollower(engine, async (h, follower, clock) => {
      const u = await buildUser(h.db);
      // Work X's change row is held back, as if its transaction had not committed yet.
      const x = await buildWork(h.db, { pseudId: u.pseudId, text: "A xylophone." });
      const held = await lastChange(h.db);
      await h.db.deleteFrom("changes").where("id", "=", held.id).execute();
      const y = await buildWork(h.db, { pseudId: u.pseudId, text: "Xylophone, yes." });
      await follower.catchUp();
      assert.deepEqual(await found(h, "xylophone"), [y.workId]);
      assert.ok((await textCursor(h.db)) < held.id, "not saved past the gap");
      await h.db
        .insertInto("changes")
        .values({ id: held.id, entity: "work", entity_id: x.workId, created_at: held.created_at })
        .execute();
      await follower.catchUp();
      assert.deepEqual(await found(h, "xylophone"), [x.workId, y.workId]);
      assert.ok(follower.changeId > held.id);

      // A rolled-back id never shows up: after a while the follower stops waiting for it.
      await buildWork(h.db, { pseudId: u.pseudId, text: "A lone zither." });
      const lost = await lastChange(h.db);
      await h.db.deleteFrom("changes").where("id", "=", lost.id).execute();
      const w = await buildWork(h.db, { pseudId: u.pseudId, text: "Zither, too." });
      await follower.catchUp();
      assert.deepEqual(await found(h, "zither"), [w.workId]);
      assert.ok(follower.changeId < lost.id, "still waiting for the gap");
      clock.now += 11_000;
      await follower.catchUp();
      assert.ok(follower.changeId > lost.id, "gap given up");
    }));

  test("an upgraded archive's text index re-reads the log it still holds", async () => {
    const h = await openTestDb(engine);
    try {
      await buildWork(h.db, { text: "Written before the upgrade." });
      await migration.down(h.db);
      await migration.up(h.db);
      // Nobody knew how far the old follower got: every entry still logged is read again.
      assert.equal(await textCursor(h.db), 0);
    } finally {
      await h.close();
    }
  });
});
