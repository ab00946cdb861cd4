/**
 * Bookmarks at AO3's addresses: the form (/works/:id/bookmarks/new), one bookmark, its edit
 * and delete pages, a user's bookmarks and a work's public bookmarks.
 */
import type { FastifyInstance } from "fastify";
import { accountOr404 } from "../../accounts/lookup.ts";
import { forbidden, HttpError, notFound } from "../../core/http/errors.ts";
import { seesHidden } from "../../works/visibility.ts";
import {
  redirect,
  refusalError,
  refusedForm,
  route,
  type AppDeps,
} from "../../core/http/route.tsx";
import { refuse } from "../../core/result.ts";
import { settingsLimit } from "../../core/settings.ts";
import { limits } from "../../core/limits.ts";
import { emptyForm, type FormState } from "../../core/views/forms.tsx";
import { page } from "../../core/views/render.tsx";
import type { Viewer, ViewerUser } from "../../core/viewer.ts";
import { tagKey } from "../../tags/names.ts";
import { loadWork, pseudOptions, type LoadedWork } from "../../works/load.ts";
import { WorkParams } from "../../works/schemas.ts";
import { ConfirmDelete } from "../../works/views/forms.tsx";
import { restrictedLoginUrl } from "../../works/restricted.ts";
import { seriesIfShown } from "../series/load.ts";
import { createBookmark, deleteBookmark, editBookmark } from "./commands.ts";
import { presentBookmarks, presentWithWorks } from "./present.ts";
import { seriesView } from "./series-present.ts";
import * as q from "./queries.ts";
import type { BookmarkRow, BookmarkScope } from "./queries.ts";
import { BookmarkInput, BookmarkListQuery, BookmarkParams, UserParams } from "./schemas.ts";
import {
  AlreadyBookmarkedPage,
  BookmarkForm,
  BookmarkPage,
  UserBookmarksView,
  WorkBookmarksView,
  type FormTarget,
} from "./views.tsx";

/** How many of a listing's bookmark tags the filter offers. */
const TAG_FILTER_SIZE = 200;

export const NOT_OWN_PSEUD = refuse(422, "Choose one of your own pseuds.", "pseud_id");

/** A work that may be bookmarked: one the viewer can open, and never a draft. */
async function bookmarkableWork(deps: AppDeps, viewer: Viewer, workId: number) {
  const loaded = await loadWork(deps, viewer, workId);
  if (loaded.work.posted !== 1) throw notFound("work");
  return loaded;
}

/** The work, or null when it is gone or a draft the viewer did not write. */
async function findLoadedWork(deps: AppDeps, viewer: Viewer, workId: number) {
  try {
    return await loadWork(deps, viewer, workId);
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return null;
    throw err;
  }
}

/** The work, or null when the viewer may no longer open it. */
async function workIfShown(deps: AppDeps, viewer: Viewer, workId: number) {
  const loaded = await findLoadedWork(deps, viewer, workId);
  return loaded?.access === "ok" ? loaded : null;
}

/** The viewer's own bookmark; another's private one does not exist for them. */
async function ownBookmark(deps: AppDeps, user: ViewerUser, id: number) {
  const bookmark = await q.findBookmark(deps.db, id);
  if (!bookmark || (bookmark.private === 1 && bookmark.user_id !== user.id))
    throw notFound("bookmark");
  if (bookmark.user_id !== user.id)
    throw forbidden("Sorry, only the person who made this bookmark can change or delete it.");
  return bookmark;
}

/** The pseud chosen, if it is the user's; their default one when none was chosen. */
export async function chosenPseud(deps: AppDeps, userId: number, chosen: number | undefined) {
  const pseuds = await pseudOptions(deps, userId);
  return (chosen === undefined ? pseuds[0] : pseuds.find((p) => p.id === chosen))?.id ?? null;
}

const workTarget = (loaded: LoadedWork): FormTarget => ({
  kind: "work",
  id: loaded.work.id,
  title: loaded.work.title,
});

/**
 * What the edit forms name: the work (or series) if the viewer may open it, else what was
 * known of it.
 */
