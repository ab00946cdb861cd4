/**
 * Every write to works and chapters: one transaction each, steps as plain calls. Handlers,
 * the demo generator, importers and the CLI all come through here.
 *
 * Each command that changes what a work looks like records it in the change log
 * (`recordChanges`) next to its writes: the browse catalog and the text index follow that log.
 */
import { recordChanges } from "../core/db/changes.ts";
import type { Db, Queryable } from "../core/db/index.ts";
import { inTransaction, ok, refuse, rollback, type Result } from "../core/result.ts";
import { holdFirstWorkIfSpam } from "../core/spam-queries.ts";
import { enqueue } from "../core/jobs/kinds.ts";
import type { Tag, Work } from "../core/db/schema.ts";
import { chapterColumns, derivedStats, metaColumns } from "./columns.ts";
import { USER_TAG_TYPES, withArticle } from "../tags/fixed.ts";
import { findOrCreateTags, findTagsByKeys, linkTagsToWork, tagsOfWorks } from "../tags/queries.ts";
import { tagKey } from "../tags/names.ts";
import { forgetWorkTags, workSeenByChanged } from "../tags/count-queries.ts";
import * as chaptersQ from "./chapter-queries.ts";
import { bylineOf } from "./present.ts";
import * as worksQ from "./queries.ts";
import { seenBy } from "./visibility.ts";
import { leaveEverySeriesIn } from "./series/commands.ts";
import type { ChapterInput, NewWorkInput, WorkMetaInput } from "./schemas.ts";

/**
 * Tells other domains (subscriptions) that readers can now see a new work or chapter, through
 * the job queue, in the posting transaction. Only the single-work commands publish: bulk
 * loaders call the `…In` steps directly and announce nothing.
 */
async function publishPosted(
  tx: Queryable,
  event: { workId: number; chapterId?: number },
  now: number,
): Promise<void> {
  const { workId, chapterId } = event;
  if (chapterId === undefined) await enqueue(tx, { kind: "work.posted", payload: { workId } }, now);
  else await enqueue(tx, { kind: "chapter.posted", payload: { workId, chapterId } }, now);
}

/**
 * A new account's first work that scores as spam is held for a moderator when it is posted
 * (core/spam-queries.ts): hidden, out of tag counts and not announced until released. True
 * when held.
 */
async function heldAsSpam(tx: Queryable, workId: number, now: number): Promise<boolean> {
  const work = await worksQ.findWork(tx, workId);
  if (!work || !(await holdFirstWorkIfSpam(tx, { workId, now }))) return false;
  await workSeenByChanged(tx, workId, seenBy(work), "nobody");
  return true;
}

const FIELD_OF: Record<(typeof USER_TAG_TYPES)[number], keyof WorkMetaInput> = {
  fandom: "fandoms",
  relationship: "relationships",
  character: "characters",
  freeform: "freeforms",
};

/** Finds or creates every tag of the form, in display order; refuses names used as another type. */
async function resolveTags(
  tx: Queryable,
  meta: WorkMetaInput,
  now: number,
): Promise<Result<{ tagIds: number[]; ratingId: number }>> {
  const fixedNames = [meta.rating, ...meta.warnings, ...meta.categories];
  const fixed = new Map(
    (await findTagsByKeys(tx, fixedNames.map(tagKey))).map((t) => [t.name_key, t]),
  );
  const rating = fixed.get(tagKey(meta.rating));
  if (!rating) throw new Error("Fixed tags are missing: run migrations and ensureFixedTags()");
  const ids = fixedNames
    .map((n) => fixed.get(tagKey(n))?.id)
    .filter((id): id is number => id !== undefined);
  const errors: Record<string, string> = {};
  for (const type of USER_TAG_TYPES) {
    const field = FIELD_OF[type];
    const tags: Tag[] = await findOrCreateTags(tx, type, meta[field] as string[], now);
    const misfit = tags.find((t) => t.type !== type);
    if (misfit) {
      errors[field] =
        `"${misfit.name}" is already used as ${withArticle(misfit.type)}, so it can't be ${withArticle(type)} too.`;
    }
    ids.push(...tags.map((t) => t.id));
  }
  if (Object.keys(errors).length) return refuse(422, errors);
  return ok({ tagIds: ids, ratingId: rating.id });
}

