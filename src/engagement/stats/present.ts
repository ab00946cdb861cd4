/** Sorting and totals for the per-work table (shared by the page and the CSV). */
import { FIGURES, type Figures, type WorkFigures } from "./queries.ts";

export const SORTS = ["title", "words", ...FIGURES] as const;
export type Sort = (typeof SORTS)[number];
export type Direction = "asc" | "desc";

/** Titles read A to Z; numbers biggest first (what an author looks for). */
export const defaultDirection = (sort: Sort): Direction => (sort === "title" ? "asc" : "desc");

export function sortWorks(
  works: readonly WorkFigures[],
  sort: Sort,
  dir: Direction = defaultDirection(sort),
): WorkFigures[] {
  const sign = dir === "asc" ? 1 : -1;
  return [...works].sort((a, b) => {
    const order =
      sort === "title"
        ? a.title.localeCompare(b.title, "en", { sensitivity: "base" })
        : a[sort] - b[sort];
    // Ties keep a stable, predictable order: newest work first.
    return order !== 0 ? sign * order : b.id - a.id;
  });
}

export type Totals = Figures & { words: number };

export function totalsOf(works: readonly WorkFigures[]): Totals {
  const totals: Totals = {
    words: 0,
    hits: 0,
    kudos: 0,
    comments: 0,
    bookmarks: 0,
    subscriptions: 0,
  };
  for (const w of works) {
    totals.words += w.words;
    for (const f of FIGURES) totals[f] += w[f];
  }
  return totals;
}
