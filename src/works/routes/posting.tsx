import type { FastifyInstance } from "fastify";
import { HttpError } from "../../core/http/errors.ts";
import { limits } from "../../core/limits.ts";
import {
  redirect,
  refusalError,
  refusedForm,
  route,
  type AppDeps,
} from "../../core/http/route.tsx";
import { emptyForm, type FormState } from "../../core/views/forms.tsx";
import type { Work } from "../../core/db/schema.ts";
import { page } from "../../core/views/render.tsx";
import type { ViewerUser } from "../../core/viewer.ts";
import { deleteWork, editWork, postDraftWork, postWork } from "../commands.ts";
import { loadOwnWork, pseudOptions, workFormValues } from "../load.ts";
import { NewWorkInput, WorkMetaInput, WorkParams } from "../schemas.ts";
import { ConfirmDelete, EditWorkForm, NewWorkForm } from "../views/forms.tsx";

/** The pseud to credit: the one chosen, if it is the author's, else their default. */
async function creditPseud(deps: AppDeps, user: ViewerUser, chosen: number | undefined) {
  const pseuds = await pseudOptions(deps, user.id);
  const pseud = chosen === undefined ? pseuds[0] : pseuds.find((p) => p.id === chosen);
  if (!pseud)
    throw new HttpError(400, 'Field "pseud_id": choose one of your own pseuds.', {
      pseud_id: "Choose one of your own pseuds.",
    });
  return pseud.id;
}

async function newWorkPage(deps: AppDeps, user: ViewerUser, form: FormState) {
  const pseuds = await pseudOptions(deps, user.id);
  return page("Post New Work", <NewWorkForm form={form} pseuds={pseuds} />);
}

async function editWorkPage(deps: AppDeps, user: ViewerUser, work: Work, form: FormState) {
  const pseuds = await pseudOptions(deps, user.id);
  return page(
    `Edit ${work.title}`,
    <EditWorkForm workId={work.id} title={work.title} form={form} pseuds={pseuds} />,
  );
}

export function registerPostingRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: "/works/new",
    auth: "user",
    handler: async ({ deps, user }) => {
      const [first] = await pseudOptions(deps, user.id);
      return newWorkPage(
        deps,
        user,
        emptyForm({ language: "en", pseud_id: String(first?.id ?? "") }),
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/works",
    contributes: true,
    auth: "user",
    oncePerSubmission: true,
    bodyLimit: limits.postingBodyBytes,
    body: NewWorkInput,
    onInvalid: (ctx, errors) => newWorkPage(ctx.deps, ctx.user, { values: ctx.body, errors }),
    handler: async ({ req, deps, user, body }) => {
      const pseudId = await creditPseud(deps, user, body.pseud_id);
      const result = await postWork(deps.db, { pseudId, input: body, now: deps.now() });
      if (!result.ok) return refusedForm(req, result, (form) => newWorkPage(deps, user, form));
      const message =
        body.action === "draft"
          ? "Draft saved. Only you can see it until you post it."
          : "Work was successfully posted.";
      return redirect(`/works/${result.value.workId}`, message);
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/works/:workId/edit",
    auth: "user",
    params: WorkParams,
    handler: async ({ deps, user, viewer, params }) => {
      const loaded = await loadOwnWork(deps, user, viewer, params.workId);
      return editWorkPage(deps, user, loaded.work, emptyForm(workFormValues(loaded)));
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/works/:workId",
    contributes: true,
    auth: "user",
    params: WorkParams,
    body: WorkMetaInput,
    onInvalid: async (ctx, errors) => {
      const loaded = await loadOwnWork(ctx.deps, ctx.user, ctx.viewer, ctx.params.workId);
      return editWorkPage(ctx.deps, ctx.user, loaded.work, { values: ctx.body, errors });
    },
    handler: async ({ req, deps, user, viewer, params, body }) => {
      const loaded = await loadOwnWork(deps, user, viewer, params.workId);
      const pseudId =
        body.pseud_id === undefined ? undefined : await creditPseud(deps, user, body.pseud_id);
      const result = await editWork(deps.db, {
        workId: loaded.work.id,
        pseudId,
        input: body,
        now: deps.now(),
      });
      if (!result.ok)
        return refusedForm(req, result, (form) => editWorkPage(deps, user, loaded.work, form));
      return redirect(`/works/${loaded.work.id}`, "Work was successfully updated.");
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/works/:workId/post",
    contributes: true,
    auth: "user",
    params: WorkParams,
    handler: async ({ deps, user, viewer, params }) => {
      const loaded = await loadOwnWork(deps, user, viewer, params.workId);
      const posted = await postDraftWork(deps.db, { workId: loaded.work.id, now: deps.now() });
      if (!posted.ok) throw refusalError(posted);
      return redirect(`/works/${loaded.work.id}`, "Your work was posted.");
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/works/:workId/confirm_delete",
    auth: "user",
    params: WorkParams,
    handler: async ({ deps, user, viewer, params }) => {
      const { work } = await loadOwnWork(deps, user, viewer, params.workId);
      return page(
        `Delete ${work.title}`,
        <ConfirmDelete
          heading={`Delete "${work.title}"?`}
          message="This deletes the work and all its chapters for good. It cannot be undone."
          action={`/works/${work.id}/delete`}
          cancelUrl={`/works/${work.id}`}
        />,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/works/:workId/delete",
    auth: "user",
    params: WorkParams,
    handler: async ({ deps, user, viewer, params }) => {
      const { work } = await loadOwnWork(deps, user, viewer, params.workId);
      const deleted = await deleteWork(deps.db, { workId: work.id, now: deps.now() });
      if (!deleted.ok) throw refusalError(deleted);
      return redirect(`/users/${user.login}/works`, `"${work.title}" was deleted.`);
    },
  });
}
