/** /preferences/blocked: the users a reader blocked, and the forms that block and unblock. */
import { recordId, returnToField } from "../../core/http/params.ts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { safeReturnTo } from "../../core/http/return-to.ts";
import { HttpError } from "../../core/http/errors.ts";
import { redirect, route, type AppDeps } from "../../core/http/route.tsx";
import { emptyForm, type FormState } from "../../core/views/forms.tsx";
import { page } from "../../core/views/render.tsx";
import { blockUserByLogin } from "./commands.ts";
import * as q from "./queries.ts";
import { BlockedUsersView } from "./views.tsx";

const BlockInput = z.object({
  login: z
    .string({ message: "Enter a user name" })
    .trim()
    .min(1, "Enter a user name")
    .max(100, "A user name is at most 100 characters"),
  /** A block button elsewhere (a profile) comes back to where it was. */
  return_to: returnToField,
});
const IdParams = z.object({
  id: recordId("user"),
});

const WRITE_LIMIT = { name: "blocks", limit: 120, windowMs: 60 * 60_000 };
const PAGE = "/preferences/blocked";

async function showPage(deps: AppDeps, userId: number, form: FormState) {
  const users = await q.blockedUsers(deps.db, userId);
  const invalid = Object.keys(form.errors).length > 0;
  return page(
    "Blocked users",
    <BlockedUsersView users={users} form={form} />,
    invalid ? 422 : undefined,
  );
}

export function registerBlockingRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: PAGE,
    auth: "user",
    handler: ({ deps, user }) => showPage(deps, user.id, emptyForm()),
  });

  route(app, deps, {
    method: "POST",
    url: PAGE,
    auth: "user",
    limit: WRITE_LIMIT,
    body: BlockInput,
    onInvalid: ({ deps, user, body }, errors) =>
      showPage(deps, user.id, { values: { login: body.login }, errors }),
    handler: async ({ deps, user, body }) => {
      const outcome = await blockUserByLogin(deps.db, user.id, body.login, deps.now());
      if (!outcome.ok) {
        if (body.return_to) throw new HttpError(422, outcome.message, { login: outcome.message });
        const form = { values: { login: body.login }, errors: { login: outcome.message } };
        return showPage(deps, user.id, form);
      }
      return redirect(safeReturnTo(body.return_to, PAGE), outcome.message);
    },
  });

  route(app, deps, {
    method: "POST",
    url: `${PAGE}/:id/delete`,
    auth: "user",
    limit: WRITE_LIMIT,
    params: IdParams,
    handler: async ({ deps, user, params }) => {
      const removed = await q.unblockUser(deps.db, user.id, params.id);
      return redirect(
        PAGE,
        removed ? "That user is no longer blocked." : "That user wasn't blocked.",
      );
    },
  });
}
