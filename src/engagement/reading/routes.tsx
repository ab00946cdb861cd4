/**
 * History (`/users/:login/readings`, AO3's address), "Marked for Later", and saving the
 * reader's place. Everything here is the reader's own: other people get 403.
 */
import { LoginParams } from "../../accounts/schemas.ts";
import { returnToField, ReturnToInput } from "../../core/http/params.ts";
import type { FastifyInstance } from "fastify";
import type { ComponentChildren } from "preact";
import { ownAccount } from "../../accounts/lookup.ts";
import { z } from "zod";
import { safeReturnTo } from "../../core/http/return-to.ts";
import {
  fieldsRefusalError,
  redirect,
  refusalError,
  route,
  type AppDeps,
} from "../../core/http/route.tsx";
import { page } from "../../core/views/render.tsx";
import type { Viewer, ViewerUser } from "../../core/viewer.ts";
import { loadWork } from "../../works/load.ts";
import { presentWorks } from "../../works/present.ts";
import { PageQuery } from "../../core/http/params.ts";
import { WorkParams } from "../../works/schemas.ts";
import { chapterLabel, chapterUrl } from "../../works/views/reading.tsx";
import { continueTargets, markForLater, savePlace } from "./commands.ts";
import * as q from "./queries.ts";
import { ClearHistoryView, historyUrl, HistoryView, HomeContinueReading } from "./views.tsx";

const HISTORY_PAGE_SIZE = 20;
const HOME_POSITIONS = 5;

const UserParams = LoginParams;
const EntryParams = UserParams.extend(WorkParams.shape);
const HistoryQuery = PageQuery.extend({
  show: z.enum(["to-read"], { message: 'must be "to-read" or left out' }).optional(),
});
const ReturnInput = ReturnToInput;
const HistorySwitchInput = z.object({
  history_enabled: z.enum(["1", "0"], { message: 'must be "1" (on) or "0" (off)' }),
  return_to: returnToField,
});

const PlaceInput = z.object({
  chapter_id: z.coerce
    .number({ message: "Chapter must be a chapter number." })
    .int("Chapter must be a chapter number.")
    .positive("Chapter must be a chapter number.")
    .max(2 ** 31 - 1, "Chapter must be a chapter number."),
  paragraph: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce
      .number({ message: "Paragraph must be a whole number from 0 to 100,000." })
      .int("Paragraph must be a whole number from 0 to 100,000.")
      .min(0, "Paragraph must be a whole number from 0 to 100,000.")
      .max(100_000, "Paragraph must be a whole number from 0 to 100,000.")
      .optional(),
  ),
  anchor: z.string().max(200, "Anchor must be at most 200 characters.").optional(),
  /** Sent by reading-position.js, which wants no page back. */
  via: z.enum(["script"], { message: 'Via must be "script" or left out.' }).optional(),
  return_to: returnToField,
});

/** Generous: the script posts every few seconds of scrolling while someone reads. */
const POSITION_LIMIT = { name: "reading-position", limit: 600, windowMs: 10 * 60_000 };
const LIST_LIMIT = { name: "readings", limit: 300, windowMs: 60 * 60_000 };

/** The reader's own lists only; anyone else gets 403, an unknown name 404. */
const ownLogin = (deps: AppDeps, me: ViewerUser, login: string) =>
  ownAccount(deps, me, login, "Reading history is private: only its owner can see it.");

