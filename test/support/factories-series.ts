/** Series factories (issue 15): series built through the series commands, as the work form does. */
import type { Db } from "../../src/core/db/index.ts";
import { setCollectionFlagsIn } from "../../src/works/commands.ts";
import { createSeriesIn, placeWorkIn } from "../../src/works/series/commands.ts";

let seq = 0;

/** A series credited to `pseudId`, with `workIds` as its parts 1..n in that order. */
export async function buildSeries(
  db: Db,
  args: {
    pseudId: number;
    workIds?: readonly number[];
    title?: string;
    summary?: string;
    notes?: string;
    now?: number;
  },
): Promise<number> {
  seq += 1;
  const now = args.now ?? Date.now();
  return db.transaction().execute(async (tx) => {
    const seriesId = await createSeriesIn(tx, {
      pseudId: args.pseudId,
      input: {
        title: args.title ?? `Series ${seq}`,
        summary: args.summary ?? "",
        notes: args.notes ?? "",
      },
      now,
    });
    for (const workId of args.workIds ?? [])
      await placeWorkIn(tx, { seriesId, workId, position: null, announce: false, now });
    return seriesId;
  });
}

/** Sets a work's collection switches as collections/ would (works/commands.ts). */
export async function setWorkFlags(
  db: Db,
  workId: number,
  flags: { anonymous?: boolean; unrevealed?: boolean },
  now = Date.now(),
) {
  await db
    .transaction()
    .execute((tx) =>
      setCollectionFlagsIn(
        tx,
        workId,
        { anonymous: flags.anonymous ?? false, unrevealed: flags.unrevealed ?? false },
        now,
      ),
    );
}

/** Each work's part in the series, in order (whoever may see them). */
export async function partsOf(db: Db, seriesId: number) {
  const rows = await db
    .selectFrom("series_works")
    .select(["work_id", "position"])
    .where("series_id", "=", seriesId)
    .orderBy("position")
    .execute();
  return rows.map((r) => [r.work_id, r.position] as const);
}