/** Sets counts, completeness and the revised date from the posted chapters. */
async function refreshWorkStats(tx: Queryable, workId: number, now: number, bump = true) {
  const work = await worksQ.findWork(tx, workId);
  if (!work) return;
  const stats = await chaptersQ.chapterStats(tx, workId);
  await worksQ.setStats(tx, workId, { ...derivedStats(work, stats), edited_at: now }, bump);
}

function expectedChapters(meta: WorkMetaInput, postedChapters: number): Result<number | null> {
  if (meta.complete) return ok(Math.max(postedChapters, 1));
  if (meta.expected_chapters !== null && meta.expected_chapters < postedChapters) {
    return refuse(
      422,
      `This work already has ${postedChapters} posted chapters; expect at least that many.`,
      "expected_chapters",
    );
  }
  return ok(meta.expected_chapters);
}

/**
 * Saves what the form associates with the work (works/associations.ts) in the work's own
 * transaction; a refusal rolls the whole save back.
 */
export type Associate = (tx: Queryable, workId: number) => Promise<Result>;

export interface PostWorkArgs {
  pseudId: number;
  input: NewWorkInput;
  now: number;
  associate?: Associate | undefined;
}

/**
 * Whether readers can see the posted work now: not when held as spam, nor while it waits for
 * an unrevealed collection's reveal (collections/ announces it then, as `work.revealed`).
 */
async function announceable(tx: Queryable, workId: number, now: number): Promise<boolean> {
  if (await heldAsSpam(tx, workId, now)) return false;
  const work = await worksQ.findWork(tx, workId);
  return work !== undefined && work.in_unrevealed_collection === 0;
}

/** Posts (or saves as a draft) a new work with its first chapter, credited to one pseud. */
export async function postWork(
  db: Db,
  args: PostWorkArgs,
): Promise<Result<{ workId: number; chapterId: number }>> {
  const expected = expectedChapters(args.input, 1);
  if (!expected.ok) return expected;
  return inTransaction(db, async (tx) => {
    const result = await postWorkIn(tx, args);
    if (!result.ok) return result;
    const { workId } = result.value;
    if (args.associate) {
      const associated = await args.associate(tx, workId);
      if (!associated.ok) return rollback(associated);
    }
    if (args.input.action === "post" && (await announceable(tx, workId, args.now)))
      await publishPosted(tx, { workId }, args.now);
    return result;
  });
}

/**
 * The steps of posting, inside a transaction the caller owns (bulk loaders post many works
 * per transaction). Refuses by throwing (`rollback`), so the caller's transaction rolls back.
 */
export async function postWorkIn(
  tx: Queryable,
  args: PostWorkArgs,
): Promise<Result<{ workId: number; chapterId: number }>> {
  const { input, now, pseudId } = args;
  const posted = input.action === "post";
  const expected = expectedChapters(input, 1);
  if (!expected.ok) return rollback(expected);
  const tags = await resolveTags(tx, input, now);
  if (!tags.ok) return rollback(tags);
  const workId = await worksQ.insertWork(tx, {
    ...metaColumns(input, input.text_format),
    expected_chapters: expected.value,
    rating_id: tags.value.ratingId,
    posted: posted ? 1 : 0,
    published_at: posted ? now : null,
    revised_at: posted ? now : null,
    created_at: now,
    edited_at: now,
  });
  await worksQ.addCreator(tx, workId, pseudId);
  const chapterId = await chaptersQ.insertChapter(tx, {
    // The work's summary and notes belong to the work, not to its first chapter.
    ...chapterColumns({
      chapter_title: input.chapter_title,
      text: input.text,
      text_format: input.text_format,
    }),
    work_id: workId,
    position: 1,
    // In a draft work the first chapter is ready to go live with the work.
    posted: 1,
    published_at: posted ? now : null,
    created_at: now,
    edited_at: now,
  });
  const seen = seenBy({ posted: posted ? 1 : 0, restricted: metaColumns(input).restricted });
  await linkTagsToWork(tx, workId, tags.value.tagIds, { was: "nobody", now: seen });
  await refreshWorkStats(tx, workId, now, false);
  await recordChanges(tx, "work", [workId], now);
  return ok({ workId, chapterId });
}

