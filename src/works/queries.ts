import type { Queryable } from "../core/db/index.ts";
import { prepared, preparedForIds, type Params } from "../core/db/prepared.ts";
import type { NewWork, Work } from "../core/db/schema.ts";
import { GUEST, type Viewer } from "../core/viewer.ts";
import { creditsKnownTo, listedTo } from "./visibility.ts";

export async function insertWork(db: Queryable, work: NewWork): Promise<number> {
  const row = await db.insertInto("works").values(work).returning("id").executeTakeFirstOrThrow();
  return row.id;
}

export function findWork(db: Queryable, id: number): Promise<Work | undefined> {
  return db.selectFrom("works").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function updateWork(db: Queryable, id: number, changes: Partial<NewWork>) {
  await db.updateTable("works").set(changes).where("id", "=", id).execute();
}

/** Writes derived counts; `bump` marks a change readers can see (export caches key on it). */
export async function setStats(
  db: Queryable,
  id: number,
  stats: Pick<NewWork, "chapter_count" | "word_count" | "complete" | "revised_at" | "edited_at">,
  bump: boolean,
) {
  await db
    .updateTable("works")
    .set((eb) => ({ ...stats, ...(bump ? { version: eb("version", "+", 1) } : {}) }))
    .where("id", "=", id)
    .execute();
}

/** The collection switches, with a new version (downloads show the byline). */
export async function setCollectionFlags(
  db: Queryable,
  id: number,
  flags: Pick<NewWork, "in_anon_collection" | "in_unrevealed_collection">,
) {
  await db
    .updateTable("works")
    .set((eb) => ({ ...flags, version: eb("version", "+", 1) }))
    .where("id", "=", id)
    .execute();
}

export async function deleteWork(db: Queryable, id: number) {
  await db.deleteFrom("works").where("id", "=", id).execute();
}

export async function addCreator(db: Queryable, workId: number, pseudId: number, position = 0) {
  await db
    .insertInto("creatorships")
    .values({ work_id: workId, pseud_id: pseudId, position })
    .execute();
}

/**
 * Credits `pseudId` in place of its user's other pseuds on the work (and on its chapters' own
 * creators), where they stood in the byline; co-creators stay (issue 15). True if it changed.
 */
export async function swapOwnPseud(db: Queryable, workId: number, pseudId: number) {
  const pseud = await db
    .selectFrom("pseuds")
    .select("user_id")
    .where("id", "=", pseudId)
    .executeTakeFirstOrThrow();
  const own = await db
    .selectFrom("creatorships")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .select(["creatorships.pseud_id", "creatorships.position"])
    .where("creatorships.work_id", "=", workId)
    .where("pseuds.user_id", "=", pseud.user_id)
    .execute();
  if (own.length === 1 && own[0]!.pseud_id === pseudId) return false;
  const others = own.map((c) => c.pseud_id).filter((id) => id !== pseudId);
  const chapters = db.selectFrom("chapters").select("id").where("work_id", "=", workId);
  const chapterRows = others.length
    ? await db
        .selectFrom("chapter_creatorships")
        .select(["chapter_id", "position"])
        .distinct()
        .where("chapter_id", "in", chapters)
        .where("pseud_id", "in", others)
        .execute()
    : [];
  if (others.length) {
    await db
      .deleteFrom("creatorships")
      .where("work_id", "=", workId)
      .where("pseud_id", "in", others)
      .execute();
    await db
      .deleteFrom("chapter_creatorships")
      .where("chapter_id", "in", chapters)
      .where("pseud_id", "in", others)
      .execute();
  }
  if (!own.some((c) => c.pseud_id === pseudId))
    await addCreator(db, workId, pseudId, own.length ? Math.min(...own.map((c) => c.position)) : 0);
  for (const row of chapterRows)
    await db
      .insertInto("chapter_creatorships")
      .values({ chapter_id: row.chapter_id, pseud_id: pseudId, position: row.position })
      .onConflict((oc) => oc.columns(["chapter_id", "pseud_id"]).doNothing())
      .execute();
  return true;
}

export interface Creator {
  workId: number;
  pseudId: number;
  pseudName: string;
  userId: number;
  login: string;
}

/** Creators of many works at once, in byline order. */
/** Built once per list length (core/db/prepared.ts): listings ask for every page's works. */
const creatorsOfWorksQuery = preparedForIds((db, workIds) =>
  db
    .selectFrom("creatorships")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .innerJoin("users", "users.id", "pseuds.user_id")
    .select([
      "creatorships.work_id as workId",
      "pseuds.id as pseudId",
      "pseuds.name as pseudName",
      "users.id as userId",
      "users.login as login",
    ])
    .where("creatorships.work_id", "in", workIds)
    .orderBy("creatorships.work_id")
    .orderBy("creatorships.position"),
);

export async function creatorsOfWorks(db: Queryable, workIds: readonly number[]) {
  const byWork = new Map<number, Creator[]>();
  if (workIds.length === 0) return byWork;
  const rows = await creatorsOfWorksQuery(db, workIds);
  for (const row of rows) {
    const list = byWork.get(row.workId) ?? [];
    list.push(row);
    byWork.set(row.workId, list);
  }
  return byWork;
}

/** Which of a work's optional parts exist, so a page asks only for those (most have none). */
export interface WorkParts {
  series: boolean;
  gifts: boolean;
  /** Related works naming it, or named by it. */
  related: boolean;
  /** Chapters with creators of their own (works/creators). */
  chapterCreators: boolean;
}

/**
 * The work, its creators (in byline order) and which optional parts it has, in one
 * statement: a row per creator, the work's columns on each. Built once (core/db/prepared.ts).
 */
const workWithCreators = prepared((db, p: Params<{ id: number }>) =>
  db
    .selectFrom("works")
    .leftJoin("creatorships", "creatorships.work_id", "works.id")
    .leftJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .leftJoin("users", "users.id", "pseuds.user_id")
    .selectAll("works")
    .select((eb) => [
      "pseuds.id as creatorPseudId",
      "pseuds.name as creatorPseudName",
      "users.id as creatorUserId",
      "users.login as creatorLogin",
      eb
        .exists(
          eb
            .selectFrom("series_works")
            .select("series_works.work_id")
            .whereRef("series_works.work_id", "=", "works.id"),
        )
        .as("hasSeries"),
      eb
        .exists(
          eb.selectFrom("gifts").select("gifts.id").whereRef("gifts.work_id", "=", "works.id"),
        )
        .as("hasGifts"),
      eb
        .or([
          eb.exists(
            eb
              .selectFrom("related_works")
              .select("related_works.id")
              .whereRef("related_works.work_id", "=", "works.id"),
          ),
          eb.exists(
            eb
              .selectFrom("related_works")
              .select("related_works.id")
              .whereRef("related_works.parent_work_id", "=", "works.id"),
          ),
        ])
        .as("hasRelated"),
      eb
        .exists(
          eb
            .selectFrom("chapter_creatorships")
            .innerJoin("chapters", "chapters.id", "chapter_creatorships.chapter_id")
            .select("chapters.id")
            .whereRef("chapters.work_id", "=", "works.id"),
        )
        .as("hasChapterCreators"),
    ])
    .where("works.id", "=", p("id"))
    .orderBy("creatorships.position"),
);

/** One work for its pages: the row, its creators and its parts; undefined when there is none. */
export async function findWorkForPage(
  db: Queryable,
  id: number,
): Promise<{ work: Work; creators: Creator[]; parts: WorkParts } | undefined> {
  const rows = await workWithCreators.execute(db, { id });
  const first = rows[0];
  if (!first) return undefined;
  const {
    creatorPseudId: _pseudId,
    creatorPseudName: _pseudName,
    creatorUserId: _userId,
    creatorLogin: _login,
    hasSeries,
    hasGifts,
    hasRelated,
    hasChapterCreators,
    ...work
  } = first;
  const creators: Creator[] = [];
  for (const r of rows)
    if (r.creatorPseudId !== null && r.creatorUserId !== null)
      creators.push({
        workId: id,
        pseudId: r.creatorPseudId,
        pseudName: r.creatorPseudName ?? "",
        userId: r.creatorUserId,
        login: r.creatorLogin ?? "",
      });
  // SQLite answers 0/1, PostgreSQL booleans.
  const parts = {
    series: Boolean(hasSeries),
    gifts: Boolean(hasGifts),
    related: Boolean(hasRelated),
    chapterCreators: Boolean(hasChapterCreators),
  };
  return { work, creators, parts };
}

export type WorkScope =
  | { kind: "all" }
  | { kind: "tag"; tagId: number }
  | { kind: "user"; userId: number }
  | { kind: "pseud"; pseudId: number }
  | { kind: "drafts"; userId: number }
  /** A creator's own posted works that a moderator hid (only they and moderators see these). */
  | { kind: "hidden"; userId: number }
  /** A creator's own posted works waiting for a collection's reveal (issue 15; only they see these). */
  | { kind: "unrevealed"; userId: number };

/**
 * One page of works in a scope, newest first (ties broken by id), with the total. Every
 * listing goes through here, and through `listedTo()` for what the viewer may see.
 */
export async function listWorks(
  db: Queryable,
  viewer: Viewer,
  scope: WorkScope,
  page: { number: number; size: number },
): Promise<{ works: Work[]; total: number }> {
  const q = db
    .selectFrom("works")
    .where((eb) =>
      scope.kind === "drafts"
        ? eb("works.posted", "=", 0)
        : scope.kind === "hidden"
          ? eb.and([eb("works.posted", "=", 1), eb("works.hidden_reason", "is not", null)])
          : scope.kind === "unrevealed"
            ? eb.and([
                eb("works.posted", "=", 1),
                // A hidden one is in the hidden list, which says why.
                eb("works.hidden_reason", "is", null),
                eb("works.in_unrevealed_collection", "=", 1),
              ])
            : listedTo(viewer)(eb),
    )
    // Works by someone: an anonymous work only for its own creators (issue 15).
    .$if(scope.kind === "user" || scope.kind === "pseud", (q) => q.where(creditsKnownTo(viewer)))
    .where((eb) => {
      switch (scope.kind) {
        case "all":
          return eb.lit(true);
        case "tag":
          // Through the folded set: synonyms and subtags count as the tag.
          return eb.exists(
            eb
              .selectFrom("work_filter_tags")
              .select("work_filter_tags.work_id")
              .whereRef("work_filter_tags.work_id", "=", "works.id")
              .where("work_filter_tags.tag_id", "=", scope.tagId),
          );
        case "pseud":
          return eb.exists(
            eb
              .selectFrom("creatorships")
              .select("creatorships.work_id")
              .whereRef("creatorships.work_id", "=", "works.id")
              .where("creatorships.pseud_id", "=", scope.pseudId),
          );
        case "user":
        case "drafts":
        case "hidden":
        case "unrevealed":
          return eb.exists(
            eb
              .selectFrom("creatorships")
              .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
              .select("creatorships.work_id")
              .whereRef("creatorships.work_id", "=", "works.id")
              .where("pseuds.user_id", "=", scope.userId),
          );
      }
    });
  const [works, count] = await Promise.all([
    q
      .selectAll("works")
      .orderBy(scope.kind === "drafts" ? "works.edited_at" : "works.revised_at", "desc")
      .orderBy("works.id", "desc")
      .limit(page.size)
      .offset((page.number - 1) * page.size)
      .execute(),
    q.select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { works, total: Number(count.n) };
}

/**
 * Ids of works (drafts included) credited to any of these users, or to one pseud. Anonymous
 * works are left out unless `viewer` is one of their creators (works/visibility.ts
 * `creditsKnownTo`): a "works by" listing must not name them, nor a mute hide them.
 */
export async function workIdsBy(
  db: Queryable,
  who: { userIds: readonly number[] } | { pseudId: number },
  viewer: Viewer = GUEST,
): Promise<number[]> {
  if ("userIds" in who && who.userIds.length === 0) return [];
  const rows = await db
    .selectFrom("creatorships")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .innerJoin("works", "works.id", "creatorships.work_id")
    .select("creatorships.work_id")
    .distinct()
    .where((eb) =>
      "userIds" in who
        ? eb("pseuds.user_id", "in", who.userIds)
        : eb("creatorships.pseud_id", "=", who.pseudId),
    )
    .where(creditsKnownTo(viewer))
    .execute();
  return rows.map((r) => r.work_id);
}

/** Whether any of the user's pseuds is credited on the work. */
export async function isCreatorOf(db: Queryable, userId: number, workId: number): Promise<boolean> {
  const row = await db
    .selectFrom("creatorships")
    .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
    .select("creatorships.work_id")
    .where("creatorships.work_id", "=", workId)
    .where("pseuds.user_id", "=", userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** How many works each tag's folded set reaches, counting only what `viewer` may see. */
export async function visibleWorkCounts(db: Queryable, viewer: Viewer, tagIds: readonly number[]) {
  const counts = new Map<number, number>();
  if (tagIds.length === 0) return counts;
  const rows = await db
    .selectFrom("work_filter_tags")
    .innerJoin("works", "works.id", "work_filter_tags.work_id")
    .select((eb) => ["work_filter_tags.tag_id", eb.fn.countAll<number | string>().as("n")])
    .where("work_filter_tags.tag_id", "in", tagIds)
    .where(listedTo(viewer))
    .groupBy("work_filter_tags.tag_id")
    .execute();
  for (const r of rows) counts.set(r.tag_id, Number(r.n));
  return counts;
}

/** Works by id, in the order of `ids` (missing ones left out). */
const worksByIdsQuery = preparedForIds((db, ids) =>
  db.selectFrom("works").selectAll().where("id", "in", ids),
);

export async function worksByIds(db: Queryable, ids: readonly number[]): Promise<Work[]> {
  if (ids.length === 0) return [];
  const rows = await worksByIdsQuery(db, ids);
  const byId = new Map(rows.map((w) => [w.id, w]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
