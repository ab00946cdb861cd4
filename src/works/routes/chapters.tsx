import type { FastifyInstance } from "fastify";
import { Parser } from "htmlparser2";
import { notFound } from "../../core/http/errors.ts";
import {
  formValues,
  redirect,
  refusalError,
  refusedForm,
  route,
  type AppDeps,
} from "../../core/http/route.tsx";
import { refusalMessage } from "../../core/result.ts";
import type { Chapter, Work } from "../../core/db/schema.ts";
import { emptyForm, type FormErrors, type FormState } from "../../core/views/forms.tsx";
import { limits } from "../../core/limits.ts";
import { page } from "../../core/views/render.tsx";
import type { Viewer, ViewerUser } from "../../core/viewer.ts";
import * as chaptersQ from "../chapter-queries.ts";
import {
  addChapter,
  deleteChapter,
  editChapter,
  postDraftChapter,
  reorderChapters,
} from "../commands.ts";
import type { TextFormat } from "../../core/text/formats.ts";
import { lostInEditor } from "../editor/supported.ts";
import { loadOwnWork, type LoadedWork } from "../load.ts";
import { previewChapter, type Preview } from "../preview.ts";
import { ChapterInput, ChapterParams, ReorderInput, WorkParams } from "../schemas.ts";
import { rememberTextFormat, textFormatOf } from "../text-format-queries.ts";
import { chapterLabel } from "../views/reading.tsx";
import { ChapterForm, ConfirmDelete, ReorderForm } from "../views/forms.tsx";
import { chapterCoCreators } from "../creators/association.tsx";

/** The chapter named by the address, of a work the signed-in user may edit (else 403/404). */
async function loadOwnChapter(ctx: {
  deps: AppDeps;
  user: ViewerUser;
  viewer: Viewer;
  params: { workId: number; chapterId: number };
}) {
  const { deps, user, viewer, params } = ctx;
  const loaded = await loadOwnWork(deps, user, viewer, params.workId);
  const chapter = await chaptersQ.findChapter(deps.db, params.workId, params.chapterId);
  if (!chapter) throw notFound("chapter");
  return { ...loaded, chapter };
}

const newChapterPage = (work: Work, form: FormState, preview?: Preview) =>
  page(
    `${preview ? "Preview: " : ""}New chapter for ${work.title}`,
    <ChapterForm
      workId={work.id}
      workTitle={work.title}
      form={form}
      preview={preview}
      coCreators={chapterCoCreators.field(form, false)}
    />,
  );

const editChapterPage = (work: Work, chapter: Chapter, form: FormState, preview?: Preview) =>
  page(
    `${preview ? "Preview: " : ""}Edit chapter of ${work.title}`,
    <ChapterForm
      workId={work.id}
      workTitle={work.title}
      chapterId={chapter.id}
      posted={chapter.posted === 1}
      form={form}
      preview={preview}
      coCreators={chapterCoCreators.field(form, true)}
    />,
  );

/** True when the rich-text editor can hold `html` whole (editor/supported.ts). */
function editorKeeps(html: string): boolean {
  let keeps = true;
  const parser = new Parser({
    onopentag(name, attribs) {
      if (lostInEditor(name, Object.keys(attribs)).length > 0) keeps = false;
    },
  });
  parser.end(html);
  return keeps;
}

/**
 * The format an edit form starts in. Stored text is HTML, so it opens as HTML, or in the
 * rich-text editor for writers who use it and text it can hold; Markdown and plain text would
 * read its tags as text.
 */
function editFormat(preferred: TextFormat, html: string): TextFormat {
  return preferred === "rich" && editorKeeps(html) ? "rich" : "html";
}

/**
 * What saving an edit remembers: the format used, except HTML chosen by a Markdown or plain
 * text writer, which is the edit form's start (editFormat) rather than a new choice.
 */
function formatToRemember(preferred: TextFormat, used: TextFormat): TextFormat {
  return used === "html" && (preferred === "markdown" || preferred === "plain") ? preferred : used;
}

/** The chapter form's preview page: the chapter in its work, and the form as it was sent. */
async function chapterPreview(
  deps: AppDeps,
  loaded: LoadedWork,
  chapterId: number | null,
  input: ChapterInput,
): Promise<Preview> {
  const index = await chaptersQ.chapterIndex(deps.db, loaded.work.id);
  return previewChapter(loaded, index, chapterId, input);
}