/** A chapter an import brings beyond the first: its title and sanitized HTML. */
export interface ImportedChapterText {
  title: string;
  html: string;
}

/**
 * Posts (or saves as a draft) a new work with all its chapters at once, as an import does: one
 * transaction, so a refused chapter leaves nothing behind, and one announcement for the work.
 * `input` carries the metadata and the first chapter; `moreChapters` the rest, in order.
 */
export async function postWorkWithChapters(
  db: Db,
  args: PostWorkArgs & { moreChapters: readonly ImportedChapterText[] },
): Promise<Result<{ workId: number; chapterIds: number[] }>> {
  const total = 1 + args.moreChapters.length;
  const expected = expectedChapters(args.input, total);
  if (!expected.ok) return expected;
  return inTransaction(db, async (tx) => {
    const first = await postWorkIn(tx, args);
    if (!first.ok) return first;
    const { workId } = first.value;
    const chapterIds = [first.value.chapterId];
    for (const chapter of args.moreChapters) {
      const added = await addChapterIn(tx, {
        workId,
        input: {
          chapter_title: chapter.title,
          text: chapter.html,
          text_format: "html",
          summary: "",
          notes: "",
          end_notes: "",
          action: "post",
        },
        now: args.now,
      });
      if (!added.ok) return rollback(added);
      chapterIds.push(added.value.chapterId);
    }
    if (args.associate) {
      const associated = await args.associate(tx, workId);
      if (!associated.ok) return rollback(associated);
    }
    if (args.input.action === "post" && (await announceable(tx, workId, args.now)))
      await publishPosted(tx, { workId }, args.now);
    return ok({ workId, chapterIds });
  });
}

export async function editWork(
  db: Db,
  args: {
    workId: number;
    pseudId?: number | undefined;
    input: WorkMetaInput;
    now: number;
    associate?: Associate | undefined;
  },
): Promise<Result> {
  const { workId, input, now } = args;
  return inTransaction(db, async (tx) => {
    const stats = await chaptersQ.chapterStats(tx, workId);
    const expected = expectedChapters(input, stats.count);
    if (!expected.ok) return expected;
    const tags = await resolveTags(tx, input, now);
    if (!tags.ok) return tags;
    const before = await worksQ.findWork(tx, workId);
    const columns = metaColumns(input);
    await worksQ.updateWork(tx, workId, {
      ...columns,
      expected_chapters: expected.value,
      rating_id: tags.value.ratingId,
    });
    // Only the editor's own pseud changes: co-creators keep their credit (issue 15).
    if (args.pseudId !== undefined) await worksQ.swapOwnPseud(tx, workId, args.pseudId);
    await linkTagsToWork(tx, workId, tags.value.tagIds, {
      was: before ? seenBy(before) : "nobody",
      now: seenBy({
        posted: before?.posted ?? 0,
        restricted: columns.restricted,
        hidden_reason: before?.hidden_reason ?? null,
        in_unrevealed_collection: before?.in_unrevealed_collection ?? 0,
      }),
    });
    if (args.associate) {
      const associated = await args.associate(tx, workId);
      if (!associated.ok) return rollback(associated);
    }
    await refreshWorkStats(tx, workId, now);
    await recordChanges(tx, "work", [workId], now);
    return ok();
  });
}

