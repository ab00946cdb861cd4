/**
 * Blurbs for filtered listings with less SQL than works/present.ts's presentWorks, showing
 * the same: each work's tags (as its creators typed them, in their order) are kept in memory
 * by id with their labels (tag-labels.ts), and counts come from the browse index, which
 * follows them through the change log. The catalog's catch-up before each listing drops what
 * it changed (a work re-posted or edited, a tag renamed), so nothing here is older than the
 * search it presents.
 *
 * A work's blurb parts that follow only its row and tags (works/views/blurb-html.ts) are kept
 * too, reused while the row read for the listing equals the one they were built from and its
 * tag list is the same kept list (a change to either drops it): a blurb is built once per
 * change, not per request. Byline, gifts, series and counts are read and built each time.
 */
import type { Queryable } from "../../core/db/index.ts";
import type { Work } from "../../core/db/schema.ts";
import type { Viewer } from "../../core/viewer.ts";
import type { WorkCounts, WorkCountsSource } from "../../core/work-counts.ts";
import { tagsOfWorks } from "../../tags/queries.ts";
import { giftsOfWorks } from "../../works/gifts/queries.ts";
import { recipientLink } from "../../works/gifts/present.ts";
import { workPolicy } from "../../works/policy.ts";
import {
  blurbSeries,
  bylineOf,
  NO_COUNTS,
  presentWork,
  type WorkView,
} from "../../works/present.ts";
import { creatorsOfWorks } from "../../works/queries.ts";
import { keepBlurbParts, type BlurbPartsHolder } from "../../works/views/blurb-html.ts";
import { seriesOfWorks } from "../../works/series/queries.ts";
import type { CatalogChange, WorkCatalog } from "../index/catalog.ts";
import { TagLabels, type TagLabel } from "./tag-labels.ts";
import { setBounded } from "../../core/bounded-map.ts";

/** Works whose tag lists are kept; beyond it the oldest are dropped (a list is ~15 ids). */
const MAX_WORKS = 50_000;
/** Blurbs kept (~3 KB each); beyond it the oldest are dropped. */
const MAX_BLURBS = 5_000;

/** A work's blurb as last presented, without what follows other tables or the viewer. */
interface KeptBlurb {
  /** The row it was presented from: a row read since must equal it. */
  row: Work;
  /** The kept tag list it was presented with: forgetting the work's tags replaces the list. */
  tagIds: readonly number[];
  view: WorkView;
  parts: BlurbPartsHolder;
}

/** Same columns, same values: nothing a blurb shows changed. */
function sameRow(a: Work, b: Work): boolean {
  for (const key of Object.keys(a) as (keyof Work)[]) if (a[key] !== b[key]) return false;
  return true;
}

export class BlurbSource {
  readonly labels: TagLabels;
  private readonly tagIdsOf = new Map<number, number[]>();
  private readonly blurbs = new Map<number, KeptBlurb>();
  /** Moves on every change heard: a read begun before it must not store what it read. */
  private generation = 0;

  constructor(
    private readonly db: Queryable,
    private readonly catalog: WorkCatalog,
  ) {
    this.labels = new TagLabels(db);
    catalog.onChange((change) => this.forget(change));
  }

  private forget(change: CatalogChange) {
    this.generation++;
    if (change === "all") {
      this.tagIdsOf.clear();
      this.blurbs.clear();
      this.labels.forget("all");
      return;
    }
    for (const id of change.works) {
      this.tagIdsOf.delete(id);
      this.blurbs.delete(id);
    }
    if (change.tags.size > 0) {
      this.labels.forget(change.tags);
      // The catalog names a changed tag's works too; wrangling is rare enough to drop all.
      this.blurbs.clear();
    }
  }