export function registerReadingHistoryRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: "/users/:login/readings",
    auth: "user",
    params: UserParams,
    query: HistoryQuery,
    handler: async ({ deps, viewer, user: me, params, query, req }) => {
      const user = await ownLogin(deps, me, params.login);
      const list = query.show ?? "history";
      const [{ entries, total }, historyOn] = await Promise.all([
        q.historyPage(deps.db, viewer, user.id, {
          list,
          page: query.page,
          size: HISTORY_PAGE_SIZE,
        }),
        q.historyEnabled(deps.db, user.id),
      ]);
      const [views, targets] = await Promise.all([
        presentWorks(
          deps.db,
          viewer,
          entries.map((e) => e.work),
          deps.workCounts,
        ),
        continueTargets(deps.db, entries),
      ]);
      return page(
        list === "to-read" ? "Marked for Later" : "History",
        <HistoryView
          login={user.login}
          historyOn={historyOn}
          list={list}
          entries={entries.map((entry, i) => ({ entry, view: views[i]! }))}
          targets={targets}
          total={total}
          page={query.page}
          pages={Math.ceil(total / HISTORY_PAGE_SIZE)}
          returnTo={req.url}
          now={deps.now()}
        />,
      );
    },
  });

  // "Turn on History" from the history page (the preferences form sets it too). Its own
  // address, so turning history on never touches the other preferences.
  route(app, deps, {
    method: "POST",
    url: "/users/:login/preferences/history",
    auth: "user",
    params: UserParams,
    body: HistorySwitchInput,
    limit: LIST_LIMIT,
    handler: async ({ deps, user: me, params, body }) => {
      const user = await ownLogin(deps, me, params.login);
      const on = body.history_enabled === "1";
      await q.setHistoryEnabled(deps.db, user.id, on);
      return redirect(
        safeReturnTo(body.return_to, historyUrl(user.login)),
        on
          ? "Your history is on: works you read are added to it."
          : "Your history is off: works you read are no longer added to it.",
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/readings/:workId/delete",
    auth: "user",
    params: EntryParams,
    body: ReturnInput,
    limit: LIST_LIMIT,
    handler: async ({ deps, user: me, params, body }) => {
      const user = await ownLogin(deps, me, params.login);
      await q.removeFromHistory(deps.db, user.id, params.workId);
      return redirect(
        safeReturnTo(body.return_to, historyUrl(user.login)),
        "The work was removed from your history.",
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/users/:login/readings/clear",
    auth: "user",
    params: UserParams,
    handler: async ({ deps, viewer, user: me, params }) => {
      const user = await ownLogin(deps, me, params.login);
      const total = await q.countHistory(deps.db, viewer, user.id);
      return page("Clear history", <ClearHistoryView login={user.login} total={total} />);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/readings/clear",
    auth: "user",
    params: UserParams,
    limit: LIST_LIMIT,
    handler: async ({ deps, user: me, params }) => {
      const user = await ownLogin(deps, me, params.login);
      await q.clearHistory(deps.db, user.id);
      return redirect(historyUrl(user.login), "Your history was cleared.");
    },
  });

  for (const [action, marked] of [
    ["mark_for_later", true],
    ["mark_as_read", false],
  ] as const) {
    route(app, deps, {
      method: "POST",
      url: `/works/:workId/${action}`,
      auth: "user",
      params: WorkParams,
      body: ReturnInput,
      limit: LIST_LIMIT,
      handler: async ({ deps, viewer, user, params, body }) => {
        const loaded = await loadWork(deps, viewer, params.workId);
        const result = await markForLater(deps.db, {
          userId: user.id,
          loaded,
          marked,
          now: deps.now(),
        });
        if (!result.ok) throw refusalError(result);
        return redirect(
          safeReturnTo(body.return_to, loaded.view.url),
          marked
            ? `“${loaded.work.title}” is marked for later.`
            : `“${loaded.work.title}” is marked as read.`,
        );
      },
    });
  }

  route(app, deps, {
    method: "POST",
    url: "/works/:workId/position",
    auth: "user",
    params: WorkParams,
    body: PlaceInput,
    limit: { ...POSITION_LIMIT, by: "viewer" },
    handler: async ({ deps, viewer, user, params, body, reply }) => {
      const loaded = await loadWork(deps, viewer, params.workId);
      // The script follows the reader without being asked: with history off (a page opened
      // before it was turned off) its saves are dropped. "Save my place" is asked for: it saves.
      if (body.via === "script" && !loaded.isCreator && !(await q.historyEnabled(deps.db, user.id)))
        return reply.code(204).send();
      const result = await savePlace(deps.db, {
        userId: user.id,
        loaded,
        chapterId: body.chapter_id,
        paragraph: body.paragraph,
        anchor: body.anchor,
        now: deps.now(),
      });
      if (!result.ok) throw fieldsRefusalError(result);
      if (body.via === "script") return reply.code(204).send();
      const saved = result.value;
      const label = chapterLabel(saved.chapter);
      return redirect(
        safeReturnTo(body.return_to, chapterUrl(loaded.work.id, saved.chapter.id)),
        saved.finished
          ? `Your place is saved: you finished ${label}.`
          : `Your place is saved: ${label}, paragraph ${saved.paragraph + 1}.`,
      );
    },
  });
}

/** The home page's "Continue reading" list (handed to the works domain by the app). */
export async function continueReadingHome(ctx: {
  deps: AppDeps;
  viewer: Viewer;
}): Promise<ComponentChildren> {
  const user = ctx.viewer.user;
  if (!user) return null;
  const entries = await q.recentPositions(ctx.deps.db, ctx.viewer, user.id, HOME_POSITIONS);
  if (entries.length === 0) return null;
  const [views, targets] = await Promise.all([
    presentWorks(
      ctx.deps.db,
      ctx.viewer,
      entries.map((e) => e.work),
    ),
    continueTargets(ctx.deps.db, entries),
  ]);
  const items = views.flatMap((view) => {
    const target = targets.get(view.id);
    return target ? [{ view, target }] : [];
  });
  return <HomeContinueReading items={items} login={user.login} now={ctx.deps.now()} />;
}