/** Makes a draft work public, with the chapters that were ready. */
export async function postDraftWork(
  db: Db,
  args: { workId: number; now: number },
): Promise<Result> {
  const { workId, now } = args;
  return inTransaction(db, async (tx) => {
    const work = await worksQ.findWork(tx, workId);
    if (!work) return refuse(404, "That work no longer exists.");
    // Already posted (a second click): nothing left to do.
    if (work.posted) return ok();
    await worksQ.updateWork(tx, workId, { posted: 1, published_at: now });
    await workSeenByChanged(tx, workId, seenBy(work), seenBy({ ...work, posted: 1 }));
    await chaptersQ.publishPostedChapters(tx, workId, now);
    await refreshWorkStats(tx, workId, now);
    await recordChanges(tx, "work", [workId], now);
    if (await announceable(tx, workId, now)) await publishPosted(tx, { workId }, now);
    return ok();
  });
}

/**
 * Sets a work's two collection switches, which collections/ derives from the work's items
 * (works know nothing of collections). Bylines, listings, tag counts, the catalog and the
 * download cache (through the version) follow; a posted work that readers see for the first
 * time is announced as `work.revealed`. Inside the caller's transaction.
 */
export async function setCollectionFlagsIn(
  tx: Queryable,
  workId: number,
  flags: { anonymous: boolean; unrevealed: boolean },
  now: number,
): Promise<void> {
  const work = await worksQ.findWork(tx, workId);
  if (!work) return;
  const next = {
    in_anon_collection: flags.anonymous ? 1 : 0,
    in_unrevealed_collection: flags.unrevealed ? 1 : 0,
  } as const;
  if (
    work.in_anon_collection === next.in_anon_collection &&
    work.in_unrevealed_collection === next.in_unrevealed_collection
  )
    return;
  await worksQ.setCollectionFlags(tx, workId, next);
  await workSeenByChanged(tx, workId, seenBy(work), seenBy({ ...work, ...next }));
  await recordChanges(tx, "work", [workId], now);
  const revealed = work.in_unrevealed_collection === 1 && next.in_unrevealed_collection === 0;
  if (revealed && work.posted && work.hidden_reason === null)
    await enqueue(tx, { kind: "work.revealed", payload: { workId } }, now);
}

/** The `work.deleted` event: what was known of the work, for what readers keep (bookmarks). */
async function deletedWorkEvent(tx: Queryable, workId: number, work: Work | undefined) {
  if (!work) return { workId };
  const [creators, tags] = await Promise.all([
    worksQ.creatorsOfWorks(tx, [workId]),
    tagsOfWorks(tx, [workId]),
  ]);
  return {
    workId,
    title: work.title,
    // What bookmarks keep is shown to their readers: "Anonymous" while it was anonymous.
    creators: bylineOf(work, creators.get(workId) ?? []).map((c) => c.name),
    fandoms: (tags.get(workId) ?? []).filter((t) => t.type === "fandom").map((t) => t.name),
    words: work.word_count,
    restricted: work.restricted === 1,
  };
}

export async function deleteWork(db: Db, args: { workId: number; now: number }): Promise<Result> {
  return inTransaction(db, (tx) => deleteWorkIn(tx, args));
}

/** Deleting a work inside a transaction the caller owns (closing an account deletes several). */
export async function deleteWorkIn(
  tx: Queryable,
  args: { workId: number; now: number },
): Promise<Result> {
  const { workId, now } = args;
  // Tag links, creatorships and chapters go with the work (ON DELETE CASCADE), and so does
  // what readers attached to it; what only names it (subscriptions, bookmarks) hears of it
  // by a job, which carries what the work was.
  const work = await worksQ.findWork(tx, workId);
  const event = await deletedWorkEvent(tx, workId, work);
  if (work) await forgetWorkTags(tx, workId, seenBy(work));
  // Its series stay and close the gap it leaves (parts stay 1..n).
  await leaveEverySeriesIn(tx, workId, now);
  await worksQ.deleteWork(tx, workId);
  await recordChanges(tx, "work", [workId], now);
  await enqueue(tx, { kind: "work.deleted", payload: event }, now);
  return ok();
}

/** A chapter form's fields; without a position a new chapter goes last, an edited one stays. */
type ChapterFields = Omit<ChapterInput, "position"> & { position?: number | null };

