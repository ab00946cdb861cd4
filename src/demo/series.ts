/**
 * Demo series (issue 15): a few demo writers' works in one fandom gathered into a series, so
 * series pages, "Part N of" and previous/next links have something to show.
 */
import type { Db } from "../core/db/index.ts";
import { createSeriesIn, placeWorkIn } from "../works/series/commands.ts";
import { demoSeriesGroups } from "./series-queries.ts";

const TITLES = ["Lanterns and Letters", "The Long Crossing", "Small Hours"];

export async function seriesDemo(db: Db, opts: { now: number }) {
  const groups = await demoSeriesGroups(db, TITLES.length);
  await db.transaction().execute(async (tx) => {
    for (const [i, group] of groups.entries()) {
      const seriesId = await createSeriesIn(tx, {
        pseudId: group.pseudId,
        input: {
          title: TITLES[i] ?? `Series ${i + 1}`,
          summary: `Stories of ${group.fandom}, to be read in order.`,
          notes: "",
        },
        now: opts.now,
      });
      for (const workId of group.workIds)
        await placeWorkIn(tx, { seriesId, workId, position: null, announce: false, now: opts.now });
    }
  });
  return groups.length;
}
