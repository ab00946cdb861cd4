/**
 * Stores generated works many at a time: the rows the posting commands would write (same
 * column functions, same derived counts), inserted in large batches with ids assigned here.
 * A test loads one corpus both ways and compares every row. Only for an archive that has no
 * works yet, so that assigned ids cannot collide.
 */
import type { Db, Engine, Queryable } from "../core/db/index.ts";
import type { NewChapter, NewWork, Tag, TagType } from "../core/db/schema.ts";
import { USER_TAG_TYPES } from "../tags/fixed.ts";
import { tagKey } from "../tags/names.ts";
import {
  findOrCreateTags,
  findTagsByKeys,
  recountTaggings,
  refreshFilterTags,
  worksInIdRange,
} from "../tags/queries.ts";
import { chapterColumns, derivedStats, metaColumns } from "../works/columns.ts";
import { renderChapterText } from "../works/rendered.ts";
import type { ChapterInput, NewWorkInput } from "../works/schemas.ts";
import { analyzeTables, insertMany, maxId, syncIdSequences } from "./queries.ts";
import { recordChanges } from "../core/db/changes.ts";

export interface BulkWork {
  pseudId: number;
  input: NewWorkInput;
  publishedAt: number;
  /** Later chapters, each with the time it was posted. */
  more: { input: ChapterInput; at: number }[];
}

const FIELD = {
  fandom: "fandoms",
  relationship: "relationships",
  character: "characters",
  freeform: "freeforms",
} as const;

export class BulkLoader {
  private nextWorkId = 0;
  private nextChapterId = 0;
  private readonly tags = new Map<string, Tag>();

  constructor(
    private readonly db: Db,
    private readonly engine: Engine,
  ) {}

  async start() {
    this.nextWorkId = (await maxId(this.db, "works")) + 1;
    this.nextChapterId = (await maxId(this.db, "chapters")) + 1;
    if (this.nextWorkId !== 1)
      throw new Error("The bulk loader fills an archive that has no works yet.");
  }

  private async resolveTags(tx: Queryable, batch: BulkWork[], now: number) {
    const fixed = new Set<string>();
    for (const w of batch)
      for (const n of [w.input.rating, ...w.input.warnings, ...w.input.categories]) fixed.add(n);
    const missingFixed = [...fixed].map(tagKey).filter((k) => !this.tags.has(k));
    for (const t of await findTagsByKeys(tx, missingFixed)) this.tags.set(t.name_key, t);
    for (const type of USER_TAG_TYPES) {
      const names = new Map<string, string>();
      for (const w of batch)
        for (const n of w.input[FIELD[type]])
          if (!this.tags.has(tagKey(n))) names.set(tagKey(n), n);
      for (const t of await findOrCreateTags(tx, type, [...names.values()], now))
        this.tags.set(t.name_key, t);
    }
  }

  private tag(name: string, type: TagType): Tag {
    const tag = this.tags.get(tagKey(name));
    if (!tag) throw new Error(`Tag "${name}" was not resolved`);
    if (tag.type !== type)
      throw new Error(
        `"${name}" is already a ${tag.type} tag, so it can't be used as a ${type} tag`,
      );
    return tag;
  }

  /** Writes one batch in one transaction. */
  async load(batch: BulkWork[]) {
    if (batch.length === 0) return;
    await this.db.transaction().execute(async (tx) => {
      await this.resolveTags(tx, batch, batch[0]!.publishedAt);
      const works: NewWork[] = [];
      const chapters: NewChapter[] = [];
      const creatorships: { work_id: number; pseud_id: number; position: number }[] = [];
      const workTags: { work_id: number; tag_id: number; position: number }[] = [];
      for (const w of batch) {
        const id = this.nextWorkId++;
        const { input } = w;
        const fixedTags = [
          this.tag(input.rating, "rating"),
          ...input.warnings.map((n) => this.tag(n, "warning")),
          ...input.categories.map((n) => this.tag(n, "category")),
        ];
        const userTags = USER_TAG_TYPES.flatMap((type) =>
          input[FIELD[type]].map((n) => this.tag(n, type)),
        );
        const seen = new Set<number>();
        for (const tag of [...fixedTags, ...userTags]) {
          if (seen.has(tag.id)) continue;
          workTags.push({ work_id: id, tag_id: tag.id, position: seen.size });
          seen.add(tag.id);
        }
        creatorships.push({ work_id: id, pseud_id: w.pseudId, position: 0 });

        const rows: NewChapter[] = [
          {
            ...chapterColumns({ chapter_title: input.chapter_title, text: input.text }),
            work_id: id,
            position: 1,
            posted: 1,
            published_at: w.publishedAt,
            created_at: w.publishedAt,
            edited_at: w.publishedAt,
          },
          ...w.more.map((c, i) => ({
            ...chapterColumns(c.input),
            work_id: id,
            position: i + 2,
            posted: 1 as const,
            published_at: c.at,
            created_at: c.at,
            edited_at: c.at,
          })),
        ];
        for (const row of rows)
          chapters.push({
            ...row,
            id: this.nextChapterId++,
            // As the commands store it, so reading pages never render it (works/rendered.ts).
            rendered_html: renderChapterText(row.text_html, row.position),
          });
        // As addChapter does: posting past the expected count raises it.
        const initial = input.complete ? 1 : input.expected_chapters;
        const expected = initial === null ? null : Math.max(initial, rows.length);
        const lastAt = w.more.length ? w.more[w.more.length - 1]!.at : w.publishedAt;
        const work = { expected_chapters: expected, posted: 1, published_at: w.publishedAt };
        const stats = derivedStats(work, {
          count: rows.length,
          words: rows.reduce((sum, r) => sum + r.word_count, 0),
          lastPublished: Math.max(...rows.map((r) => r.published_at ?? 0)),
        });
        works.push({
          id,
          ...metaColumns(input),
          ...stats,
          expected_chapters: expected,
          rating_id: fixedTags[0]!.id,
          posted: 1,
          published_at: w.publishedAt,
          created_at: w.publishedAt,
          edited_at: lastAt,
          version: rows.length,
        });
      }
      await insertMany(tx, "works", works);
      await insertMany(tx, "creatorships", creatorships);
      await insertMany(tx, "chapters", chapters);
      await insertMany(tx, "work_tags", workTags);
      await refreshFilterTags(tx, worksInIdRange(works[0]!.id!, works[works.length - 1]!.id!));
    });
  }

  async finish() {
    await syncIdSequences(this.db, this.engine);
    // Statistics first: without them (autovacuum off or not yet run) PostgreSQL plans the
    // recount's per-tag subqueries as scans of every work, and 100,000 works take hours.
    await analyzeTables(this.db, this.engine);
    await recountTaggings(this.db);
    await analyzeTables(this.db, this.engine);
    // Bulk rows bypass the change log (followers rebuild from the tables); one entry marks
    // the load, so a search process can tell later whether its document cache is current.
    const last = await maxId(this.db, "works");
    if (last > 0) await recordChanges(this.db, "work", [last], Date.now());
  }
}
