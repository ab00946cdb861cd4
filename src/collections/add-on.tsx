/**
 * What collections add to a work's page (issue 15), through the page add-ons the works domain
 * offers (works/page-addons.ts), since works may not import collections: AO3's
 * `dt.collections`/`dd.collections` in the work meta, listing the collections that show the
 * work (approved on both sides), and the "Add to Collections" action for its creators
 * ("Invite to Collections" for the owners and moderators of a collection).
 */
import type { WorkPageAddOn } from "../works/page-addons.ts";
import { collectionPath } from "./names.ts";
import { collectionsOfUser, shownCollectionsOfWork } from "./queries.ts";

export const collectionsAddOn: WorkPageAddOn = {
  async meta(ctx) {
    const shown = await shownCollectionsOfWork(ctx.deps.db, ctx.loaded.work.id);
    if (shown.length === 0) return [];
    return [
      {
        key: "collections",
        label: "Collections",
        content: shown.map((c, i) => (
          <>
            {i > 0 ? ", " : ""}
            <a href={collectionPath(c.name)}>{c.title}</a>
          </>
        )),
      },
    ];
  },

  async actions(ctx) {
    const user = ctx.viewer.user;
    if (!user) return [];
    const href = `/works/${ctx.loaded.work.id}/collection_items/new`;
    if (ctx.loaded.isCreator)
      return [
        <a key="collections" href={href}>
          Add to Collections
        </a>,
      ];
    // Only posted works readers can see are invited.
    if (ctx.loaded.work.posted !== 1) return [];
    const mine = await collectionsOfUser(ctx.deps.db, user.id);
    if (!mine.some((c) => c.role === "owner" || c.role === "moderator")) return [];
    return [
      <a key="collections" href={href}>
        Invite to Collections
      </a>,
    ];
  },
};
