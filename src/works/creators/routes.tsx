/**
 * Co-creators' pages (issue 15): a user's requests (`/users/:login/creatorships`, AO3's
 * "Co-Creator Requests"), "Remove me as co-creator" for works, chapters and series (each with
 * its confirmation page), and a series' creators page (`/series/:seriesId/creators`).
 */
import type { FastifyInstance } from "fastify";
import { ownAccount } from "../../accounts/lookup.ts";
import { forbidden, notFound } from "../../core/http/errors.ts";
import {
  redirect,
  refusalError,
  refusedForm,
  route,
  type AppDeps,
} from "../../core/http/route.tsx";
import { refusalMessage } from "../../core/result.ts";
import { formatDate } from "../../core/views/format.ts";
import { emptyForm, type FormState } from "../../core/views/forms.tsx";
import { page } from "../../core/views/render.tsx";
import type { Viewer, ViewerUser } from "../../core/viewer.ts";
import { findChapter } from "../chapter-queries.ts";
import { loadOwnWork } from "../load.ts";
import { loadOwnSeries } from "../series/load.ts";
import { creatorLink } from "../present.ts";
import { ChapterParams, WorkParams } from "../schemas.ts";
import { chapterLabel } from "../views/reading.tsx";
import { answerInvitations, invite, lastCreatorMessage, removeMe } from "./commands.ts";
import { NAMES_FIELD, writtenName } from "./names.ts";
import * as q from "./queries.ts";
import { AnswerInput, InviteInput, RequestsParams, SeriesParams } from "./schemas.ts";
import { ConfirmRemoveMe, RequestsView, SeriesCreatorsView, type RequestItem } from "./views.tsx";

const people = (rows: readonly { userId: number }[]) => new Set(rows.map((r) => r.userId));

/** What a request is for, as the requests page names and links it. */
function requestItem(i: q.InvitationDetails): RequestItem {
  const base = {
    id: i.id,
    pseud: writtenName(i),
    inviter: i.inviterLogin,
    date: formatDate(i.createdAt),
  };
  switch (i.targetType) {
    case "work":
      return { ...base, kind: "Work", title: i.workTitle ?? "", url: `/works/${i.workId}` };
    case "chapter": {
      const chapter = chapterLabel({
        position: i.chapterPosition ?? 0,
        title: i.chapterTitle ?? "",
      });
      return {
        ...base,
        kind: "Chapter",
        title: `${chapter} of “${i.workTitle ?? ""}”`,
        url: `/works/${i.workId}/chapters/${i.targetId}`,
      };
    }
    case "series":
      return { ...base, kind: "Series", title: i.seriesTitle ?? "", url: `/series/${i.targetId}` };
  }
}

/** The flash after answering: what the user now co-creates, or how many were answered. */
function answeredFlash(accept: boolean, count: number, first: RequestItem | undefined) {
  if (count === 0) return "Those requests are no longer open.";
  if (!accept) return count === 1 ? "Request rejected." : `${count} requests rejected.`;
  if (count === 1 && first) return `You are now a co-creator of “${first.title}”.`;
  return `You are now a co-creator of ${count} more works, chapters or series.`;
}

/**
 * A series the signed-in user co-creates (the series' own rules: 404 as for reading it, then
 * 403 unless they are its creator).
 */
async function ownSeries(deps: AppDeps, user: ViewerUser, viewer: Viewer, seriesId: number) {
  const { series, creators } = await loadOwnSeries(deps, user, viewer, seriesId);
  return { series, creators };
}

async function seriesCreatorsPage(
  deps: AppDeps,
  user: ViewerUser,
  viewer: Viewer,
  seriesId: number,
  form: FormState = emptyForm(),
) {
  const { series, creators } = await ownSeries(deps, user, viewer, seriesId);
  const pending = await q.pendingInvitations(deps.db, { type: "series", id: seriesId });
  return page(
    `Co-creators of ${series.title}`,
    <SeriesCreatorsView
      seriesId={series.id}
      title={series.title}
      creators={creators.map((c) => creatorLink({ ...c, workId: 0 }))}
      pending={pending.map(writtenName)}
      canRemoveMe={people(creators).size > 1}
      form={form}
    />,
  );
}

