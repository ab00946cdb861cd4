/** Loads one work with what every page about it needs, and applies the access rules. */
import type { AppDeps } from "../core/http/route.tsx";
import { notFound } from "../core/http/errors.ts";
import type { Tag, Work } from "../core/db/schema.ts";
import type { Viewer, ViewerUser } from "../core/viewer.ts";
import { tagsOfWorks } from "../tags/queries.ts";
import { pseudsOfUser } from "../accounts/queries.ts";
import { NO_COUNTS, presentWork, type WorkView } from "./present.ts";
import { workPolicy } from "./policy.ts";
import { findWorkForPage, type Creator, type WorkParts } from "./queries.ts";
import { giftsOfWorks } from "./gifts/queries.ts";
import { recipientLink } from "./gifts/present.ts";
import { accessTo, needsAdultGate, showsSeries, type Access } from "./visibility.ts";
import { seriesNav } from "./series/markup.tsx";
import { seriesNeighboursOf } from "./series/queries.ts";
import type { FormValues } from "../core/views/forms.tsx";

export interface LoadedWork {
  work: Work;
  tags: Tag[];
  creators: Creator[];
  isCreator: boolean;
  access: Access;
  view: WorkView;
  /** Which optional parts it has: pages skip the queries for the others. */
  parts: WorkParts;
}

export async function loadWork(
  deps: Pick<AppDeps, "db" | "workCounts">,
  viewer: Viewer,
  workId: number,
): Promise<LoadedWork> {
  const found = await findWorkForPage(deps.db, workId);
  if (!found) throw notFound("work");
  const { work, creators, parts } = found;
  const [tagMap, giftMap] = await Promise.all([
    tagsOfWorks(deps.db, [workId]),
    parts.gifts ? giftsOfWorks(deps.db, [workId]) : undefined,
  ]);
  const tags = tagMap.get(workId) ?? [];
  const isCreator = viewer.user !== null && creators.some((c) => c.userId === viewer.user?.id);
  const access = accessTo(viewer, work, isCreator);
  if (access === "not-found") throw notFound("work");
  const rating = tags.find((t) => t.id === work.rating_id)?.name ?? "Not Rated";
  const view = presentWork(work, tags, creators, viewer, needsAdultGate(viewer, rating, isCreator));
  // Its series with the neighbours this viewer sees; none while anonymous or unrevealed.
  if (showsSeries(work, isCreator))
    view.series = parts.series
      ? (await seriesNeighboursOf(deps.db, viewer, workId)).map(seriesNav)
      : [];
  view.gifts = (giftMap?.get(workId) ?? []).map(recipientLink);
  if (deps.workCounts && work.posted) {
    view.counts = (await deps.workCounts(viewer, [workId])).get(workId) ?? NO_COUNTS;
  }
  return { work, tags, creators, isCreator, access, view, parts };
}

/** A work the viewer may edit, or a 403/404. */
export async function loadOwnWork(deps: AppDeps, user: ViewerUser, viewer: Viewer, workId: number) {
  const loaded = await loadWork(deps, viewer, workId);
  workPolicy.authorize(user, "edit", { creatorUserIds: loaded.creators.map((c) => c.userId) });
  return loaded;
}

export async function pseudOptions(deps: AppDeps, userId: number) {
  return (await pseudsOfUser(deps.db, userId)).map((p) => ({ id: p.id, name: p.name }));
}

/** The edit form, filled from what is stored; the pseud is the editing user's own. */
export function workFormValues(loaded: LoadedWork, userId?: number): FormValues {
  const { work, tags, creators } = loaded;
  const names = (type: Tag["type"]) => tags.filter((t) => t.type === type).map((t) => t.name);
  const own = creators.find((c) => c.userId === userId) ?? creators[0];
  return {
    title: work.title,
    pseud_id: String(own?.pseudId ?? ""),
    summary: work.summary_html,
    notes: work.notes_html,
    end_notes: work.end_notes_html,
    rating: names("rating")[0] ?? "",
    warnings: names("warning"),
    categories: names("category"),
    fandoms: names("fandom").join(", "),
    relationships: names("relationship").join(", "),
    characters: names("character").join(", "),
    freeforms: names("freeform").join(", "),
    language: work.language,
    expected_chapters: work.expected_chapters === null ? "" : String(work.expected_chapters),
    complete: work.complete ? "1" : "",
    restricted: work.restricted ? "1" : "",
    comment_policy: work.comment_policy,
    moderated_comments: work.moderated_comments ? "1" : "",
  };
}