async function targetOf(deps: AppDeps, viewer: Viewer, row: BookmarkRow): Promise<FormTarget> {
  if (row.series_id !== null) {
    const loaded = await seriesIfShown(deps, viewer, row.series_id);
    return loaded
      ? { kind: "series", id: loaded.series.id, title: loaded.series.title }
      : { kind: "unavailable" };
  }
  if (row.work_id === null) return { kind: "deleted", title: row.work_title };
  const work = await workIfShown(deps, viewer, row.work_id);
  return work ? workTarget(work) : { kind: "unavailable" };
}

/** `ids.existing`: the reader already has a bookmark of the work (422, nothing saved). */
export async function formPage(
  deps: AppDeps,
  user: ViewerUser,
  target: FormTarget,
  form: FormState,
  ids: { bookmark?: number; existing?: number | undefined } = {},
) {
  const pseuds = await pseudOptions(deps, user.id);
  const invalid = Object.keys(form.errors).length > 0 || ids.existing !== undefined;
  return page(
    ids.bookmark !== undefined
      ? "Edit bookmark"
      : `Bookmark ${target.kind === "work" || target.kind === "series" ? target.title : ""}`,
    <BookmarkForm
      target={target}
      form={form}
      pseuds={pseuds}
      {...(ids.bookmark === undefined ? {} : { bookmarkId: ids.bookmark })}
      {...(ids.existing === undefined ? {} : { existingId: ids.existing })}
    />,
    invalid ? 422 : undefined,
  );
}

/** A guest on a restricted work's bookmark pages: AO3's login address, as the work's pages. */
function restrictedPage(url: string) {
  return redirect(restrictedLoginUrl(url));
}

const pageCount = (total: number) => Math.min(Math.ceil(total / limits.pageSize), limits.maxPage);

export function listingHref(base: string, filter: { tag?: string | undefined; recs?: boolean }) {
  return (n: number) => {
    const params = new URLSearchParams();
    if (filter.tag !== undefined) params.set("tag", filter.tag);
    if (filter.recs) params.set("recs", "1");
    if (n > 1) params.set("page", String(n));
    const search = params.toString();
    return search ? `${base}?${search}` : base;
  };
}

/** One page of a scope's bookmarks, with the bookmarker's-tag filter that goes beside it. */
export async function bookmarkListing(
  deps: AppDeps,
  viewer: Viewer,
  scope: BookmarkScope,
  query: BookmarkListQuery,
  base: string,
) {
  const key = query.tag === undefined ? undefined : tagKey(query.tag);
  const [result, tags] = await Promise.all([
    q.listBookmarks(
      deps.db,
      viewer,
      { scope, tagKey: key, recsOnly: query.recs },
      { number: query.page, size: limits.pageSize },
    ),
    q.bookmarkTagCounts(deps.db, viewer, { scope, recsOnly: query.recs }, TAG_FILTER_SIZE),
  ]);
  const tagName = tags.find((t) => t.key === key)?.name ?? query.tag;
  return {
    rows: result.rows,
    tags,
    tagKey: key,
    tagName,
    listing: {
      total: result.total,
      page: query.page,
      pages: pageCount(result.total),
      href: listingHref(base, { tag: tagName, recs: query.recs }),
    },
  };
}

