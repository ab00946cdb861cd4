/** Every comment address: posting (comments, replies, edits, deletions) and moderation. */
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../../../core/http/route.tsx";
import { registerCommentModerationRoutes } from "./moderation.tsx";
import { registerCommentPostingRoutes } from "./posting.tsx";

export function registerCommentRoutes(app: FastifyInstance, deps: AppDeps) {
  registerCommentPostingRoutes(app, deps);
  registerCommentModerationRoutes(app, deps);
}
