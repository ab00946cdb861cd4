/**
 * The admin area's core: the dashboard, accounts and roles, the audit log. Every route is
 * for signed-in staff and names the action of the permission table it needs; the dashboard
 * lists only the areas the viewer's roles allow (dashboard.ts).
 */
import type { FastifyInstance } from "fastify";
import { route, type AppDeps } from "../core/http/route.tsx";
import { may } from "../core/permissions.ts";
import { page } from "../core/views/render.tsx";
import { registerAdminAuditRoutes } from "./audit/routes.tsx";
import { areasFor } from "./dashboard.ts";
import { registerAdminUserRoutes } from "./users/routes.tsx";
import { DashboardView } from "./views.tsx";

export function registerAdminRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: "/admin",
    auth: "user",
    allow: (u) => may(u, "admin.open"),
    handler: async ({ user }) => page("Admin", <DashboardView areas={areasFor(user)} />),
  });
  registerAdminUserRoutes(app, deps);
  registerAdminAuditRoutes(app, deps);
}