/**
 * Where a chapter asked for `wanted` goes among `count`, as AO3 does it: a number past the
 * end puts it last, zero or less (or a non-number, read as 0) first.
 */
export const clampPosition = (wanted: number, count: number) =>
  Math.min(Math.max(wanted, 1), Math.max(count, 1));

/** `ids` (in chapter order) with `id` moved to `position` (1-based, clamped). */
function movedTo(ids: readonly number[], id: number, position: number): number[] {
  const rest = ids.filter((other) => other !== id);
  rest.splice(clampPosition(position, ids.length) - 1, 0, id);
  return rest;
}

export interface AddChapterArgs {
  workId: number;
  input: ChapterFields;
  now: number;
  /** What the chapter form adds (co-creator invitations), in the chapter's transaction. */
  associate?: ((tx: Queryable, chapterId: number) => Promise<Result>) | undefined;
}

export async function addChapter(
  db: Db,
  args: AddChapterArgs,
): Promise<Result<{ chapterId: number }>> {
  return inTransaction(db, async (tx) => {
    const result = await addChapterIn(tx, args);
    if (result.ok && args.associate) {
      const associated = await args.associate(tx, result.value.chapterId);
      if (!associated.ok) return rollback(associated);
    }
    if (result.ok && args.input.action === "post") {
      const work = await worksQ.findWork(tx, args.workId);
      if (work?.posted)
        await publishPosted(
          tx,
          { workId: args.workId, chapterId: result.value.chapterId },
          args.now,
        );
    }
    return result;
  });
}

/** Adding a chapter inside a transaction the caller owns. */
export async function addChapterIn(
  tx: Queryable,
  args: AddChapterArgs,
): Promise<Result<{ chapterId: number }>> {
  const { workId, input, now } = args;
  const work = await worksQ.findWork(tx, workId);
  if (!work) return refuse(404, "That work no longer exists.");
  const index = await chaptersQ.chapterIndex(tx, workId);
  const posted = input.action === "post";
  const chapterId = await chaptersQ.insertChapter(tx, {
    ...chapterColumns(input),
    work_id: workId,
    position: index.length + 1,
    posted: posted ? 1 : 0,
    published_at: posted && work.posted ? now : null,
    created_at: now,
    edited_at: now,
  });
  const wanted = input.position ?? null;
  if (wanted !== null && clampPosition(wanted, index.length + 1) <= index.length) {
    const ids = [...index.map((c) => c.id), chapterId];
    await chaptersQ.setPositions(tx, workId, movedTo(ids, chapterId, wanted));
  }
  // A new chapter beyond the expected count means the work is longer than planned.
  if (posted && work.expected_chapters !== null) {
    const postedCount = index.filter((c) => c.posted).length + 1;
    if (postedCount > work.expected_chapters) {
      await worksQ.updateWork(tx, workId, { expected_chapters: postedCount });
    }
  }
  await refreshWorkStats(tx, workId, now);
  await recordChanges(tx, "work", [workId], now);
  return ok({ chapterId });
}

export async function editChapter(
  db: Db,
  args: {
    workId: number;
    chapterId: number;
    input: ChapterFields;
    now: number;
    associate?: AddChapterArgs["associate"];
  },
): Promise<Result> {
  const { workId, chapterId, input, now } = args;
  const columns = chapterColumns(input);
  return inTransaction(db, async (tx) => {
    const work = await worksQ.findWork(tx, workId);
    const chapter = await chaptersQ.findChapter(tx, workId, chapterId);
    if (!work || !chapter) return refuse(404, "That chapter no longer exists.");
    const postNow = !chapter.posted && input.action === "post";
    await chaptersQ.updateChapter(tx, chapter, {
      ...columns,
      edited_at: now,
      ...(postNow ? { posted: 1, published_at: work.posted ? now : null } : {}),
    });
    const wanted = input.position ?? null;
    if (wanted !== null) {
      const ids = (await chaptersQ.chapterIndex(tx, workId)).map((c) => c.id);
      if (clampPosition(wanted, ids.length) !== ids.indexOf(chapterId) + 1)
        await chaptersQ.setPositions(tx, workId, movedTo(ids, chapterId, wanted));
    }
    if (args.associate) {
      const associated = await args.associate(tx, chapterId);
      if (!associated.ok) return rollback(associated);
    }
    await refreshWorkStats(tx, workId, now);
    await recordChanges(tx, "work", [workId], now);
    if (postNow && work.posted) await publishPosted(tx, { workId, chapterId }, now);
    return ok();
  });
}

