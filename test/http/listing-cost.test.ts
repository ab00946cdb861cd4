/**
 * What a listing costs in SQL (issue 16), pinned so that a regression fails: a tag listing's
 * blurb tags, facet labels and counts come from memory (search/listings/blurbs.ts and the
 * browse index), not from a join per page. A guest's tag listing of 20 works runs:
 *   the tag by name; the change log (the catalog's one freshness check); the page's works;
 *   their creators, gifts and series.
 * The blurb tags (work_tags ⋈ tags), facet tags and work_stats are no longer read (9 before).
 * (Test apps do not LISTEN, so the log is read on PostgreSQL too; a served archive on
 * PostgreSQL skips that read while no commit was notified: 5.)
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Client, createTestApp, type TestApp } from "../support/app.ts";
import { describeEachEngine } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";

const TAG_LISTING_SQL = 6;
/** The named tags (included and excluded) read in one query instead of the tag by name. */
const FILTERED_LISTING_SQL = 6;

async function statementsOf(t: TestApp, url: string): Promise<number> {
  const guest = new Client(t.app);
  // The first view reads each blurb's tags and the facets' labels once; later ones do not.
  assert.equal((await guest.get(url)).statusCode, 200);
  await t.services.follower?.idle();
  const before = t.queries.count;
  const res = await guest.get(url);
  assert.equal(res.statusCode, 200);
  return t.queries.count - before;
}

describeEachEngine("listing cost", (engine) => {
  test("a tag listing of 20 blurbs with facets runs a fixed, small number of statements", async () => {
    const t = await createTestApp(engine);
    try {
      const writer = await buildUser(t.handle.db);
      const ids: number[] = [];
      for (let i = 0; i < 22; i++) {
        const work = await buildWork(t.handle.db, {
          pseudId: writer.pseudId,
          freeforms: i % 2 ? "Fluff, Angst" : "Fluff, Hurt/Comfort",
          characters: `Character ${i % 5}`,
        });
        ids.push(work.workId);
      }
      const tagPage = await statementsOf(t, "/tags/Fluff/works");
      assert.equal(tagPage, TAG_LISTING_SQL, `the tag listing ran ${tagPage} statements`);
      const tags = await t.handle.db
        .selectFrom("tags")
        .select(["id", "name"])
        .where("name", "in", ["Fluff", "Character 0", "Character 1"])
        .execute();
      const id = (name: string) => tags.find((x) => x.name === name)!.id;
      const filtered = await statementsOf(
        t,
        `/works?include=${id("Fluff")}&exclude=${id("Character 0")},${id("Character 1")}&sort=kudos`,
      );
      assert.equal(
        filtered,
        FILTERED_LISTING_SQL,
        `the filtered listing ran ${filtered} statements`,
      );
    } finally {
      await t.close();
    }
  });
});
