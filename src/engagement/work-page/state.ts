/**
 * A logged-in reader's state on the work page, asked once per page (`queries.ts`) and shared by
 * the add-ons that show it: reading (history, position, marked for later), bookmarks,
 * subscriptions, and the kudos and comment forms (through the blocking policy).
 */
import type { ViewerUser } from "../../core/viewer.ts";
import type { WorkPageContext } from "../../works/page-addons.ts";
import { knownBlockedOnWork } from "../blocking/policy.ts";
import { viewerOnWork, type ViewerOnWork } from "./queries.ts";

const states = new WeakMap<WorkPageContext, Promise<ViewerOnWork>>();

export function viewerStateOf(ctx: WorkPageContext, user: ViewerUser): Promise<ViewerOnWork> {
  let state = states.get(ctx);
  if (!state) {
    // Every creator, credited or not (an anonymous work's creators still block and are
    // subscribed to); never the reader themself.
    const creatorIds = [...new Set(ctx.loaded.creators.map((c) => c.userId))].filter(
      (id) => id !== user.id,
    );
    state = viewerOnWork(ctx.deps.db, user.id, ctx.loaded.work.id, creatorIds);
    states.set(ctx, state);
    if (!ctx.loaded.isCreator)
      knownBlockedOnWork(
        ctx.loaded,
        state.then((s) => s.blocked),
      );
  }
  return state;
}
