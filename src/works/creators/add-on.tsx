/**
 * "Remove Me As Co-Creator" on reading pages (issue 15): in the actions bar, for a creator of
 * a work that has another creator, and on a chapter's page for a creator of that chapter when
 * it has another. Each link leads to a confirmation page.
 */
import type { ComponentChildren } from "preact";
import type { WorkPageAddOn } from "../page-addons.ts";
import { chapterCreators } from "./queries.ts";

const people = (rows: readonly { userId: number }[]) => new Set(rows.map((r) => r.userId)).size;

export const creatorsAddOn: WorkPageAddOn = {
  async actions(ctx) {
    const { loaded, viewer, chapter, index } = ctx;
    const me = viewer.user?.id;
    if (!loaded.isCreator || me === undefined) return [];
    const items: ComponentChildren[] = [];
    const workUrl = `/works/${loaded.work.id}`;
    if (people(loaded.creators) > 1)
      items.push(<a href={`${workUrl}/creators/remove_me`}>Remove Me As Co-Creator</a>);
    if (chapter && index.length > 1) {
      const creators = await chapterCreators(ctx.deps.db, {
        id: chapter.id,
        workId: loaded.work.id,
      });
      if (creators.some((c) => c.userId === me) && people(creators) > 1)
        items.push(
          <a href={`${workUrl}/chapters/${chapter.id}/creators/remove_me`}>
            Remove Me From Chapter
          </a>,
        );
    }
    return items;
  },
};
