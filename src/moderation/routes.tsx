/**
 * Reporting (anyone, guests with an e-mail) and the moderators' side: the queue, a report, the
 * actions on content (hide, unhide, delete) and on accounts (warn, suspend, ban and lifting
 * them). Every staff route asks core/permissions.ts `may()` for its action.
 */
import type { FastifyInstance } from "fastify";
import { notFound } from "../core/http/errors.ts";
import {
  redirect,
  refusalError,
  refusedForm,
  route,
  type AppDeps,
  type RateLimitRule,
} from "../core/http/route.tsx";
import { may, type StaffAction } from "../core/permissions.ts";
import type { ViewerUser } from "../core/viewer.ts";
import { emptyForm, type FormState } from "../core/views/forms.tsx";
import { page } from "../core/views/render.tsx";
import type { ReportSubjectType } from "../core/db/schema.ts";
import {
  deleteContent,
  disciplineUser,
  dismissReport,
  fileReport,
  hideContent,
  unhideContent,
} from "./commands.ts";
import * as q from "./queries.ts";
import {
  BanInput,
  ContentParams,
  DeleteInput,
  DismissInput,
  HIDEABLE,
  HideInput,
  LiftInput,
  LoginParams,
  QueueQuery,
  ReportInput,
  ReportParams,
  ReportTarget,
  reportIdOf,
  SuspendInput,
  UnhideInput,
  WarnInput,
  type Hideable,
} from "./schemas.ts";
import { loadSubject, parseSnapshot, type Snapshot } from "./subjects.ts";
import {
  ConfirmDeleteView,
  QueueView,
  ReportFormView,
  ReportView,
  UserModerationView,
} from "./views.tsx";
import { z } from "zod";
import { recordId } from "../core/http/params.ts";

/** Reports per account (or, for guests, per address): enough for a bad day, not for a flood. */
export const REPORT_LIMIT: RateLimitRule = { name: "reports", limit: 10, windowMs: 10 * 60_000 };

const QUEUE_PAGE = 50;

const allow = (action: StaffAction) => (user: ViewerUser) => may(user, action);
const moderatorOf = (user: ViewerUser) => ({
  id: user.id,
  login: user.login,
  admin: user.roles.has("admin"),
});

const isHideable = (type: ReportSubjectType): type is Hideable =>
  (HIDEABLE as readonly string[]).includes(type);

/** Rows with the title their snapshot gives, for lists. */
const titled = (rows: q.ReportRow[]) =>
  rows.map((r) => ({ ...r, title: parseSnapshot(r.snapshot_json).title }));

const DeleteQuery = z.object({
  report_id: z.union([z.literal(""), recordId("report")]).optional(),
});

