/** The comments under the text of every reading page: count, form (or why not), threads. */
import { HttpError } from "../../core/http/errors.ts";
import type { Viewer } from "../../core/viewer.ts";
import { emptyForm } from "../../core/views/forms.tsx";
import type { LoadedWork } from "../../works/load.ts";
import type { WorkPageAddOn } from "../../works/page-addons.ts";
import { loadThreadsPage, readerContext, scopeOf } from "./load.ts";
import { countPending } from "./queries.ts";
import { pseudChoices } from "./queries.ts";
import { PageQuery } from "./schemas.ts";

const pseudChoicesOf = (db: Parameters<typeof pseudChoices>[0], userId: number | undefined) =>
  userId === undefined ? undefined : pseudChoices(db, userId);
import { CommentsSection } from "./views.tsx";

function pageOf(query: unknown): number {
  const parsed = PageQuery.safeParse(query ?? {});
  if (!parsed.success)
    throw new HttpError(400, `Parameter "page": ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data.page;
}

/** The same reading page at another page of comments. */
function pageHref(url: string) {
  return (page: number) => {
    const u = new URL(url, "http://x");
    if (page > 1) u.searchParams.set("page", String(page));
    else u.searchParams.delete("page");
    return `${u.pathname}${u.search}#comments`;
  };
}

/**
 * A guest sees exactly the comments the work's counter counts (published, not hidden by a
 * moderator, not deleted: commands.ts keeps it so in each change's transaction), and a thread
 * only through one of them: none counted, none to show, no need to ask.
 */
const noneForGuest = (viewer: Viewer, loaded: LoadedWork) =>
  viewer.user === null && loaded.view.counts?.comments === 0;

export const commentsAddOn: WorkPageAddOn = {
  async after({ deps, viewer, loaded, req, chapter }) {
    // Drafts are their creators' alone; comments open when the work is posted.
    if (!loaded.work.posted) return null;
    const page = pageOf(req.query);
    const { work } = loaded;
    const rc = await readerContext(deps.db, viewer, loaded);
    const scope = scopeOf(work.id, chapter?.id ?? null, work.chapter_count);
    const [list, unreviewed, pseuds] = await Promise.all([
      noneForGuest(viewer, loaded)
        ? { count: 0, threads: [], page, pages: 1 }
        : loadThreadsPage(deps.db, rc, scope, page),
      loaded.isCreator ? countPending(deps.db, work.id) : Promise.resolve(null),
      rc.refusal ? undefined : pseudChoicesOf(deps.db, viewer.user?.id),
    ]);
    const openChapter = chapter === null || chapter.posted === 1;
    const form =
      rc.refusal || !openChapter
        ? null
        : {
            action: `/works/${work.id}/comments`,
            form: emptyForm(),
            guest: viewer.user === null,
            moderated: work.moderated_comments === 1 && !loaded.isCreator,
            chapterId: chapter?.id ?? null,
            submitLabel: "Comment",
            ...(pseuds ? { pseuds } : {}),
          };
    return (
      <CommentsSection
        workId={work.id}
        count={list.count}
        threads={list.threads}
        page={list.page}
        pages={list.pages}
        pageHref={pageHref(req.url)}
        form={form}
        refusal={rc.refusal}
        unreviewed={
          unreviewed !== null && (unreviewed > 0 || work.moderated_comments === 1)
            ? unreviewed
            : null
        }
      />
    );
  },
};
