import type { FastifyInstance } from "fastify";
import { HttpError } from "../../core/http/errors.ts";
import { limits } from "../../core/limits.ts";
import {
  formValues,
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
import { creatorLink } from "../present.ts";
import { previewNewWork, type Preview } from "../preview.ts";
import { NewWorkInput, WorkMetaInput, WorkParams } from "../schemas.ts";
import { rememberTextFormat, textFormatOf } from "../text-format-queries.ts";
import { ConfirmDelete, EditWorkForm, NewWorkForm } from "../views/forms.tsx";
import {
  associationValues,
  saveAssociations,
  type AssociationUser,
  type WorkAssociation,
} from "../associations.ts";

/** The associations' fields for the form (works/associations.ts). */
function associationFields(
  deps: AppDeps,
  associations: readonly WorkAssociation[],
  form: FormState,
  user: AssociationUser,
  workId: number | null,
) {
  return Promise.all(associations.map(async (a) => a.fields({ form, user, workId, db: deps.db })));
}

/** The pseud to credit: the one chosen, if it is the author's, else their default. */
async function chosenPseud(deps: AppDeps, user: ViewerUser, chosen: number | undefined) {
  const pseuds = await pseudOptions(deps, user.id);
  const pseud = chosen === undefined ? pseuds[0] : pseuds.find((p) => p.id === chosen);
  if (!pseud)
    throw new HttpError(400, 'Field "pseud_id": choose one of your own pseuds.', {
      pseud_id: "Choose one of your own pseuds.",
    });
  return pseud;
}

async function creditPseud(deps: AppDeps, user: ViewerUser, chosen: number | undefined) {
  return (await chosenPseud(deps, user, chosen)).id;
}

export function registerPostingRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  associations: readonly WorkAssociation[] = [],
) {
  async function newWorkPage(deps: AppDeps, user: ViewerUser, form: FormState, preview?: Preview) {
    const pseuds = await pseudOptions(deps, user.id);
    return page(
      preview ? "Preview: Post New Work" : "Post New Work",
      <NewWorkForm
        form={form}
        pseuds={pseuds}
        preview={preview}
        associations={await associationFields(deps, associations, form, user, null)}
      />,
    );
  }

  async function editWorkPage(deps: AppDeps, user: ViewerUser, work: Work, form: FormState) {
    const pseuds = await pseudOptions(deps, user.id);
    return page(
      `Edit ${work.title}`,
      <EditWorkForm
        workId={work.id}
        title={work.title}
        form={form}
        pseuds={pseuds}
        associations={await associationFields(deps, associations, form, user, work.id)}
      />,
    );
  }

  route(app, deps, {
    method: "GET",
    url: "/works/new",
    auth: "user",
    handler: async ({ deps, user }) => {
      const [first] = await pseudOptions(deps, user.id);
      return newWorkPage(
        deps,
        user,
        emptyForm({
          language: "en",
          pseud_id: String(first?.id ?? ""),
          text_format: await textFormatOf(deps.db, user.id),
        }),
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
      const now = deps.now();
      const values = formValues(req.body);
      const result = await postWork(deps.db, {
        pseudId,
        input: body,
        now,
        associate: (tx, workId) =>
          saveAssociations(associations, tx, { workId, user, values, isNew: true, now }),
      });
      if (!result.ok) return refusedForm(req, result, (form) => newWorkPage(deps, user, form));
      await rememberTextFormat(deps.db, user.id, body.text_format);
      const message =
        body.action === "draft"
          ? "Draft saved. Only you can see it until you post it."
          : "Work was successfully posted.";
      return redirect(`/works/${result.value.workId}`, message);
    },
  });

  // Preview: the new-work form's Preview button sends the same fields here. It renders the
  // work as readers would see it above the form, and writes nothing: no draft, no remembered
  // format, and not POST /works, so the form's one-time token is still unused for Post.
  route(app, deps, {
    method: "POST",
    url: "/works/preview",
    auth: "user",
    bodyLimit: limits.postingBodyBytes,
    body: NewWorkInput,
    onInvalid: (ctx, errors) => newWorkPage(ctx.deps, ctx.user, { values: ctx.body, errors }),
    handler: async ({ req, deps, user, body }) => {
      const pseud = await chosenPseud(deps, user, body.pseud_id);
      const creator = creatorLink({
        workId: 0,
        pseudId: pseud.id,
        pseudName: pseud.name,
        userId: user.id,
        login: user.login,
      });
      const preview = previewNewWork(body, creator, deps.now());
      return newWorkPage(deps, user, emptyForm(formValues(req.body)), preview);
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/works/:workId/edit",
    auth: "user",
    params: WorkParams,
    handler: async ({ deps, user, viewer, params }) => {
      const loaded = await loadOwnWork(deps, user, viewer, params.workId);
      const extra = await associationValues(associations, deps.db, loaded.work.id, user);
      return editWorkPage(
        deps,
        user,
        loaded.work,
        emptyForm({ ...workFormValues(loaded, user.id), ...extra }),
      );
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
      const now = deps.now();
      const values = formValues(req.body);
      const result = await editWork(deps.db, {
        workId: loaded.work.id,
        pseudId,
        input: body,
        now,
        associate: (tx, workId) =>
          saveAssociations(associations, tx, { workId, user, values, isNew: false, now }),
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