  /** The blurbs of works the catalog has just listed (it caught up for that listing). */
  async present(
    viewer: Viewer,
    works: readonly Work[],
    counts?: WorkCountsSource,
  ): Promise<WorkView[]> {
    const ids = works.map((w) => w.id);
    const generation = this.generation;
    const kept = works.map((w) => this.keptBlurb(w));
    const [tags, creators, countMap, gifts, series] = await Promise.all([
      this.tagsOf(ids.filter((_, i) => !kept[i])),
      creatorsOfWorks(this.db, ids),
      counts && ids.length > 0 ? this.countsOf(viewer, ids, counts) : undefined,
      giftsOfWorks(this.db, ids),
      seriesOfWorks(this.db, ids),
    ]);
    return works.map((w, i) => {
      const by = creators.get(w.id) ?? [];
      const blurb =
        kept[i] ??
        this.keep(w, presentWork(w, tags.get(w.id) ?? [], by, viewer, false), generation);
      const creatorUserIds = by.map((c) => c.userId);
      const view: WorkView = {
        ...blurb.view,
        creators: bylineOf(w, by),
        creatorUserIds,
        canEdit: workPolicy.can(viewer.user, "edit", { creatorUserIds }),
        ...(countMap ? { counts: countMap.get(w.id) ?? NO_COUNTS } : {}),
        series: blurbSeries(w, by, viewer, series.get(w.id)),
        gifts: (gifts.get(w.id) ?? []).map(recipientLink),
      };
      keepBlurbParts(view, blurb.parts);
      return view;
    });
  }

  /** The work's kept blurb, while its row and tag list are those it was built from. */
  private keptBlurb(work: Work): KeptBlurb | undefined {
    const blurb = this.blurbs.get(work.id);
    if (!blurb) return undefined;
    if (this.tagIdsOf.get(work.id) === blurb.tagIds && sameRow(blurb.row, work)) return blurb;
    this.blurbs.delete(work.id);
    return undefined;
  }

  /** Keeps a blurb just presented, unless a change was heard since its reads began. */
  private keep(row: Work, view: WorkView, readAt: number): KeptBlurb {
    const tagIds = this.tagIdsOf.get(row.id);
    const blurb: KeptBlurb = { row, tagIds: tagIds ?? [], view, parts: { parts: null } };
    if (readAt !== this.generation || !tagIds) return blurb;
    setBounded(this.blurbs, row.id, blurb, MAX_BLURBS);
    return blurb;
  }

  /** Each work's tags in its creators' order: kept lists, the rest read in one query. */
  private async tagsOf(ids: readonly number[]): Promise<Map<number, TagLabel[]>> {
    const out = new Map<number, TagLabel[]>();
    const missing = ids.filter((id) => !this.tagIdsOf.has(id));
    if (missing.length > 0) {
      const generation = this.generation;
      const labelsAt = this.labels.readPosition;
      const read = await tagsOfWorks(this.db, missing);
      for (const id of missing) {
        const tags = read.get(id) ?? [];
        out.set(id, tags);
        this.labels.store(tags, labelsAt);
        if (generation !== this.generation) continue;
        setBounded(
          this.tagIdsOf,
          id,
          tags.map((t) => t.id),
          MAX_WORKS,
        );
      }
    }
    const kept = ids.filter((id) => !out.has(id));
    const lists = kept.map((id) => this.tagIdsOf.get(id) ?? []);
    const labels = await this.labels.get(lists.flat());
    kept.forEach((id, i) => {
      out.set(
        id,
        lists[i]!.flatMap((t) => labels.get(t) ?? []),
      );
    });
    return out;
  }

  /**
   * Counts as the viewer sees them. Without muted users that is the stored counters, which
   * the index holds as of the catch-up this listing ran; muting subtracts what the muted
   * added, which only the engagement domain's source knows.
   */
  private async countsOf(
    viewer: Viewer,
    ids: readonly number[],
    source: WorkCountsSource,
  ): Promise<Map<number, WorkCounts>> {
    if ((viewer.user?.exclusions.userIds.length ?? 0) > 0) return source(viewer, ids);
    const out = new Map<number, WorkCounts>();
    for (const id of ids) {
      const c = this.catalog.countsOf(id);
      if (c)
        out.set(id, { kudos: c.kudos, comments: c.comments, bookmarks: c.bookmarks, hits: c.hits });
    }
    return out;
  }
}

const sources = new WeakMap<WorkCatalog, BlurbSource>();

/** The blurb source (and tag labels) that follows this catalog: one per catalog. */
export function blurbSourceOf(db: Queryable, catalog: WorkCatalog): BlurbSource {
  let source = sources.get(catalog);
  if (!source) {
    source = new BlurbSource(db, catalog);
    sources.set(catalog, source);
  }
  return source;
}