const deleteChapterPage = (work: Work, chapter: Chapter, error?: string) =>
  page(
    "Delete chapter",
    <ConfirmDelete
      heading={`Delete ${chapterLabel(chapter)} of "${work.title}"?`}
      message="This deletes the chapter's text and notes for good. It cannot be undone."
      action={`/works/${work.id}/chapters/${chapter.id}/delete`}
      cancelUrl={`/works/${work.id}/chapters/${chapter.id}`}
      error={error}
    />,
  );

async function reorderPage(deps: AppDeps, work: Work, errors: FormErrors = {}) {
  const index = await chaptersQ.chapterIndex(deps.db, work.id);
  const chapters = index.map((c) => ({ id: c.id, position: c.position, label: chapterLabel(c) }));
  return page(
    `Reorder chapters of ${work.title}`,
    <ReorderForm
      workId={work.id}
      workTitle={work.title}
      chapters={chapters}
      form={{ values: {}, errors }}
    />,
  );
}

export function registerChapterRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: "/works/:workId/chapters/new",
    auth: "user",
    params: WorkParams,
    handler: async ({ deps, user, viewer, params }) => {
      const { work } = await loadOwnWork(deps, user, viewer, params.workId);
      const index = await chaptersQ.chapterIndex(deps.db, work.id);
      return newChapterPage(
        work,
        emptyForm({
          position: String(index.length + 1),
          text_format: await textFormatOf(deps.db, user.id),
        }),
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/works/:workId/chapters",
    contributes: true,
    auth: "user",
    oncePerSubmission: true,
    bodyLimit: limits.postingBodyBytes,
    params: WorkParams,
    body: ChapterInput,
    onInvalid: async (ctx, errors) => {
      const { work } = await loadOwnWork(ctx.deps, ctx.user, ctx.viewer, ctx.params.workId);
      return newChapterPage(work, { values: ctx.body, errors });
    },
    handler: async ({ req, deps, user, viewer, params, body }) => {
      const { work } = await loadOwnWork(deps, user, viewer, params.workId);
      const now = deps.now();
      const values = formValues(req.body);
      const result = await addChapter(deps.db, {
        workId: work.id,
        input: body,
        now,
        associate: (tx, chapterId) =>
          chapterCoCreators.save(tx, {
            workId: work.id,
            chapterId,
            user,
            values,
            isNew: true,
            now,
          }),
      });
      if (!result.ok) return refusedForm(req, result, (form) => newChapterPage(work, form));
      await rememberTextFormat(deps.db, user.id, body.text_format);
      const message =
        body.action === "draft" ? "Chapter saved as a draft." : "Chapter was successfully posted.";
      return redirect(`/works/${work.id}/chapters/${result.value.chapterId}`, message);
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/works/:workId/chapters/:chapterId/edit",
    auth: "user",
    params: ChapterParams,
    handler: async ({ deps, user, viewer, params }) => {
      const { work, chapter } = await loadOwnChapter({ deps, user, viewer, params });
      const preferred = await textFormatOf(deps.db, user.id);
      const coCreators = await chapterCoCreators.values(deps.db, chapter.id);
      return editChapterPage(
        work,
        chapter,
        emptyForm({
          ...coCreators,
          position: String(chapter.position),
          chapter_title: chapter.title,
          summary: chapter.summary_html,
          notes: chapter.notes_html,
          end_notes: chapter.end_notes_html,
          text: chapter.text_html,
          text_format: editFormat(preferred, chapter.text_html),
        }),
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/works/:workId/chapters/:chapterId",
    contributes: true,
    auth: "user",
    bodyLimit: limits.postingBodyBytes,
    params: ChapterParams,
    body: ChapterInput,
    onInvalid: async (ctx, errors) => {
      const { work, chapter } = await loadOwnChapter(ctx);
      return editChapterPage(work, chapter, { values: ctx.body, errors });
    },
    handler: async ({ req, deps, user, viewer, params, body }) => {
      const { work, chapter } = await loadOwnChapter({ deps, user, viewer, params });
      const now = deps.now();
      const values = formValues(req.body);
      const result = await editChapter(deps.db, {
        workId: work.id,
        chapterId: chapter.id,
        input: body,
        now,
        associate: (tx) =>
          chapterCoCreators.save(tx, {
            workId: work.id,
            chapterId: chapter.id,
            user,
            values,
            isNew: false,
            now,
          }),
      });
      if (!result.ok)
        return refusedForm(req, result, (form) => editChapterPage(work, chapter, form));
      const preferred = await textFormatOf(deps.db, user.id);
      await rememberTextFormat(deps.db, user.id, formatToRemember(preferred, body.text_format));
      return redirect(
        `/works/${work.id}/chapters/${chapter.id}`,
        "Chapter was successfully updated.",
      );
    },
  });

  // Previews: the chapter forms' Preview button sends the same fields here. Each renders the
  // chapter in its work above the form again and writes nothing (and is not the form's own
  // address, so a new chapter's one-time token is still unused for Post).
  route(app, deps, {
    method: "POST",
    url: "/works/:workId/chapters/preview",
    auth: "user",
    bodyLimit: limits.postingBodyBytes,
    params: WorkParams,
    body: ChapterInput,
    onInvalid: async (ctx, errors) => {
      const { work } = await loadOwnWork(ctx.deps, ctx.user, ctx.viewer, ctx.params.workId);
      return newChapterPage(work, { values: ctx.body, errors });
    },
    handler: async ({ req, deps, user, viewer, params, body }) => {
      const loaded = await loadOwnWork(deps, user, viewer, params.workId);
      const preview = await chapterPreview(deps, loaded, null, body);
      return newChapterPage(loaded.work, emptyForm(formValues(req.body)), preview);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/works/:workId/chapters/:chapterId/preview",
    auth: "user",
    bodyLimit: limits.postingBodyBytes,
    params: ChapterParams,
    body: ChapterInput,
    onInvalid: async (ctx, errors) => {
      const { work, chapter } = await loadOwnChapter(ctx);
      return editChapterPage(work, chapter, { values: ctx.body, errors });
    },
    handler: async ({ req, deps, user, viewer, params, body }) => {
      const loaded = await loadOwnChapter({ deps, user, viewer, params });
      const preview = await chapterPreview(deps, loaded, loaded.chapter.id, body);
      return editChapterPage(loaded.work, loaded.chapter, emptyForm(formValues(req.body)), preview);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/works/:workId/chapters/:chapterId/post",
    contributes: true,
    auth: "user",
    params: ChapterParams,
    handler: async ({ deps, user, viewer, params }) => {
      const { work, chapter } = await loadOwnChapter({ deps, user, viewer, params });
      const posted = await postDraftChapter(deps.db, {
        workId: work.id,
        chapterId: chapter.id,
        now: deps.now(),
      });
      if (!posted.ok) throw refusalError(posted);
      return redirect(`/works/${work.id}/chapters/${chapter.id}`, "Chapter was posted.");
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/works/:workId/chapters/:chapterId/confirm_delete",
    auth: "user",
    params: ChapterParams,
    handler: async ({ deps, user, viewer, params }) => {
      const { work, chapter } = await loadOwnChapter({ deps, user, viewer, params });
      return deleteChapterPage(work, chapter);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/works/:workId/chapters/:chapterId/delete",
    auth: "user",
    params: ChapterParams,
    handler: async ({ req, deps, user, viewer, params }) => {
      const { work, chapter } = await loadOwnChapter({ deps, user, viewer, params });
      const result = await deleteChapter(deps.db, {
        workId: work.id,
        chapterId: chapter.id,
        now: deps.now(),
      });
      if (!result.ok)
        return refusedForm(req, result, () =>
          deleteChapterPage(work, chapter, refusalMessage(result)),
        );
      return redirect(`/works/${work.id}`, "The chapter was deleted.");
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/works/:workId/chapters/manage",
    auth: "user",
    params: WorkParams,
    handler: async ({ deps, user, viewer, params }) => {
      const { work } = await loadOwnWork(deps, user, viewer, params.workId);
      return reorderPage(deps, work);
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/works/:workId/chapters/manage",
    auth: "user",
    params: WorkParams,
    body: ReorderInput,
    onInvalid: async (ctx, errors) => {
      const { work } = await loadOwnWork(ctx.deps, ctx.user, ctx.viewer, ctx.params.workId);
      return reorderPage(ctx.deps, work, errors);
    },
    handler: async ({ deps, user, viewer, params, body }) => {
      const { work } = await loadOwnWork(deps, user, viewer, params.workId);
      const result = await reorderChapters(deps.db, {
        workId: work.id,
        positions: body,
        now: deps.now(),
      });
      if (!result.ok) throw refusalError(result);
      return redirect(`/works/${work.id}/navigate`, "Chapter order saved.");
    },
  });
}