export function registerModerationRoutes(app: FastifyInstance, deps: AppDeps) {
  // --- reporting -------------------------------------------------------------------------------

  async function visibleSnapshot(
    viewer: Parameters<typeof fileReport>[1]["viewer"],
    type: ReportSubjectType,
    id: number,
  ): Promise<Snapshot> {
    const subject = await loadSubject(deps.db, type, id);
    if (!subject || !(await subject.visibleTo(viewer))) throw notFound("content to report");
    return subject.snapshot;
  }

  route(app, deps, {
    method: "GET",
    url: "/reports/new",
    auth: "guest-ok",
    query: ReportTarget,
    handler: async ({ viewer, query }) => {
      const snapshot = await visibleSnapshot(viewer, query.type, query.id);
      return page(
        "Report",
        <ReportFormView
          type={query.type}
          id={query.id}
          snapshot={snapshot}
          guest={viewer.user === null}
          form={emptyForm()}
        />,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/reports/new",
    auth: "guest-ok",
    query: ReportTarget,
    body: ReportInput,
    honeypot: true,
    limit: REPORT_LIMIT,
    oncePerSubmission: { repeated: "Your report was already sent." },
    onInvalid: async ({ viewer, query, body }, errors) => {
      const snapshot = await visibleSnapshot(viewer, query.type, query.id);
      return page(
        "Report",
        <ReportFormView
          type={query.type}
          id={query.id}
          snapshot={snapshot}
          guest={viewer.user === null}
          form={{ values: body, errors }}
        />,
      );
    },
    handler: async ({ req, deps, viewer, query, body }) => {
      const result = await fileReport(deps.db, {
        type: query.type,
        id: query.id,
        viewer,
        input: body,
        now: deps.now(),
      });
      if (!result.ok) {
        if (result.status !== 422) throw refusalError(result);
        const snapshot = await visibleSnapshot(viewer, query.type, query.id);
        return refusedForm(req, result, (form) =>
          page(
            "Report",
            <ReportFormView
              type={query.type}
              id={query.id}
              snapshot={snapshot}
              guest={viewer.user === null}
              form={form}
            />,
          ),
        );
      }
      const snapshot = await visibleSnapshot(viewer, query.type, query.id);
      return redirect(
        snapshot.url,
        "Thank you: your report was sent to the moderators, who will look at it.",
      );
    },
  });

  // --- the queue -------------------------------------------------------------------------------

  route(app, deps, {
    method: "GET",
    url: "/admin/reports",
    auth: "user",
    allow: allow("reports.handle"),
    query: QueueQuery,
    handler: async ({ deps, query }) => {
      const owner = query.user ? await q.userByLogin(deps.db, query.user) : undefined;
      const { rows, total } = await q.listReports(deps.db, {
        status: query.status,
        type: query.type || undefined,
        // An unknown login matches no report.
        subjectUserId: query.user ? (owner?.id ?? -1) : undefined,
        offset: (query.page - 1) * QUEUE_PAGE,
        limit: QUEUE_PAGE,
      });
      return page(
        "Reports",
        <QueueView
          rows={titled(rows)}
          total={total}
          page={query.page}
          pages={Math.max(1, Math.ceil(total / QUEUE_PAGE))}
          filter={{ status: query.status, type: query.type, user: query.user }}
        />,
      );
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/admin/reports/:id",
    auth: "user",
    allow: allow("reports.handle"),
    params: ReportParams,
    handler: async ({ deps, user, params }) => {
      const report = await q.findReport(deps.db, params.id);
      if (!report) throw notFound("report");
      const current = await loadSubject(deps.db, report.subject_type, report.subject_id);
      // What a moderator can act on from here: the content (a chapter's work), and its owner.
      let hideable: { type: Hideable; id: number; hidden: boolean } | null = null;
      if (current && may(user, "content.moderate")) {
        if (isHideable(report.subject_type)) {
          hideable = {
            type: report.subject_type,
            id: report.subject_id,
            hidden: current.snapshot.hiddenReason !== null,
          };
        } else if (report.subject_type === "chapter") {
          const chapter = await q.chapterRow(deps.db, report.subject_id);
          const work = chapter ? await q.workRow(deps.db, chapter.work_id) : undefined;
          if (work) hideable = { type: "work", id: work.id, hidden: work.hidden_reason !== null };
        }
      }
      const owner =
        report.subject_user_id !== null && may(user, "users.discipline")
          ? ((await q.userRow(deps.db, report.subject_user_id)) ?? null)
          : null;
      return page(
        `Report #${report.id}`,
        <ReportView
          report={report}
          snapshot={parseSnapshot(report.snapshot_json)}
          now={current?.snapshot ?? null}
          hideable={hideable}
          owner={owner && owner.id !== user.id ? owner : null}
          clock={deps.now()}
        />,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/admin/reports/:id/dismiss",
    auth: "user",
    allow: allow("reports.handle"),
    params: ReportParams,
    body: DismissInput,
    handler: async ({ deps, user, params, body }) => {
      const result = await dismissReport(deps.db, {
        moderator: moderatorOf(user),
        reportId: params.id,
        note: body.note,
        now: deps.now(),
      });
      if (!result.ok) throw refusalError(result);
      return redirect("/admin/reports", `Report #${params.id} was dismissed.`);
    },
  });

  // --- content ---------------------------------------------------------------------------------

  const afterContent = (reportId: number | undefined, fallback: string) =>
    reportId !== undefined ? `/admin/reports/${reportId}` : fallback;

  route(app, deps, {
    method: "POST",
    url: "/admin/content/:type/:id/hide",
    auth: "user",
    allow: allow("content.moderate"),
    params: ContentParams,
    body: HideInput,
    handler: async ({ deps, user, params, body }) => {
      const reportId = reportIdOf(body.report_id);
      const result = await hideContent(deps.db, {
        moderator: moderatorOf(user),
        ...params,
        reason: body.reason,
        reportId,
        now: deps.now(),
      });
      if (!result.ok) throw refusalError(result);
      const subject = await loadSubject(deps.db, params.type, params.id);
      return redirect(
        afterContent(reportId, subject?.snapshot.url ?? "/admin/reports"),
        `The ${params.type} is hidden; its owner was told why.`,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/admin/content/:type/:id/unhide",
    auth: "user",
    allow: allow("content.moderate"),
    params: ContentParams,
    body: UnhideInput,
    handler: async ({ deps, user, params, body }) => {
      const reportId = reportIdOf(body.report_id);
      const result = await unhideContent(deps.db, {
        moderator: moderatorOf(user),
        ...params,
        reportId,
        now: deps.now(),
      });
      if (!result.ok) throw refusalError(result);
      const subject = await loadSubject(deps.db, params.type, params.id);
      return redirect(
        afterContent(reportId, subject?.snapshot.url ?? "/admin/reports"),
        `The ${params.type} is visible again.`,
      );
    },
  });

  async function deletePage(
    type: Hideable,
    id: number,
    reportId: number | undefined,
    form = emptyForm(),
  ) {
    const subject = await loadSubject(deps.db, type, id);
    if (!subject) throw notFound(type);
    return page(
      `Delete this ${type}?`,
      <ConfirmDeleteView
        type={type}
        id={id}
        snapshot={subject.snapshot}
        reportId={reportId}
        form={form}
      />,
    );
  }

  route(app, deps, {
    method: "GET",
    url: "/admin/content/:type/:id/delete",
    auth: "user",
    allow: allow("content.moderate"),
    params: ContentParams,
    query: DeleteQuery,
    handler: ({ params, query }) => deletePage(params.type, params.id, reportIdOf(query.report_id)),
  });

  route(app, deps, {
    method: "POST",
    url: "/admin/content/:type/:id/delete",
    auth: "user",
    allow: allow("content.moderate"),
    params: ContentParams,
    body: DeleteInput,
    onInvalid: ({ params, body }, errors) => {
      const raw = typeof body.report_id === "string" ? Number(body.report_id) : NaN;
      return deletePage(
        params.type,
        params.id,
        Number.isInteger(raw) && raw > 0 ? raw : undefined,
        {
          values: body,
          errors,
        },
      );
    },
    handler: async ({ deps, user, params, body }) => {
      const reportId = reportIdOf(body.report_id);
      const result = await deleteContent(deps.db, {
        moderator: moderatorOf(user),
        ...params,
        reason: body.reason,
        reportId,
        now: deps.now(),
      });
      if (!result.ok) throw refusalError(result);
      return redirect(
        afterContent(reportId, "/admin/reports"),
        `The ${params.type} was deleted; its owner was told why.`,
      );
    },
  });

  // --- accounts --------------------------------------------------------------------------------

  async function accountPage(login: string, form?: FormState) {
    const user = await q.userByLogin(deps.db, login);
    if (!user) throw notFound("user");
    const { rows } = await q.listReports(deps.db, {
      status: "all",
      subjectUserId: user.id,
      offset: 0,
      limit: 20,
    });
    return page(
      `Moderation: ${user.login}`,
      <UserModerationView
        user={user}
        reports={titled(rows)}
        now={deps.now()}
        {...(form ? { form } : {})}
      />,
    );
  }

  route(app, deps, {
    method: "GET",
    url: "/admin/users/:login/moderation",
    auth: "user",
    allow: allow("users.discipline"),
    params: LoginParams,
    handler: ({ params }) => accountPage(params.login),
  });

  const ACTIONS = {
    warn: { body: WarnInput, done: "The warning was sent." },
    suspend: { body: SuspendInput, done: "The account is suspended." },
    unsuspend: { body: LiftInput, done: "The suspension was lifted." },
    ban: { body: BanInput, done: "The account is banned and was logged out everywhere." },
    unban: { body: LiftInput, done: "The ban was lifted." },
  } as const;

  for (const action of Object.keys(ACTIONS) as (keyof typeof ACTIONS)[]) {
    route(app, deps, {
      method: "POST",
      url: `/admin/users/:login/${action}`,
      auth: "user",
      allow: allow("users.discipline"),
      params: LoginParams,
      body: ACTIONS[action].body,
      onInvalid: ({ params, body }, errors) => accountPage(params.login, { values: body, errors }),
      handler: async ({ req, deps, user, params, body }) => {
        const target = await q.userByLogin(deps.db, params.login);
        if (!target) throw notFound("user");
        const b = body as Record<string, unknown>;
        const said = [b.message, b.suspend_reason, b.ban_reason, b.reason].find(
          (v): v is string => typeof v === "string",
        );
        const text = said ?? "";
        const reportId = reportIdOf(b.report_id as number | "" | undefined);
        const result = await disciplineUser(deps.db, {
          moderator: moderatorOf(user),
          userId: target.id,
          action,
          text,
          ...(typeof b.days === "number" ? { days: b.days } : {}),
          reportId,
          now: deps.now(),
        });
        if (!result.ok) {
          if (result.status === 422 || result.status === 409)
            return refusedForm(req, result, (form) => accountPage(params.login, form));
          throw refusalError(result);
        }
        return redirect(
          reportId !== undefined
            ? `/admin/reports/${reportId}`
            : `/admin/users/${encodeURIComponent(target.login)}/moderation`,
          ACTIONS[action].done,
        );
      },
    });
  }
}
