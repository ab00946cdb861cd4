/**
 * What readers did with a work (kudos, comments, bookmarks, hits), as one viewer sees it. The
 * works domain shows these on blurbs and work pages without knowing who keeps them: the
 * engagement domain supplies the source, the composition root hands it over (AppDeps).
 */
import type { Viewer } from "./viewer.ts";

export interface WorkCounts {
  kudos: number;
  comments: number;
  /** Public bookmarks. */
  bookmarks: number;
  hits: number;
}

/** Counts for each of `workIds` that has any; what the viewer muted is left out. */
export type WorkCountsSource = (
  viewer: Viewer,
  workIds: readonly number[],
) => Promise<Map<number, WorkCounts>>;