export function registerCreatorRoutes(app: FastifyInstance, deps: AppDeps) {
  // ── Requests ──────────────────────────────────────────────────────────────────────────────
  route(app, deps, {
    method: "GET",
    url: "/users/:login/creatorships",
    auth: "user",
    params: RequestsParams,
    handler: async ({ deps, user, params }) => {
      const account = await ownAccount(deps, user, params.login);
      const invitations = await q.invitationsOfUser(deps.db, account.id);
      return page(
        "Co-Creator Requests",
        <RequestsView
          login={account.login}
          items={invitations.filter(q.targetExists).map(requestItem)}
        />,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/creatorships",
    auth: "user",
    params: RequestsParams,
    body: AnswerInput,
    handler: async ({ deps, user, params, body }) => {
      const account = await ownAccount(deps, user, params.login);
      const accept = body.decision === "accept";
      const answered = await answerInvitations(deps.db, {
        userId: account.id,
        ids: body.invitation_id === undefined ? "all" : [body.invitation_id],
        accept,
        now: deps.now(),
      });
      if (!answered.ok) throw refusalError(answered);
      const { count, first } = answered.value;
      return redirect(
        `/users/${account.login}/creatorships`,
        answeredFlash(accept, count, first && requestItem(first)),
      );
    },
  });

  // ── Remove me: works ──────────────────────────────────────────────────────────────────────
  const workConfirm = (work: { id: number; title: string }, error?: string) =>
    page(
      `Remove me as co-creator of ${work.title}`,
      <ConfirmRemoveMe
        heading={`Remove yourself as co-creator of "${work.title}"?`}
        message="Your pseuds leave the work's byline and you will no longer be able to edit it. Only another creator could invite you back."
        action={`/works/${work.id}/creators/remove_me`}
        cancelUrl={`/works/${work.id}`}
        error={error}
      />,
    );

  route(app, deps, {
    method: "GET",
    url: "/works/:workId/creators/remove_me",
    auth: "user",
    params: WorkParams,
    handler: async ({ deps, user, viewer, params }) => {
      const { work, creators } = await loadOwnWork(deps, user, viewer, params.workId);
      const alone = people(creators).size === 1;
      return workConfirm(work, alone ? lastCreatorMessage("work") : undefined);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/works/:workId/creators/remove_me",
    auth: "user",
    params: WorkParams,
    handler: async ({ req, deps, user, viewer, params }) => {
      const { work } = await loadOwnWork(deps, user, viewer, params.workId);
      const removed = await removeMe(deps.db, {
        target: { type: "work", id: work.id },
        userId: user.id,
        now: deps.now(),
      });
      if (!removed.ok)
        return refusedForm(req, removed, () => workConfirm(work, refusalMessage(removed)));
      return redirect(
        `/users/${user.login}/works`,
        `You are no longer a co-creator of “${work.title}”.`,
      );
    },
  });

  // ── Remove me: chapters ───────────────────────────────────────────────────────────────────
  async function loadChapter(
    deps: AppDeps,
    user: ViewerUser,
    viewer: Viewer,
    params: { workId: number; chapterId: number },
  ) {
    const loaded = await loadOwnWork(deps, user, viewer, params.workId);
    const chapter = await findChapter(deps.db, params.workId, params.chapterId);
    if (!chapter) throw notFound("chapter");
    const creators = await q.chapterCreators(deps.db, { id: chapter.id, workId: chapter.work_id });
    if (!people(creators).has(user.id))
      throw forbidden("You aren't a creator of this chapter, so there is nothing to remove.");
    return { work: loaded.work, chapter, creators };
  }

  const chapterConfirm = (
    work: { id: number; title: string },
    chapter: { id: number; position: number; title: string },
    error?: string,
  ) =>
    page(
      "Remove me from this chapter",
      <ConfirmRemoveMe
        heading={`Remove yourself as co-creator of ${chapterLabel(chapter)} of "${work.title}"?`}
        message="Your pseuds leave this chapter's byline. You stay a creator of the work."
        action={`/works/${work.id}/chapters/${chapter.id}/creators/remove_me`}
        cancelUrl={`/works/${work.id}/chapters/${chapter.id}`}
        error={error}
      />,
    );

  route(app, deps, {
    method: "GET",
    url: "/works/:workId/chapters/:chapterId/creators/remove_me",
    auth: "user",
    params: ChapterParams,
    handler: async ({ deps, user, viewer, params }) => {
      const { work, chapter, creators } = await loadChapter(deps, user, viewer, params);
      const alone = people(creators).size === 1;
      return chapterConfirm(work, chapter, alone ? lastCreatorMessage("chapter") : undefined);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/works/:workId/chapters/:chapterId/creators/remove_me",
    auth: "user",
    params: ChapterParams,
    handler: async ({ req, deps, user, viewer, params }) => {
      const { work, chapter } = await loadChapter(deps, user, viewer, params);
      const removed = await removeMe(deps.db, {
        target: { type: "chapter", id: chapter.id },
        workId: work.id,
        userId: user.id,
        now: deps.now(),
      });
      if (!removed.ok)
        return refusedForm(req, removed, () =>
          chapterConfirm(work, chapter, refusalMessage(removed)),
        );
      return redirect(
        `/works/${work.id}/chapters/${chapter.id}`,
        `You are no longer a co-creator of ${chapterLabel(chapter)}.`,
      );
    },
  });

  // ── Series ────────────────────────────────────────────────────────────────────────────────
  route(app, deps, {
    method: "GET",
    url: "/series/:seriesId/creators",
    auth: "user",
    params: SeriesParams,
    handler: ({ deps, user, viewer, params }) =>
      seriesCreatorsPage(deps, user, viewer, params.seriesId),
  });

  route(app, deps, {
    method: "POST",
    url: "/series/:seriesId/creators",
    auth: "user",
    contributes: true,
    params: SeriesParams,
    body: InviteInput,
    onInvalid: (ctx, errors) =>
      seriesCreatorsPage(ctx.deps, ctx.user, ctx.viewer, ctx.params.seriesId, {
        values: ctx.body,
        errors,
      }),
    handler: async ({ req, deps, user, viewer, params, body }) => {
      const { series } = await ownSeries(deps, user, viewer, params.seriesId);
      const invited = await invite(deps.db, {
        target: { type: "series", id: series.id },
        names: body[NAMES_FIELD],
        inviter: user,
        withdrawUnnamed: false,
        field: NAMES_FIELD,
        now: deps.now(),
      });
      if (!invited.ok)
        return refusedForm(req, invited, (form) =>
          seriesCreatorsPage(deps, user, viewer, series.id, form),
        );
      const n = invited.value.invited.length;
      return redirect(
        `/series/${series.id}/creators`,
        n === 0
          ? "Nobody new was invited."
          : n === 1
            ? "Invitation sent. Their name shows on the series once they accept."
            : `${n} invitations sent. Their names show on the series once they accept.`,
      );
    },
  });

  const seriesConfirm = (series: { id: number; title: string }, error?: string) =>
    page(
      `Remove me as co-creator of ${series.title}`,
      <ConfirmRemoveMe
        heading={`Remove yourself as co-creator of the series "${series.title}"?`}
        message="Your pseuds leave the series' byline and you will no longer be able to change it. Your works stay in it."
        action={`/series/${series.id}/creators/remove_me`}
        cancelUrl={`/series/${series.id}/creators`}
        error={error}
      />,
    );

  route(app, deps, {
    method: "GET",
    url: "/series/:seriesId/creators/remove_me",
    auth: "user",
    params: SeriesParams,
    handler: async ({ deps, user, viewer, params }) => {
      const { series, creators } = await ownSeries(deps, user, viewer, params.seriesId);
      const alone = people(creators).size === 1;
      return seriesConfirm(series, alone ? lastCreatorMessage("series") : undefined);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/series/:seriesId/creators/remove_me",
    auth: "user",
    params: SeriesParams,
    handler: async ({ req, deps, user, viewer, params }) => {
      const { series } = await ownSeries(deps, user, viewer, params.seriesId);
      const removed = await removeMe(deps.db, {
        target: { type: "series", id: series.id },
        userId: user.id,
        now: deps.now(),
      });
      if (!removed.ok)
        return refusedForm(req, removed, () => seriesConfirm(series, refusalMessage(removed)));
      return redirect(
        `/series/${series.id}`,
        `You are no longer a co-creator of the series “${series.title}”.`,
      );
    },
  });
}
