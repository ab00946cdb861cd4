/** The "Bookmark" / "Edit Bookmark" link in a work page's actions bar. */
import type { WorkPageAddOn } from "../../works/page-addons.ts";
import { viewerStateOf } from "../work-page/state.ts";

export const bookmarksAddOn: WorkPageAddOn = {
  async actions(ctx) {
    const { viewer, loaded } = ctx;
    // Drafts can't be bookmarked; guests follow the link through the log-in page.
    if (loaded.work.posted !== 1) return [];
    const workId = loaded.work.id;
    const own = viewer.user ? (await viewerStateOf(ctx, viewer.user)).bookmarkId : undefined;
    return [
      own === undefined ? (
        <a class="bookmark" href={`/works/${workId}/bookmarks/new`}>
          Bookmark
        </a>
      ) : (
        <a class="bookmark" href={`/bookmarks/${own}/edit`}>
          Edit Bookmark
        </a>
      ),
    ];
  },
};
