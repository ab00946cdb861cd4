/**
 * Keeping the text index's entries (issue 5), on both engines: (re)building works' entries
 * from the database, dropping them, finding works that lack one, the works a tag change
 * reaches, and the change-log position the follower (follower.ts) saved. Works code never
 * calls these. Each engine's own statements are in its dialect (dialect-queries.ts).
 */
import { createHash } from "node:crypto";
import type { Engine, Queryable } from "../../core/db/index.ts";
import { htmlToPlainText } from "../../core/text/sanitize.ts";
import { USER_TAG_TYPES } from "../../tags/fixed.ts";
import { ANONYMOUS } from "../../works/present.ts";
import { chunks, type EntryToWrite, type TextDialect } from "./dialect-queries.ts";
import { textDialect } from "./dialects.ts";
import { TEXT_INDEX_FORMAT } from "./documents.ts";

/** Works looked at per round of queries, at most. */
const ID_BATCH = 500;
/** The first slice when slices are timed (`sliceMs`): small, since a work may be long. */
const FIRST_SLICE = 4;
/** Chapter words loaded and indexed at once (about 7 characters of HTML each). */
const WORDS_PER_LOAD = 1_500_000;

const withTx = <T>(db: Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> =>
  db.isTransaction ? fn(db) : db.transaction().execute(fn);

export interface IndexOptions {
  /**
   * Runs at the end of the last batch's transaction (a transaction of its own when there are
   * no works), so that what it records commits with the entries: the follower's position.
   */
  inLastTransaction?: (tx: Queryable) => Promise<void>;
  /** Awaited between batches (better-sqlite3 holds the event loop while a statement runs). */
  betweenBatches?: () => Promise<void>;
  /**
   * Size batches so that each takes about this long, from how long the last one took per
   * work: on SQLite a batch holds the event loop (and the one connection) throughout, so
   * the server's requests wait at most about this long. Unset: batches of 500.
   */
  sliceMs?: number | (() => number);
}

/**
 * (Re)builds the entries of these works from the database: posted works get one, others
 * (drafts, deleted works) lose theirs. Idempotent; the body is rebuilt only when the posted
 * chapters changed since it was built. Handles thousands of ids per call, in batches.
 */
export async function indexWorkText(
  db: Queryable,
  engine: Engine,
  workIds: readonly number[],
  opts: IndexOptions = {},
): Promise<void> {
  const dialect = textDialect(engine);
  const ids = [...new Set(workIds)].sort((a, b) => a - b);
  if (ids.length === 0 && !opts.inLastTransaction) return;
  let size = opts.sliceMs ? FIRST_SLICE : ID_BATCH;
  for (let i = 0; ;) {
    const batch = ids.slice(i, i + size);
    i += batch.length;
    const last = i >= ids.length;
    const started = performance.now();
    // One transaction per batch: a work deleted between reading it and writing its entry
    // would otherwise fail the foreign key (SQLite) or deadlock (PostgreSQL).
    await withTx(db, async (tx) => {
      await dialect.lockIndexing(tx);
      if (batch.length) await indexBatch(tx, dialect, batch);
      if (last) await opts.inLastTransaction?.(tx);
    });
    if (last) return;
    if (opts.sliceMs) {
      const budget = typeof opts.sliceMs === "number" ? opts.sliceMs : opts.sliceMs();
      size = nextSliceSize(batch.length, performance.now() - started, budget);
    }
    await opts.betweenBatches?.();
  }
}

/** As many works as fit the budget at the last batch's pace; growing at most twofold. */
export function nextSliceSize(works: number, tookMs: number, budgetMs: number): number {
  const fits = Math.floor((works * budgetMs) / Math.max(tookMs, 0.01));
  return Math.max(1, Math.min(fits, works * 2, ID_BATCH));
}

async function indexBatch(db: Queryable, dialect: TextDialect, ids: number[]) {
  // PostgreSQL: lock the works first. Otherwise deleting a work while it is being indexed
  // deadlocks (the delete cascades into rows this transaction wrote, whose foreign-key
  // checks wait for the delete), and PostgreSQL aborts one of them: maybe the author's.
  const works = await db
    .selectFrom("works")
    .select([
      "id",
      "title",
      "summary_html",
      "notes_html",
      "end_notes_html",
      "word_count",
      "in_anon_collection",
    ])
    .where("id", "in", ids)
    .where("posted", "=", 1)
    .$if(dialect.locksWorkRows, (q) => q.forKeyShare())
    .execute();
  const postedIds = new Set(works.map((w) => w.id));
  const gone = ids.filter((id) => !postedIds.has(id));
  if (gone.length) await removeEntries(db, dialect, gone);
  if (works.length === 0) return;
  const live = [...postedIds];

  const [states, chapterKeys, creators, tags] = await Promise.all([
    db
      .selectFrom("work_text_state")
      .select(["work_id", "format", "body_key"])
      .where("work_id", "in", live)
      .execute(),
    db
      .selectFrom("chapters")
      .select((eb) => [
        "work_id",
        "id",
        "position",
        "edited_at",
        "sanitizer_version",
        "word_count",
        // The size of the stored text, without reading it (both engines know it).
        eb.fn<number | string>("octet_length", ["text_html"]).as("bytes"),
      ])
      .where("work_id", "in", live)
      .where("posted", "=", 1)
      .orderBy("work_id")
      .orderBy("position")
      .execute(),
    db
      .selectFrom("creatorships")
      .innerJoin("pseuds", "pseuds.id", "creatorships.pseud_id")
      .innerJoin("users", "users.id", "pseuds.user_id")
      .select(["creatorships.work_id", "pseuds.name", "users.login"])
      .where("creatorships.work_id", "in", live)
      .orderBy("creatorships.work_id")
      .orderBy("creatorships.position")
      .execute(),
    db
      .selectFrom("work_tags")
      .innerJoin("tags", "tags.id", "work_tags.tag_id")
      .leftJoin("tags as canonical", "canonical.id", "tags.merger_id")
      .select(["work_tags.work_id", "tags.name", "canonical.name as canonical"])
      .where("work_tags.work_id", "in", live)
      // Ratings, warnings and categories are filters, not words ("No Archive Warnings Apply").
      .where("tags.type", "in", [...USER_TAG_TYPES])
      .orderBy("work_tags.work_id")
      .orderBy("work_tags.position")
      .execute(),
  ]);

  const keyParts = new Map<number, string[]>();
  for (const c of chapterKeys) {
    const parts = keyParts.get(c.work_id) ?? [];
    parts.push(
      `${c.id}:${c.position}:${c.edited_at}:${c.sanitizer_version}:${c.word_count}:${c.bytes}`,
    );
    keyParts.set(c.work_id, parts);
  }
  const bodyKey = (id: number) =>
    createHash("sha1")
      .update((keyParts.get(id) ?? []).join(","))
      .digest("hex");
  const stateOf = new Map(states.map((s) => [s.work_id, s]));
  const metaOf = new Map<number, { creators: string[]; tags: string[] }>();
  const metaFor = (id: number) => {
    let m = metaOf.get(id);
    if (!m) metaOf.set(id, (m = { creators: [], tags: [] }));
    return m;
  };
  for (const c of creators) {
    const names = metaFor(c.work_id).creators;
    for (const n of [c.name, c.login]) {
      if (!names.some((x) => x.toLowerCase() === n.toLowerCase())) names.push(n);
    }
  }
  for (const t of tags) {
    const names = metaFor(t.work_id).tags;
    for (const n of [t.name, t.canonical]) if (n && !names.includes(n)) names.push(n);
  }

  const sources: Built[] = works.map((w) => {
    const key = bodyKey(w.id);
    const state = stateOf.get(w.id);
    return {
      id: w.id,
      words: w.word_count,
      key,
      withBody: !state || state.format !== TEXT_INDEX_FORMAT || state.body_key !== key,
      source: {
        title: w.title,
        // An anonymous work is found by "Anonymous", never by its creators (issue 15); the
        // switch records a work change, so the follower rewrites this when it moves.
        creators: w.in_anon_collection ? [ANONYMOUS.name] : (metaOf.get(w.id)?.creators ?? []),
        tags: metaOf.get(w.id)?.tags ?? [],
        notes: [w.summary_html, w.notes_html, w.end_notes_html].map(htmlToPlainText),
        chapters: [],
      },
    };
  });

  // Works whose chapters did not change: only their metadata is rewritten.
  const metaOnly = sources.filter((s) => !s.withBody);
  if (metaOnly.length) await writeEntries(db, dialect, metaOnly);
  // The others in loads of bounded size: one huge work is a load of its own.
  let load: Built[] = [];
  let loadWords = 0;
  for (const s of sources.filter((x) => x.withBody)) {
    if (load.length && loadWords + s.words > WORDS_PER_LOAD) {
      await loadAndWrite(db, dialect, load);
      load = [];
      loadWords = 0;
    }
    load.push(s);
    loadWords += s.words;
  }
  if (load.length) await loadAndWrite(db, dialect, load);
}

interface Built extends EntryToWrite {
  words: number;
  key: string;
}

async function loadAndWrite(db: Queryable, dialect: TextDialect, load: Built[]) {
  const chapters = await db
    .selectFrom("chapters")
    .select(["work_id", "title", "summary_html", "notes_html", "text_html", "end_notes_html"])
    .where(
      "work_id",
      "in",
      load.map((b) => b.id),
    )
    .where("posted", "=", 1)
    .orderBy("work_id")
    .orderBy("position")
    .execute();
  const byId = new Map(load.map((b) => [b.id, b]));
  for (const c of chapters) {
    byId
      .get(c.work_id)
      ?.source.chapters.push([
        c.title,
        htmlToPlainText(c.summary_html),
        htmlToPlainText(c.notes_html),
        htmlToPlainText(c.text_html),
        htmlToPlainText(c.end_notes_html),
      ]);
  }
  await writeEntries(db, dialect, load);
}

/** Replaces these works' entries (the body where `withBody`) and records them as current. */
async function writeEntries(tx: Queryable, dialect: TextDialect, built: Built[]) {
  await dialect.writeEntries(tx, built);
  const now = Date.now();
  for (const rows of chunks(built, () => 1, 1_000)) {
    await tx
      .insertInto("work_text_state")
      .values(
        rows.map((b) => ({
          work_id: b.id,
          format: TEXT_INDEX_FORMAT,
          body_key: b.key,
          indexed_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.column("work_id").doUpdateSet((eb) => ({
          format: eb.ref("excluded.format"),
          body_key: eb.ref("excluded.body_key"),
          indexed_at: eb.ref("excluded.indexed_at"),
        })),
      )
      .execute();
  }
}

async function removeEntries(tx: Queryable, dialect: TextDialect, ids: readonly number[]) {
  await dialect.deleteEntries(tx, ids);
  await tx.deleteFrom("work_text_state").where("work_id", "in", ids).execute();
}

/** Drops the entries of these works (indexWorkText does this for drafts and deleted works). */
export async function removeWorkText(
  db: Queryable,
  engine: Engine,
  workIds: readonly number[],
): Promise<void> {
  const ids = [...new Set(workIds)];
  if (ids.length === 0) return;
  await withTx(db, (tx) => removeEntries(tx, textDialect(engine), ids));
}

/**
 * After a full build: merges FTS5's segments (faster queries), or refreshes PostgreSQL's
 * planner statistics for the new rows. Takes seconds to minutes; not for every change.
 */
export async function optimizeWorkText(
  db: Queryable,
  engine: Engine,
  betweenSteps?: () => Promise<void>,
): Promise<void> {
  await textDialect(engine).optimize(db, betweenSteps);
}

/**
 * Posted works without a current entry (never indexed, or built in an older format), after
 * `afterId` in id order: for catching up after a bulk load, a restore or a format change.
 */
export async function unindexedWorks(
  db: Queryable,
  _engine: Engine,
  afterId: number,
  limit: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom("works")
    .select("id")
    .where("posted", "=", 1)
    .where("id", ">", afterId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("work_text_state")
            .select("work_id")
            .whereRef("work_text_state.work_id", "=", "works.id")
            .where("work_text_state.format", "=", TEXT_INDEX_FORMAT),
        ),
      ),
    )
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Works whose entry names these tags: tagged with them, or with one of their synonyms (whose
 * entries hold the canonical name). What a "tag" change in the log means for the text index.
 */
export async function worksWithTags(db: Queryable, tagIds: readonly number[]): Promise<number[]> {
  if (tagIds.length === 0) return [];
  const rows = await db
    .selectFrom("work_tags")
    .select("work_id")
    .distinct()
    .where((eb) =>
      eb.or([
        eb("tag_id", "in", tagIds),
        eb("tag_id", "in", eb.selectFrom("tags").select("id").where("merger_id", "in", tagIds)),
      ]),
    )
    .execute();
  return rows.map((r) => r.work_id);
}

/**
 * The change-log id the text index is current up to: every entry at or below it has been
 * applied (see follower.ts). 0 when none was saved.
 */
export async function textCursor(db: Queryable): Promise<number> {
  const row = await db
    .selectFrom("work_text_cursor")
    .select("change_id")
    .where("id", "=", 1)
    .executeTakeFirst();
  return row ? Number(row.change_id) : 0;
}

/** Saves the follower's position; never moves it back (another process may be further on). */
export async function saveTextCursor(db: Queryable, changeId: number): Promise<void> {
  await db
    .insertInto("work_text_cursor")
    .values({ id: 1, change_id: changeId })
    .onConflict((oc) =>
      oc
        .column("id")
        .doUpdateSet({ change_id: changeId })
        .where("work_text_cursor.change_id", "<", changeId),
    )
    .execute();
}
