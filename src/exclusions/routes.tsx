/** A reader's saved exclusions: /preferences/exclusions, and the forms that add to them. */
import { ReturnToInput, returnToField } from "../core/http/params.ts";
import { accountOr404 } from "../accounts/lookup.ts";
import { findUserById } from "../accounts/queries.ts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { HttpError } from "../core/http/errors.ts";
import { safeReturnTo } from "../core/http/return-to.ts";
import { redirect, refusalError, refusedForm, route, type AppDeps } from "../core/http/route.tsx";
import { limits } from "../core/limits.ts";
import { emptyForm, type FormState } from "../core/views/forms.tsx";
import { page } from "../core/views/render.tsx";
import { excludeTag, muteUserByLogin } from "./commands.ts";
import * as q from "./queries.ts";
import { ConfirmMuteView, ExclusionsView } from "./views.tsx";

const TagInput = z.object({
  tag: z
    .string()
    .trim()
    .min(1, "Enter a tag name")
    .max(limits.tagName.max * 2),
  return_to: returnToField,
});
const UserInput = z.object({
  login: z.string().trim().min(1, "Enter a user name").max(100),
  return_to: returnToField,
});
const IdParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});

const LoginParams = z.object({ login: z.string().max(100) });

const WRITE_LIMIT = { name: "exclusions", limit: 120, windowMs: 60 * 60_000 };

async function showPage(deps: AppDeps, userId: number, tagForm: FormState, userForm: FormState) {
  const [tags, users] = await Promise.all([
    q.excludedTags(deps.db, userId),
    q.mutedUsers(deps.db, userId),
  ]);
  const invalid = Object.keys(tagForm.errors).length + Object.keys(userForm.errors).length > 0;
  return page(
    "Your filters",
    <ExclusionsView tags={tags} users={users} tagForm={tagForm} userForm={userForm} />,
    invalid ? 422 : undefined,
  );
}

export function registerExclusionRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: "/preferences/exclusions",
    auth: "user",
    handler: ({ deps, user }) => showPage(deps, user.id, emptyForm(), emptyForm()),
  });

  route(app, deps, {
    method: "POST",
    url: "/preferences/exclusions/tags",
    auth: "user",
    limit: WRITE_LIMIT,
    body: TagInput,
    onInvalid: ({ deps, user }, errors) =>
      showPage(deps, user.id, { values: {}, errors }, emptyForm()),
    handler: async ({ req, deps, user, body }) => {
      const result = await excludeTag(deps.db, {
        userId: user.id,
        name: body.tag,
        now: deps.now(),
      });
      if (!result.ok)
        return refusedForm(req, result, (form) => showPage(deps, user.id, form, emptyForm()));
      return redirect(
        safeReturnTo(body.return_to, "/preferences/exclusions"),
        `Works tagged “${result.value.hidden}” are now hidden from your listings.`,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/preferences/exclusions/tags/:id/delete",
    auth: "user",
    params: IdParams,
    handler: async ({ deps, user, params }) => {
      await q.removeExcludedTag(deps.db, user.id, params.id);
      return redirect("/preferences/exclusions", "That tag is shown again.");
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/preferences/exclusions/users",
    auth: "user",
    limit: WRITE_LIMIT,
    body: UserInput,
    onInvalid: ({ deps, user }, errors) =>
      showPage(deps, user.id, emptyForm(), { values: {}, errors }),
    handler: async ({ req, deps, user, body }) => {
      const result = await muteUserByLogin(deps.db, {
        userId: user.id,
        login: body.login,
        now: deps.now(),
      });
      if (!result.ok) {
        // A mute button elsewhere (a profile) has no form here to show again.
        if (body.return_to) throw refusalError(result);
        return refusedForm(req, result, (form) => showPage(deps, user.id, emptyForm(), form));
      }
      return redirect(
        safeReturnTo(body.return_to, "/preferences/exclusions"),
        `${result.value.login} is muted: their works are hidden from you.`,
      );
    },
  });

  // Muting asks first (AO3's confirm_mute): a page saying what muting does, whose button posts
  // the mute. It works without script; "Cancel" goes back to the user's page.
  route(app, deps, {
    method: "GET",
    url: "/users/:login/mute",
    auth: "user",
    params: LoginParams,
    handler: async ({ deps, user, params }) => {
      const other = await accountOr404(deps, params.login);
      if (other.id === user.id) throw new HttpError(400, "You can't mute yourself.");
      const muted = user.exclusions.userIds.includes(other.id);
      return page(
        `Mute ${other.login}`,
        <ConfirmMuteView user={{ id: other.id, login: other.login }} alreadyMuted={muted} />,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/preferences/exclusions/users/:id/delete",
    auth: "user",
    params: IdParams,
    body: ReturnToInput,
    handler: async ({ deps, user, params, body }) => {
      const [other] = await Promise.all([
        findUserById(deps.db, params.id),
        q.unmuteUser(deps.db, user.id, params.id),
      ]);
      return redirect(
        safeReturnTo(body.return_to, "/preferences/exclusions"),
        other ? `${other.login} is no longer muted.` : "That user is no longer muted.",
      );
    },
  });
}
