import type { FastifyRequest } from "fastify";
import type { Queryable } from "../../core/db/index.ts";
import type { ViewerResolution } from "../../core/http/server.tsx";
import { countUnread } from "./queries.ts";

/** Adds the unread inbox count (for the header) to a logged-in viewer: one indexed count. */
export function withUnreadNotifications(
  resolve: (req: FastifyRequest) => Promise<ViewerResolution>,
  db: Queryable,
) {
  return async (req: FastifyRequest): Promise<ViewerResolution> => {
    const resolved = await resolve(req);
    const user = resolved.viewer.user;
    if (!user) return resolved;
    const unreadNotifications = await countUnread(db, user.id);
    return { ...resolved, viewer: { ...resolved.viewer, user: { ...user, unreadNotifications } } };
  };
}
