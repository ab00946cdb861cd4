/**
 * What other domains add to a reading page (kudos, comments, bookmarks, history, hits) without
 * the works domain knowing them: the composition root hands a list of add-ons to the reading
 * routes, and each one renders its part from the work the page already loaded.
 */
import type { FastifyRequest } from "fastify";
import type { ComponentChildren } from "preact";
import type { AppDeps } from "../core/http/route.tsx";
import type { SanitizedHtml } from "../core/text/sanitize.ts";
import type { Viewer } from "../core/viewer.ts";
import type { ChapterMeta } from "./chapter-queries.ts";
import type { LoadedWork } from "./load.ts";

/**
 * A chapter as a reading page has it: its row, with the text as shown (rendered.ts), and that
 * text as UTF-8 when it was kept in memory (rendered-cache.ts).
 */
export type ShownChapter = ChapterMeta & { rendered_html: SanitizedHtml; rendered_utf8?: Buffer };

export interface WorkPageContext {
  deps: AppDeps;
  req: FastifyRequest;
  viewer: Viewer;
  loaded: LoadedWork;
  /** Posted chapters in order (and drafts, for the creator). */
  index: readonly { id: number; position: number; title: string; posted: boolean }[];
  /** The chapters on this page. */
  chapters: readonly ShownChapter[];
  /** The chapter shown on its own; null on the entire-work page. */
  chapter: ShownChapter | null;
}

export interface WorkPageAddOn {
  /** Called once for each reading page shown (after access checks and the adult gate). */
  viewed?(ctx: WorkPageContext): Promise<void>;
  /** Items for the actions bar above the work (each becomes an `<li>`). */
  actions?(ctx: WorkPageContext): Promise<ComponentChildren[]>;
  /** Shown above the work's preface ("Continue reading"). */
  before?(ctx: WorkPageContext): Promise<ComponentChildren>;
  /** Shown after the text, in registration order (kudos, then comments). */
  after?(ctx: WorkPageContext): Promise<ComponentChildren>;
  /** Shown at the end of each chapter on the page ("Save my place"). */
  chapterEnd?(ctx: WorkPageContext, chapter: ShownChapter): Promise<ComponentChildren>;
  /**
   * Rows of the work's meta (`dl.work.meta`), after its own fields and before the stats, in
   * AO3's classes: collections' `dt.collections`/`dd.collections` (issue 15).
   */
  meta?(ctx: WorkPageContext): Promise<MetaRow[]>;
}

/** One `dt`/`dd` pair of the work meta; `key` is the class of both. */
export interface MetaRow {
  key: string;
  label: string;
  content: ComponentChildren;
}

export interface AddOnParts {
  actions: ComponentChildren[];
  before: ComponentChildren[];
  after: ComponentChildren[];
  /** By chapter id. */
  chapterEnd?: ReadonlyMap<number, ComponentChildren[]>;
  /** Extra rows of the work meta, in registration order. */
  meta?: MetaRow[];
}

/** Runs every add-on for a page; the parts render in the order the add-ons were given. */
export async function renderAddOns(
  addOns: readonly WorkPageAddOn[],
  ctx: WorkPageContext,
): Promise<AddOnParts> {
  const none = Promise.resolve(undefined);
  await Promise.all(addOns.map((a) => a.viewed?.(ctx) ?? none));
  const [actions, before, after, chapterEnd, meta] = await Promise.all([
    Promise.all(addOns.map((a) => a.actions?.(ctx) ?? Promise.resolve([]))),
    Promise.all(addOns.map((a) => a.before?.(ctx) ?? none)),
    Promise.all(addOns.map((a) => a.after?.(ctx) ?? none)),
    Promise.all(
      ctx.chapters.map(async (c) => {
        const parts = await Promise.all(addOns.map((a) => a.chapterEnd?.(ctx, c) ?? none));
        return [c.id, parts] as const;
      }),
    ),
    Promise.all(addOns.map((a) => a.meta?.(ctx) ?? Promise.resolve([]))),
  ]);
  return {
    actions: actions.flat(),
    before,
    after,
    chapterEnd: new Map(chapterEnd),
    meta: meta.flat(),
  };
}
