/** Demo series (issue 15): a few writers' works in one fandom, gathered in order. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { DbHandle } from "../../src/core/db/index.ts";
import { seriesDemo } from "../../src/demo/series.ts";
import { describeEachEngine, openTestDb } from "../support/db.ts";
import { buildUser, buildWork } from "../support/factories.ts";
import { partsOf } from "../support/factories-series.ts";

describeEachEngine("demo series", (engine) => {
  let h: DbHandle;
  before(async () => {
    h = await openTestDb(engine);
  });
  after(() => h.close());

  test("one series per writer with two or more open works in a fandom, oldest first", async () => {
    const { db } = h;
    const prolific = await buildUser(db);
    const scattered = await buildUser(db);
    const day = 86_400_000;
    const works: number[] = [];
    for (let i = 0; i < 4; i++)
      works.push(
        (
          await buildWork(db, {
            pseudId: prolific.pseudId,
            fandoms: "Harbour",
            now: 1e12 + i * day,
          })
        ).workId,
      );
    await buildWork(db, { pseudId: scattered.pseudId, fandoms: "Lighthouse" });
    await buildWork(db, { pseudId: scattered.pseudId, fandoms: "Gulls" });
    await buildWork(db, { pseudId: scattered.pseudId, fandoms: "Gulls", restricted: "1" });

    assert.equal(await seriesDemo(db, { now: Date.now() }), 1);
    const series = await db
      .selectFrom("series")
      .innerJoin("series_creatorships", "series_creatorships.series_id", "series.id")
      .select(["series.id", "series.title", "series_creatorships.pseud_id"])
      .execute();
    assert.equal(series.length, 1);
    assert.equal(series[0]?.pseud_id, prolific.pseudId);
    assert.deepEqual(await partsOf(db, series[0].id), [
      [works[0], 1],
      [works[1], 2],
      [works[2], 3],
    ]);
  });
});
