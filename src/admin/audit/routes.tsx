/**
 * /admin/audit (audit.read): the audit log, read only. Nothing in the archive edits or deletes
 * an entry (test/http/admin-policy.test.ts checks that no /admin/audit route takes a POST and
 * that no source file updates or deletes audit_log rows).
 */
import type { FastifyInstance } from "fastify";
import { auditEntries } from "../../core/audit-queries.ts";
import { route, type AppDeps } from "../../core/http/route.tsx";
import { may } from "../../core/permissions.ts";
import { page } from "../../core/views/render.tsx";
import { AuditQuery } from "../schemas.ts";
import { AuditView } from "./views.tsx";

const PER_PAGE = 50;

/** The log's address with these filters (and `before`, for an older page). */
function auditHref(filter: AuditQuery, before?: number) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filter, before }))
    if (value !== undefined && value !== "") params.set(key, String(value));
  const qs = params.toString();
  return qs ? `/admin/audit?${qs}` : "/admin/audit";
}

export function registerAdminAuditRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: "/admin/audit",
    auth: "user",
    allow: (u) => may(u, "audit.read"),
    query: AuditQuery,
    handler: async ({ deps, query }) => {
      // One more than a page: whether an older page exists, without counting the whole log.
      const rows = await auditEntries(deps.db, {
        ...(query.action ? { action: query.action } : {}),
        ...(query.actor ? { actorLogin: query.actor } : {}),
        ...(query.subject_type ? { subjectType: query.subject_type } : {}),
        ...(query.subject_id !== undefined ? { subjectId: query.subject_id } : {}),
        ...(query.before !== undefined ? { beforeId: query.before } : {}),
        limit: PER_PAGE + 1,
      });
      const entries = rows.slice(0, PER_PAGE);
      const last = entries.at(-1);
      const filter = { ...query, before: undefined };
      return page(
        "Audit log",
        <AuditView
          filter={filter}
          entries={entries}
          olderHref={rows.length > PER_PAGE && last ? auditHref(filter, last.id) : null}
          newestHref={query.before !== undefined ? auditHref(filter) : null}
        />,
      );
    },
  });
}
