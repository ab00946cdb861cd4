/**
 * Tag names and types by id, in memory, for what listings show of tags (blurbs, facets).
 * Works link tags by id and only wrangling renames or retypes a tag, which logs a "tag"
 * change: the catalog's catch-up before each listing drops those entries (forget), so a
 * label read after it is as fresh as the database. Counts are not kept: they change without
 * a log entry.
 */
import type { Queryable } from "../../core/db/index.ts";
import type { Tag } from "../../core/db/schema.ts";
import { tagsByIds } from "../../tags/queries.ts";
import { setBounded } from "../../core/bounded-map.ts";

export type TagLabel = Pick<Tag, "id" | "name" | "type">;

/** Enough for every tag a busy archive's listings show; beyond it the oldest are dropped. */
const MAX_LABELS = 200_000;

export class TagLabels {
  private readonly labels = new Map<number, TagLabel>();
  /** Moves on every forget: a read begun before it must not store what it read. */
  private generation = 0;

  constructor(private readonly db: Queryable) {}

  /** Labels of these tags (a tag deleted meanwhile is missing), reading only unknown ones. */
  async get(ids: Iterable<number>): Promise<Map<number, TagLabel>> {
    const found = new Map<number, TagLabel>();
    const missing: number[] = [];
    for (const id of ids) {
      const label = this.labels.get(id);
      if (label) found.set(id, label);
      else missing.push(id);
    }
    if (missing.length > 0) this.store(await tagsByIds(this.db, missing), this.generation, found);
    return found;
  }

  /** Keeps labels read elsewhere (a blurb's tags come joined with their works). */
  store(tags: readonly TagLabel[], readAt: number, into?: Map<number, TagLabel>): void {
    const keep = readAt === this.generation;
    for (const t of tags) {
      const label: TagLabel = { id: t.id, name: t.name, type: t.type };
      into?.set(t.id, label);
      if (!keep) continue;
      setBounded(this.labels, t.id, label, MAX_LABELS);
    }
  }

  /** Where a read starting now is: pass it to store() with what it read. */
  get readPosition(): number {
    return this.generation;
  }

  forget(ids: Iterable<number> | "all"): void {
    this.generation++;
    if (ids === "all") this.labels.clear();
    else for (const id of ids) this.labels.delete(id);
  }
}
