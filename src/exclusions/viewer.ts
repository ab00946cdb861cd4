import type { FastifyRequest } from "fastify";
import type { Queryable } from "../core/db/index.ts";
import type { ViewerResolution } from "../core/http/server.tsx";
import { loadExclusions } from "./queries.ts";

/** Adds the reader's saved exclusions to whoever the session says they are. */
export function withExclusions(
  resolve: (req: FastifyRequest) => Promise<ViewerResolution>,
  db: Queryable,
) {
  return async (req: FastifyRequest): Promise<ViewerResolution> => {
    const resolved = await resolve(req);
    const user = resolved.viewer.user;
    if (!user) return resolved;
    const exclusions = await loadExclusions(db, user.id);
    return { ...resolved, viewer: { ...resolved.viewer, user: { ...user, exclusions } } };
  };
}
