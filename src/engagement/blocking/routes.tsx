/** /preferences/blocked: the users a reader blocked, and the forms that block and unblock. */
import { recordId, returnToField } from "../../core/http/params.ts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { safeReturnTo } from "../../core/http/return-to.ts";
import {
  redirect,
  refusalError,
  refusedForm,
  route,
  type AppDeps,
} from "../../core/http/route.tsx";
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
    handler: async ({ req, deps, user, body }) => {
      const result = await blockUserByLogin(deps.db, {
        userId: user.id,
        login: body.login,
        now: deps.now(),
      });
      if (!result.ok) {
        // A block button elsewhere (a profile) has no form here to show again.
        if (body.return_to) throw refusalError(result);
        return refusedForm(req, result, (form) => showPage(deps, user.id, form));
      }
      const { login, already } = result.value;
      return redirect(
        safeReturnTo(body.return_to, PAGE),
        already
          ? `${login} is already blocked.`
          : `${login} is blocked: they can no longer comment on or leave kudos on your works, nor reply to your comments.`,
      );
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
