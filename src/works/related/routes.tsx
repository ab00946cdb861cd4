/**
 * The parent's side of related works (issue 15): `/works/:id/related_works` lists the works
 * naming it as their parent, for its creators to approve (shown on their work) or remove
 * (shown no longer; the child still links to it).
 */
import type { FastifyInstance } from "fastify";
import { notFound } from "../../core/http/errors.ts";
import { recordId } from "../../core/http/params.ts";
import { redirect, refusalError, route, type AppDeps } from "../../core/http/route.tsx";
import { page } from "../../core/views/render.tsx";
import type { Viewer, ViewerUser } from "../../core/viewer.ts";
import { loadOwnWork } from "../load.ts";
import { bylineOf } from "../present.ts";
import { creatorsOfWorks } from "../queries.ts";
import { WorkParams } from "../schemas.ts";
import { setRelatedApproval } from "./commands.ts";
import { shownChildren } from "./queries.ts";
import { ApprovalView } from "./views.tsx";

const RelatedParams = WorkParams.extend({ relatedId: recordId("related work") });

/** The links to the viewer's own work that they can see (not children awaiting a reveal). */
async function approvalRows(deps: AppDeps, viewer: Viewer, workId: number) {
  const rows = await shownChildren(deps.db, viewer, workId, { approvedOnly: false });
  const creators = await creatorsOfWorks(
    deps.db,
    rows.map((r) => r.workId),
  );
  return rows.map((r) => ({
    id: r.id,
    relation: r.relation,
    approved: r.approved === 1,
    work: { title: r.title, url: `/works/${r.workId}` },
    creators: bylineOf({ in_anon_collection: r.inAnonCollection }, creators.get(r.workId) ?? []),
  }));
}

export function registerRelatedWorkRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: "/works/:workId/related_works",
    auth: "user",
    params: WorkParams,
    handler: async ({ deps, user, viewer, params }) => {
      const { work } = await loadOwnWork(deps, user, viewer, params.workId);
      const rows = await approvalRows(deps, viewer, work.id);
      return page(
        `Related works of ${work.title}`,
        <ApprovalView work={{ id: work.id, title: work.title }} rows={rows} />,
      );
    },
  });

  async function decide(
    deps: AppDeps,
    user: ViewerUser,
    viewer: Viewer,
    params: { workId: number; relatedId: number },
    approved: boolean,
  ) {
    const { work } = await loadOwnWork(deps, user, viewer, params.workId);
    const rows = await approvalRows(deps, viewer, work.id);
    const row = rows.find((r) => r.id === params.relatedId);
    if (!row) throw notFound("related work");
    const done = await setRelatedApproval(deps.db, {
      parentWorkId: work.id,
      relatedId: row.id,
      approved,
      now: deps.now(),
    });
    if (!done.ok) throw refusalError(done);
    return redirect(
      `/works/${work.id}/related_works`,
      approved
        ? `“${row.work.title}” is now listed on your work.`
        : `“${row.work.title}” is no longer listed on your work.`,
    );
  }

  route(app, deps, {
    method: "POST",
    url: "/works/:workId/related_works/:relatedId/approve",
    auth: "user",
    params: RelatedParams,
    handler: ({ deps, user, viewer, params }) => decide(deps, user, viewer, params, true),
  });

  route(app, deps, {
    method: "POST",
    url: "/works/:workId/related_works/:relatedId/remove",
    auth: "user",
    params: RelatedParams,
    handler: ({ deps, user, viewer, params }) => decide(deps, user, viewer, params, false),
  });
}
