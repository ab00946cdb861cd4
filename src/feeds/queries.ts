/**
 * The SQL of feeds and the OPDS catalog: tag navigation by work count, a reader's bookmarks
 * and Marked for Later as acquisition lists, and the personal feed tokens. Every works query
 * goes through works/visibility.ts `listedTo`; adult works are left out by rating id when the
 * reader has not opted in.
 */
import type { Queryable } from "../core/db/index.ts";
import type { Tag, TagType, Work } from "../core/db/schema.ts";
import type { Viewer } from "../core/viewer.ts";
import { inSeriesTo, listedTo, listingRules } from "../works/visibility.ts";

export interface Page {
  number: number;
  size: number;
}

/**
 * Tags of these types with how many works `viewer` may see under each (folded: synonyms and
 * subtags count for their canonical tag), most works first.
 */
export async function tagsByWorkCount(
  db: Queryable,
  viewer: Viewer,
  opts: { types: readonly TagType[]; hideRatingIds: readonly number[]; page: Page },
): Promise<{ tag: Tag; works: number }[]> {
  const rules = listingRules(viewer);
  const rows = await db
    .selectFrom("work_filter_tags")
    .innerJoin("works", "works.id", "work_filter_tags.work_id")
    .innerJoin("tags", "tags.id", "work_filter_tags.tag_id")
    .where("tags.type", "in", opts.types)
    // Folded already (work_filter_tags holds canonical forms): no synonym is listed.
    .where("tags.merger_id", "is", null)
    .where(listedTo(viewer, rules))
    .$if(opts.hideRatingIds.length > 0, (q) =>
      q.where("works.rating_id", "not in", opts.hideRatingIds),
    )
    .groupBy("tags.id")
    .select((eb) => ["tags.id", eb.fn.countAll<number | string>().as("n")])
    .orderBy((eb) => eb.fn.countAll(), "desc")
    .orderBy("tags.id")
    .limit(opts.page.size)
    .offset((opts.page.number - 1) * opts.page.size)
    .execute();
  if (rows.length === 0) return [];
  const tags = await db
    .selectFrom("tags")
    .selectAll()
    .where(
      "id",
      "in",
      rows.map((r) => r.id),
    )
    .execute();
  const byId = new Map(tags.map((t) => [t.id, t]));
  return rows.flatMap((r) => {
    const tag = byId.get(r.id);
    return tag ? [{ tag, works: Number(r.n) }] : [];
  });
}

/**
 * The works a reader bookmarked, newest bookmark first, as the site lists their bookmarks:
 * works they may see, less their saved exclusions; private bookmarks too (their own list).
 */
export async function bookmarkedWorks(
  db: Queryable,
  viewer: Viewer & { user: { id: number } },
  opts: { hideRatingIds: readonly number[]; page: Page },
): Promise<{ works: Work[]; total: number }> {
  const q = db
    .selectFrom("bookmarks")
    .innerJoin("works", "works.id", "bookmarks.work_id")
    .where("bookmarks.user_id", "=", viewer.user.id)
    .where(listedTo(viewer, listingRules(viewer)))
    .$if(opts.hideRatingIds.length > 0, (qb) =>
      qb.where("works.rating_id", "not in", opts.hideRatingIds),
    );
  const [works, count] = await Promise.all([
    q
      .selectAll("works")
      .orderBy("bookmarks.created_at", "desc")
      .orderBy("bookmarks.id", "desc")
      .limit(opts.page.size)
      .offset((opts.page.number - 1) * opts.page.size)
      .execute(),
    q.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { works, total: Number(count.n) };
}

/**
 * The works a reader marked for later, most recently read first. As on their history page,
 * saved exclusions do not apply to their own list; drafts and hidden works never show.
 */
export async function markedForLaterWorks(
  db: Queryable,
  viewer: Viewer & { user: { id: number } },
  opts: { hideRatingIds: readonly number[]; page: Page },
): Promise<{ works: Work[]; total: number }> {
  const q = db
    .selectFrom("readings")
    .innerJoin("works", "works.id", "readings.work_id")
    .where("readings.user_id", "=", viewer.user.id)
    .where("readings.marked_for_later", "=", 1)
    .where(listedTo(viewer, listingRules(viewer, { exclusions: false })))
    .$if(opts.hideRatingIds.length > 0, (qb) =>
      qb.where("works.rating_id", "not in", opts.hideRatingIds),
    );
  const [works, count] = await Promise.all([
    q
      .selectAll("works")
      .orderBy("readings.last_read_at", "desc")
      .orderBy("readings.work_id", "desc")
      .limit(opts.page.size)
      .offset((opts.page.number - 1) * opts.page.size)
      .execute(),
    q.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { works, total: Number(count.n) };
}

/**
 * A series (issue 15) and its newest works `viewer` sees in it (works/visibility.ts
 * `inSeriesTo`), most recently updated first; undefined when there is no such series.
 */
export async function seriesFeedWorks(
  db: Queryable,
  viewer: Viewer,
  seriesId: number,
  limit: number,
): Promise<
  { series: { id: number; title: string; created_at: number }; works: Work[] } | undefined
> {
  const series = await db
    .selectFrom("series")
    .select(["id", "title", "created_at"])
    .where("id", "=", seriesId)
    .executeTakeFirst();
  if (!series) return undefined;
  const works = await db
    .selectFrom("series_works")
    .innerJoin("works", "works.id", "series_works.work_id")
    .selectAll("works")
    .where("series_works.series_id", "=", seriesId)
    .where(inSeriesTo(viewer))
    .orderBy(
      (eb) => eb.fn.coalesce("works.revised_at", "works.published_at", "works.created_at"),
      "desc",
    )
    .orderBy("works.id", "desc")
    .limit(limit)
    .execute();
  return { series, works };
}

/** The rating tags with these names (the adult ones), by id. */
export async function ratingIdsNamed(db: Queryable, names: readonly string[]): Promise<number[]> {
  if (names.length === 0) return [];
  const rows = await db
    .selectFrom("tags")
    .select("id")
    .where("type", "=", "rating")
    .where("name", "in", names)
    .execute();
  return rows.map((r) => r.id);
}

// ── Personal feed tokens ──────────────────────────────────────────────────────────────────

export function feedTokenOf(db: Queryable, userId: number) {
  return db
    .selectFrom("feed_tokens")
    .select(["token_hash", "created_at"])
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

/** The account a token hash opens (banned accounts open nothing). */
export function accountByFeedToken(db: Queryable, tokenHash: string) {
  return db
    .selectFrom("feed_tokens")
    .innerJoin("users", "users.id", "feed_tokens.user_id")
    .select([
      "users.id",
      "users.login",
      "users.roles",
      "users.view_adult",
      "users.suspended_until",
      "feed_tokens.created_at",
    ])
    .where("feed_tokens.token_hash", "=", tokenHash)
    .where("users.banned_at", "is", null)
    .executeTakeFirst();
}

/** Replaces the account's token (one per account): the old address stops working. */
export async function saveFeedToken(
  db: Queryable,
  userId: number,
  tokenHash: string,
  createdAt: number,
) {
  await db
    .insertInto("feed_tokens")
    .values({ user_id: userId, token_hash: tokenHash, created_at: createdAt })
    .onConflict((oc) =>
      oc.column("user_id").doUpdateSet({ token_hash: tokenHash, created_at: createdAt }),
    )
    .execute();
}