export async function postDraftChapter(
  db: Db,
  args: { workId: number; chapterId: number; now: number },
): Promise<Result> {
  const { workId, chapterId, now } = args;
  return inTransaction(db, async (tx) => {
    const work = await worksQ.findWork(tx, workId);
    const chapter = await chaptersQ.findChapter(tx, workId, chapterId);
    if (!work || !chapter) return refuse(404, "That chapter no longer exists.");
    // Already posted (a second click): nothing left to do.
    if (chapter.posted) return ok();
    await chaptersQ.updateChapter(tx, chapter, {
      posted: 1,
      published_at: work.posted ? now : null,
    });
    await refreshWorkStats(tx, workId, now);
    await recordChanges(tx, "work", [workId], now);
    if (work.posted) await publishPosted(tx, { workId, chapterId }, now);
    return ok();
  });
}

export async function deleteChapter(
  db: Db,
  args: { workId: number; chapterId: number; now: number },
): Promise<Result> {
  const { workId, chapterId, now } = args;
  return inTransaction(db, async (tx) => {
    const work = await worksQ.findWork(tx, workId);
    const index = await chaptersQ.chapterIndex(tx, workId);
    const target = index.find((c) => c.id === chapterId);
    if (!work || !target) return refuse(404, "That chapter no longer exists.");
    if (index.length === 1)
      return refuse(422, "A work needs at least one chapter. Delete the whole work instead.");
    const postedLeft = index.filter((c) => c.posted && c.id !== chapterId).length;
    if (work.posted && target.posted && postedLeft === 0)
      return refuse(422, "A posted work needs at least one posted chapter.");
    await chaptersQ.deleteChapter(tx, chapterId);
    await chaptersQ.setPositions(
      tx,
      workId,
      index.filter((c) => c.id !== chapterId).map((c) => c.id),
    );
    await refreshWorkStats(tx, workId, now);
    await recordChanges(tx, "work", [workId], now);
    // What hung on the chapter (its comments) went with it: counters elsewhere follow.
    await enqueue(tx, { kind: "chapter.deleted", payload: { workId, chapterId } }, now);
    return ok();
  });
}

/**
 * Puts chapters in the order asked for. When two chapters ask for the same place, the one
 * the author moved takes it: moving chapter 3 to 1 puts it before the old chapter 1, moving
 * chapter 1 to 3 puts it after the old chapter 3.
 * Places are clamped as AO3 does: past the end is last, zero or less is first.
 */
export async function reorderChapters(
  db: Db,
  args: { workId: number; positions: Map<number, number>; now: number },
): Promise<Result> {
  return inTransaction(db, async (tx) => {
    const index = await chaptersQ.chapterIndex(tx, args.workId);
    const asked = (c: { id: number; position: number }) => args.positions.get(c.id) ?? c.position;
    const wanted = (c: { id: number; position: number }) => clampPosition(asked(c), index.length);
    // Among chapters asking for one place: moved up, then staying, then moved down (by the
    // number asked, so 9, 8 and 7 among three chapters still come out 7, 8, 9).
    const moved = (c: { id: number; position: number }) => Math.sign(wanted(c) - c.position);
    const ordered = [...index].sort(
      (a, b) =>
        wanted(a) - wanted(b) ||
        moved(a) - moved(b) ||
        asked(a) - asked(b) ||
        a.position - b.position,
    );
    await chaptersQ.setPositions(
      tx,
      args.workId,
      ordered.map((c) => c.id),
    );
    await refreshWorkStats(tx, args.workId, args.now);
    await recordChanges(tx, "work", [args.workId], args.now);
    return ok();
  });
}
