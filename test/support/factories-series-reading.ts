/**
 * Series for the reader-side tests of issue 15 (subscriptions, bookmarks, filters, the feed):
 * rows written straight into the groundwork tables, so these tests need nothing of the series
 * pages and commands (works/series/).
 */
import type { Db } from "../../src/core/db/index.ts";
import { SANITIZER_VERSION, type SanitizedHtml } from "../../src/core/text/sanitize.ts";
import { createSeriesBookmark } from "../../src/engagement/bookmarks/commands.ts";
import { BookmarkInput } from "../../src/engagement/bookmarks/schemas.ts";
import type { FactoryUser } from "./factories.ts";

let seq = 0;

/** A series credited to `pseudId` holding `workIds` in that order (Part 1, 2, …). */
export async function buildSeries(
  db: Db,
  args: {
    pseudId: number;
    title?: string;
    workIds?: readonly number[];
    summary?: string;
    now?: number;
  },
): Promise<{ seriesId: number; title: string }> {
  seq += 1;
  const title = args.title ?? `Series ${seq}`;
  const now = args.now ?? Date.now();
  const row = await db
    .insertInto("series")
    .values({
      title,
      summary_html: (args.summary ? `<p>${args.summary}</p>` : "") as SanitizedHtml,
      sanitizer_version: SANITIZER_VERSION,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("series_creatorships")
    .values({ series_id: row.id, pseud_id: args.pseudId, position: 0 })
    .execute();
  for (const workId of args.workIds ?? []) await addToSeries(db, row.id, workId);
  return { seriesId: row.id, title };
}

/** Adds a work as the series' next part. */
export async function addToSeries(db: Db, seriesId: number, workId: number): Promise<void> {
  const last = await db
    .selectFrom("series_works")
    .select((eb) => eb.fn.max("position").as("p"))
    .where("series_id", "=", seriesId)
    .executeTakeFirst();
  await db
    .insertInto("series_works")
    .values({ series_id: seriesId, work_id: workId, position: Number(last?.p ?? 0) + 1 })
    .execute();
}

/** Bookmarks a series through `createSeriesBookmark`, parsing the fields the form sends. */
export async function buildSeriesBookmark(
  db: Db,
  seriesId: number,
  by: FactoryUser,
  fields: Record<string, string> = {},
  now = Date.now(),
): Promise<number> {
  const input = BookmarkInput.parse({ notes: "", tags: "", ...fields });
  const result = await createSeriesBookmark(db, {
    userId: by.id,
    seriesId,
    pseudId: by.pseudId,
    input,
    now,
  });
  if (!result.ok) throw new Error(`The series bookmark: ${JSON.stringify(result.errors)}`);
  return result.value.id;
}
