/**
 * What other domains add to a series page (issue 15) without the works domain knowing them, as
 * works/page-addons.ts does for reading pages: engagement's Subscribe and Bookmark buttons and
 * the series' bookmark count. The composition root hands the list to the series routes.
 */
import type { FastifyRequest } from "fastify";
import type { ComponentChildren } from "preact";
import type { AppDeps } from "../../core/http/route.tsx";
import type { Viewer } from "../../core/viewer.ts";

export interface SeriesPageContext {
  deps: AppDeps;
  req: FastifyRequest;
  viewer: Viewer;
  series: { id: number; title: string };
  /** The viewer is one of the series' creators. */
  isCreator: boolean;
}

/** One entry of the series' stats (`dl.stats`): `<dt class={name}>{label}:</dt><dd class={name}>`. */
export interface SeriesStat {
  name: string;
  label: string;
  value: ComponentChildren;
}

export interface SeriesPageAddOn {
  /** Items for the series' actions bar (each becomes an `<li>`), in registration order. */
  actions?(ctx: SeriesPageContext): Promise<ComponentChildren[]>;
  /** Entries after the series' own stats (words, works, complete). */
  stats?(ctx: SeriesPageContext): Promise<SeriesStat[]>;
}

/** Runs every add-on for a series page; parts keep the order the add-ons were given. */
export async function renderSeriesAddOns(
  addOns: readonly SeriesPageAddOn[],
  ctx: SeriesPageContext,
): Promise<{ actions: ComponentChildren[]; stats: SeriesStat[] }> {
  const [actions, stats] = await Promise.all([
    Promise.all(addOns.map((a) => a.actions?.(ctx) ?? Promise.resolve([]))),
    Promise.all(addOns.map((a) => a.stats?.(ctx) ?? Promise.resolve([]))),
  ]);
  return { actions: actions.flat(), stats: stats.flat() };
}