export function registerBookmarkRoutes(app: FastifyInstance, deps: AppDeps) {
  const writeLimit = settingsLimit("bookmarks", "bookmarks", "both");

  route(app, deps, {
    method: "GET",
    url: "/works/:workId/bookmarks/new",
    auth: "user",
    params: WorkParams,
    handler: async ({ deps, viewer, user, params }) => {
      const loaded = await bookmarkableWork(deps, viewer, params.workId);
      const existing = await q.bookmarkIdFor(deps.db, user.id, loaded.work.id);
      if (existing !== undefined) {
        return page(
          `Bookmark ${loaded.work.title}`,
          <AlreadyBookmarkedPage id={existing} target={workTarget(loaded)} />,
        );
      }
      const [first] = await pseudOptions(deps, user.id);
      const form = emptyForm({ pseud_id: String(first?.id ?? "") });
      return formPage(deps, user, workTarget(loaded), form);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/works/:workId/bookmarks",
    contributes: true,
    auth: "user",
    oncePerSubmission: true,
    limit: writeLimit,
    params: WorkParams,
    body: BookmarkInput,
    onInvalid: async ({ deps, viewer, user, params, body }, errors) => {
      const loaded = await bookmarkableWork(deps, viewer, params.workId);
      const existing = await q.bookmarkIdFor(deps.db, user.id, loaded.work.id);
      return formPage(deps, user, workTarget(loaded), { values: body, errors }, { existing });
    },
    handler: async ({ req, deps, viewer, user, params, body }) => {
      const loaded = await bookmarkableWork(deps, viewer, params.workId);
      const target = workTarget(loaded);
      const pseudId = await chosenPseud(deps, user.id, body.pseud_id);
      if (pseudId === null)
        return refusedForm(req, NOT_OWN_PSEUD, (form) => formPage(deps, user, target, form));
      const saved = await createBookmark(deps.db, {
        userId: user.id,
        workId: loaded.work.id,
        pseudId,
        input: body,
        now: deps.now(),
      });
      // A second bookmark (another pseud, an old tab) never overwrites the first one.
      if (!saved.ok) {
        const existing = "existingId" in saved ? saved.existingId : undefined;
        return refusedForm(req, saved, (form) => formPage(deps, user, target, form, { existing }));
      }
      return redirect(`/bookmarks/${saved.value.id}`, "Bookmark was successfully created.");
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/bookmarks/:id",
    auth: "guest-ok",
    params: BookmarkParams,
    handler: async ({ req, deps, viewer, params }) => {
      const row = await q.findBookmark(deps.db, params.id);
      const own = row !== undefined && viewer.user?.id === row.user_id;
      if (!row || (row.private === 1 && !own)) throw notFound("bookmark");
      // Hidden by a moderator: its owner and moderators only (works/visibility.ts).
      if (row.hidden_reason !== null && !own && !seesHidden(viewer)) throw notFound("bookmark");
      if (row.series_id !== null) {
        // Of a series (issue 15): one whose works are all hidden from the viewer is gone for
        // them, as its page is, unless the bookmark is theirs.
        const loaded = await seriesIfShown(deps, viewer, row.series_id);
        if (!loaded && !own) throw notFound("bookmark");
        const [bookmark, view] = await Promise.all([
          presentBookmarks(deps.db, viewer, [row]).then((b) => b[0]),
          loaded ? seriesView(deps.db, viewer, loaded.series.id) : null,
        ]);
        if (!bookmark) throw notFound("bookmark");
        const title = loaded ? `Bookmark of ${loaded.series.title}` : "Bookmark";
        return page(title, <BookmarkPage bookmark={bookmark} work={null} series={view} />);
      }
      if (row.work_id === null) {
        // Of a deleted work: guests don't see one that was for registered users (or unknown).
        if (!viewer.user && row.work_restricted !== 0) return restrictedPage(req.url);
        const [bookmark] = await presentBookmarks(deps.db, viewer, [row]);
        if (!bookmark) throw notFound("bookmark");
        return page("Bookmark", <BookmarkPage bookmark={bookmark} work={null} />);
      }
      const loaded = await findLoadedWork(deps, viewer, row.work_id);
      // A guest may see it after logging in (a restricted work); others' drafts never.
      if (loaded?.access === "login-required") return restrictedPage(req.url);
      if (!loaded && !own) throw notFound("bookmark");
      const [bookmark] = await presentBookmarks(deps.db, viewer, [row]);
      if (!bookmark) throw notFound("bookmark");
      const title = loaded ? `Bookmark of ${loaded.work.title}` : "Bookmark";
      return page(title, <BookmarkPage bookmark={bookmark} work={loaded?.view ?? null} />);
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/bookmarks/:id/edit",
    auth: "user",
    params: BookmarkParams,
    handler: async ({ deps, viewer, user, params }) => {
      const row = await ownBookmark(deps, user, params.id);
      const tags = await q.tagsOfBookmarks(deps.db, [row.id]);
      const values = {
        pseud_id: String(row.pseud_id),
        notes: row.notes_html,
        tags: (tags.get(row.id) ?? []).join(", "),
        rec: row.rec ? "1" : "",
        private: row.private ? "1" : "",
      };
      const target = await targetOf(deps, viewer, row);
      return formPage(deps, user, target, emptyForm(values), { bookmark: row.id });
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/bookmarks/:id",
    contributes: true,
    auth: "user",
    limit: writeLimit,
    params: BookmarkParams,
    body: BookmarkInput,
    onInvalid: async ({ deps, viewer, user, params, body }, errors) => {
      const row = await ownBookmark(deps, user, params.id);
      const target = await targetOf(deps, viewer, row);
      return formPage(deps, user, target, { values: body, errors }, { bookmark: row.id });
    },
    handler: async ({ req, deps, viewer, user, params, body }) => {
      const row = await ownBookmark(deps, user, params.id);
      const pseudId = await chosenPseud(deps, user.id, body.pseud_id);
      if (pseudId === null) {
        const target = await targetOf(deps, viewer, row);
        return refusedForm(req, NOT_OWN_PSEUD, (form) =>
          formPage(deps, user, target, form, { bookmark: row.id }),
        );
      }
      const edited = await editBookmark(deps.db, {
        id: row.id,
        pseudId,
        input: body,
        now: deps.now(),
      });
      if (!edited.ok) throw refusalError(edited);
      return redirect(`/bookmarks/${row.id}`, "Bookmark was successfully updated.");
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/bookmarks/:id/confirm_delete",
    auth: "user",
    params: BookmarkParams,
    handler: async ({ deps, viewer, user, params }) => {
      const row = await ownBookmark(deps, user, params.id);
      const target = await targetOf(deps, viewer, row);
      const what =
        target.kind !== "unavailable" && target.title !== null
          ? `your bookmark of “${target.title}”`
          : "this bookmark";
      return page(
        "Delete bookmark",
        <ConfirmDelete
          heading="Delete bookmark?"
          message={`Are you sure you want to delete ${what}? Its notes and tags are deleted with it.`}
          action={`/bookmarks/${row.id}/delete`}
          cancelUrl={`/bookmarks/${row.id}`}
        />,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/bookmarks/:id/delete",
    auth: "user",
    params: BookmarkParams,
    handler: async ({ deps, user, params }) => {
      const row = await ownBookmark(deps, user, params.id);
      // Refused only when another tab deleted it first: gone either way, as asked.
      await deleteBookmark(deps.db, { id: row.id, now: deps.now() });
      return redirect(`/users/${user.login}/bookmarks`, "Bookmark was successfully deleted.");
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/bookmarks",
    auth: "guest-ok",
    params: UserParams,
    query: BookmarkListQuery,
    handler: async ({ deps, viewer, params, query }) => {
      const owner = await accountOr404(deps, params.login);
      const base = `/users/${owner.login}/bookmarks`;
      const found = await bookmarkListing(
        deps,
        viewer,
        { kind: "user", userId: owner.id },
        query,
        base,
      );
      return page(
        `Bookmarks by ${owner.login}`,
        <UserBookmarksView
          login={owner.login}
          items={await presentWithWorks(deps.db, viewer, found.rows)}
          listing={found.listing}
          tags={found.tags}
          tagKey={found.tagKey}
          tagName={found.tagName}
          recsOnly={query.recs}
          href={(f) => listingHref(base, f)(1)}
          mutedNote={viewer.user?.exclusions.userIds.includes(owner.id) ?? false}
        />,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/works/:workId/bookmarks",
    auth: "guest-ok",
    params: WorkParams,
    query: BookmarkListQuery,
    handler: async ({ req, deps, viewer, params, query }) => {
      const loaded = await loadWork(deps, viewer, params.workId);
      if (loaded.access === "login-required") return restrictedPage(req.url);
      const base = `/works/${loaded.work.id}/bookmarks`;
      const [found, own] = await Promise.all([
        bookmarkListing(deps, viewer, { kind: "work", workId: loaded.work.id }, query, base),
        viewer.user ? q.bookmarkIdFor(deps.db, viewer.user.id, loaded.work.id) : undefined,
      ]);
      return page(
        `Bookmarks of ${loaded.work.title}`,
        <WorkBookmarksView
          work={loaded.view}
          bookmarks={await presentBookmarks(deps.db, viewer, found.rows)}
          listing={found.listing}
          tags={found.tags}
          tagKey={found.tagKey}
          tagName={found.tagName}
          href={(tag) => listingHref(base, { tag, recs: query.recs })(1)}
          ownBookmarkId={own}
          canBookmark={loaded.work.posted === 1}
        />,
      );
    },
  });
}
