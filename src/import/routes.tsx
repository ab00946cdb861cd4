/**
 * Importing a work from a file, on the web (issue 14): upload → preview → confirm. The upload is
 * kept (uploads.ts) so the writer can change the splitting, fix the metadata or retry a refused
 * file without choosing it again; nothing is posted until they press Post or Save as draft, and
 * then every chapter goes in one transaction (postWorkWithChapters).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { notFound } from "../core/http/errors.ts";
import { formValues, redirect, route, type AppDeps } from "../core/http/route.tsx";
import { limits } from "../core/limits.ts";
import { charCount } from "../core/text/input-text.ts";
import type { ViewerUser } from "../core/viewer.ts";
import { str, type FormErrors, type FormValues } from "../core/views/forms.tsx";
import { pluralize } from "../core/views/format.ts";
import { page } from "../core/views/render.tsx";
import { postWorkWithChapters } from "../works/commands.ts";
import { isLanguage } from "../works/languages.ts";
import { pseudOptions } from "../works/load.ts";
import { ChapterTextField, NewWorkInput } from "../works/schemas.ts";
import { readImportFile } from "./read/index.ts";
import {
  IMPORT_FORMATS,
  IMPORT_MAX_BYTES,
  ImportError,
  type ImportOptions,
  type ImportedWork,
} from "./types.ts";
import {
  discardUpload,
  isUploadId,
  loadOwnUpload,
  storeUpload,
  type ImportUpload,
} from "./uploads.ts";
import { ImportPreview, ImportUploadForm, type KeptUpload } from "./views.tsx";

// ── Input ──────────────────────────────────────────────────────────────────────────────────

/** An empty form field is an absent one (a select left at its first option). */
const blank = (v: unknown) => (v === "" ? undefined : v);

const isEncodingLabel = (label: string) => {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
};

const SPLITS = ["auto", "none", "heading", "marker"] as const;

const ReadingShape = z.object({
  split: z.preprocess(
    blank,
    z.enum(SPLITS, { message: "Choose how to split the chapters." }).default("auto"),
  ),
  heading_level: z.preprocess(
    blank,
    z.enum(["1", "2", "3"], { message: "Choose a heading level from 1 to 3." }).default("2"),
  ),
  marker: z.string().trim().max(100, "The marker can be at most 100 characters.").default(""),
  encoding: z
    .string()
    .trim()
    .max(40, "Choose an encoding from the list.")
    .refine((v) => v === "" || isEncodingLabel(v), "Choose an encoding from the list.")
    .default(""),
  format: z.preprocess(
    blank,
    z.enum(IMPORT_FORMATS, { message: "Choose a format from the list." }).optional(),
  ),
});
type Reading = z.output<typeof ReadingShape>;

function markerNeeded(v: Reading, ctx: z.RefinementCtx) {
  if (v.split === "marker" && v.marker === "")
    ctx.addIssue({
      code: "custom",
      path: ["marker"],
      message: "Type the marker that starts each chapter, or choose another way to split.",
    });
}

const ReadingInput = ReadingShape.superRefine(markerNeeded);

const UploadId = z.string().refine(isUploadId, "must be an upload id");

/** The upload form: the reading options, the upload kept from a last try, the pseud. */
const UploadInput = ReadingShape.extend({
  upload_id: z.preprocess(blank, UploadId.optional()),
  pseud_id: z.preprocess(
    blank,
    z.coerce.number().int().positive("Choose one of your own pseuds.").optional(),
  ),
}).superRefine(markerNeeded);

/** The preview's form when confirmed; the work's metadata is checked with NewWorkInput. */
const ConfirmInput = ReadingShape.extend({
  action: z.enum(["post", "draft"], { message: "Choose Post or Save as draft." }).default("post"),
}).superRefine(markerNeeded);

/** Any id that is not one of the viewer's kept uploads is simply not found (a 404). */
const UploadParams = z.object({ uploadId: z.string().max(100) });

/** The preview's address may carry reading options (a bookmark, a link from an error). */
const PreviewQuery = z.object({
  split: z.string().max(20).optional(),
  heading_level: z.string().max(5).optional(),
  marker: z.string().max(200).optional(),
  encoding: z.string().max(60).optional(),
  format: z.string().max(10).optional(),
});

function importOptions(r: Reading): ImportOptions {
  const split: ImportOptions["split"] =
    r.split === "heading"
      ? { kind: "heading", level: Number(r.heading_level) }
      : r.split === "marker"
        ? { kind: "marker", marker: r.marker }
        : { kind: r.split };
  return {
    split,
    ...(r.format ? { format: r.format } : {}),
    ...(r.encoding ? { encoding: r.encoding } : {}),
  };
}

/**
 * Reading options from a form that failed validation: each valid one kept, the rest at their
 * defaults (a marker split without a marker finds the chapters itself), so the preview can
 * still be shown with the errors beside the fields.
 */
function fallbackReading(values: FormValues): Reading {
  const field = <K extends keyof Reading>(key: K, fallback: Reading[K]): Reading[K] => {
    const parsed = ReadingShape.shape[key].safeParse(values[key]);
    return parsed.success ? (parsed.data as Reading[K]) : fallback;
  };
  const reading: Reading = {
    split: field("split", "auto"),
    heading_level: field("heading_level", "2"),
    marker: field("marker", ""),
    encoding: field("encoding", ""),
    format: field("format", undefined),
  };
  if (reading.split === "marker" && reading.marker === "") reading.split = "auto";
  return reading;
}

const readingValues = (r: Reading): FormValues => ({
  split: r.split,
  heading_level: r.heading_level,
  marker: r.marker,
  encoding: r.encoding,
  format: r.format ?? "",
});

// ── Reading the file ───────────────────────────────────────────────────────────────────────

/** What the reader made of the file, or why it refused (never a 500 for a bad file). */
async function readUpload(
  req: FastifyRequest,
  upload: ImportUpload,
  bytes: Uint8Array,
  reading: Reading,
): Promise<ImportedWork | ImportError> {
  try {
    const work = await readImportFile(bytes, upload.file_name, importOptions(reading));
    if (work.chapters.length === 0) return new ImportError(422, "No text was found in this file.");
    return work;
  } catch (err) {
    if (err instanceof ImportError) return err;
    // A file the reader did not foresee: logged for us, a plain refusal for the writer.
    req.log.warn({ err, file: upload.file_name }, "import: the reader failed on a file");
    return new ImportError(400, "This file could not be read: it may be damaged.");
  }
}

const stem = (fileName: string) => fileName.replace(/\.[A-Za-z0-9]{1,8}$/, "").trim();

/** The language a file names, if the archive has it ("en-GB" → "en", "pt-br" → "pt-BR"). */
function knownLanguage(code: string | undefined): string {
  if (!code) return "en";
  const [primary = "", region] = code.trim().replace(/_/g, "-").split("-");
  const candidates = [
    region ? `${primary.toLowerCase()}-${region.toUpperCase()}` : "",
    primary.toLowerCase(),
  ];
  return candidates.find((c) => c !== "" && isLanguage(c)) ?? "en";
}

/** The metadata form as the file fills it; the writer adds the rating, warnings and fandoms. */
function valuesFromFile(work: ImportedWork, upload: ImportUpload): FormValues {
  return {
    title: (work.title.trim() || stem(upload.file_name) || upload.file_name).slice(
      0,
      limits.workTitle.max,
    ),
    summary: work.summary,
    notes: work.notes,
    end_notes: work.endNotes,
    language: knownLanguage(work.language),
    freeforms: work.tags.join(", "),
    rating: "",
    warnings: [],
    categories: [],
    fandoms: "",
    relationships: "",
    characters: "",
    expected_chapters: "",
    comment_policy: "registered",
  };
}

const keptOf = (upload: ImportUpload): KeptUpload => ({
  id: upload.id,
  fileName: upload.file_name,
  byteSize: upload.byte_size,
});

// ── Pages ──────────────────────────────────────────────────────────────────────────────────

async function uploadFormPage(
  deps: AppDeps,
  user: ViewerUser,
  args: {
    values?: FormValues;
    errors?: FormErrors;
    kept?: ImportUpload | undefined;
    refusal?: string;
    status?: number;
  },
) {
  const pseuds = await pseudOptions(deps, user.id);
  const values = {
    split: "auto",
    heading_level: "2",
    pseud_id: String(pseuds[0]?.id ?? ""),
    ...args.values,
  };
  return page(
    args.refusal ? "Import a work: the file was refused" : "Import a work",
    <ImportUploadForm
      form={{ values, errors: args.errors ?? {} }}
      pseuds={pseuds}
      kept={args.kept ? keptOf(args.kept) : undefined}
      refusal={args.refusal}
    />,
    args.status ?? 200,
  );
}

async function previewPage(
  deps: AppDeps,
  user: ViewerUser,
  upload: ImportUpload,
  work: ImportedWork,
  form: { values: FormValues; errors?: FormErrors; status?: number },
) {
  const pseuds = await pseudOptions(deps, user.id);
  return page(
    `Import preview: ${str(form.values, "title") || upload.file_name}`,
    <ImportPreview
      upload={keptOf(upload)}
      work={work}
      form={{ values: form.values, errors: form.errors ?? {} }}
      pseuds={pseuds}
    />,
    form.status ?? 200,
  );
}

/** Reads the upload and answers the preview, or the upload form with the reader's refusal. */
async function readAndPreview(
  req: FastifyRequest,
  deps: AppDeps,
  user: ViewerUser,
  loaded: { upload: ImportUpload; bytes: Uint8Array },
  reading: Reading,
  form: { values?: FormValues; errors?: FormErrors; status?: number },
) {
  const work = await readUpload(req, loaded.upload, loaded.bytes, reading);
  if (work instanceof ImportError)
    return uploadFormPage(deps, user, {
      values: { ...form.values, ...readingValues(reading) },
      ...(form.errors ? { errors: form.errors } : {}),
      kept: loaded.upload,
      refusal: work.message,
      status: work.status,
    });
  const values = {
    ...valuesFromFile(work, loaded.upload),
    ...form.values,
    ...readingValues(reading),
  };
  return previewPage(deps, user, loaded.upload, work, { ...form, values });
}

async function ownUpload(deps: AppDeps, user: ViewerUser, id: string) {
  const loaded = await loadOwnUpload(deps.db, deps.config.dataDir, {
    userId: user.id,
    id,
    now: deps.now(),
  });
  if (!loaded) throw notFound("upload (uploads are kept for a day)");
  return loaded;
}

/**
 * The work's metadata and every chapter checked as posting checks them (NewWorkInput for the
 * metadata and the first chapter, the chapter rules for the rest): the input to post, or the
 * errors to show on the preview.
 */
function checkForPosting(
  values: FormValues,
  work: ImportedWork,
  action: "post" | "draft",
): { input: NewWorkInput } | { errors: FormErrors } {
  const [first] = work.chapters;
  const errors: FormErrors = {};
  const chapterProblem = (i: number, title: string, html: string) => {
    if (charCount(title) > limits.chapterTitle.max)
      return `Chapter ${i + 1}: its title is longer than ${limits.chapterTitle.max} characters.`;
    const text = ChapterTextField.safeParse(html);
    return text.success ? null : `Chapter ${i + 1}: ${text.error.issues[0]?.message ?? ""}`;
  };
  work.chapters.forEach((c, i) => {
    const problem = chapterProblem(i, c.title, c.html);
    if (problem) errors.chapters ??= problem;
  });
  const parsed = NewWorkInput.safeParse({
    ...values,
    chapter_title: first?.title.slice(0, limits.chapterTitle.max) ?? "",
    text: first?.html ?? "",
    text_format: "html",
    action,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.length ? issue.path.map(String).join(".") : "_form";
      if (key === "text" || key === "chapter_title" || key === "text_format") continue;
      errors[key] ??= issue.message;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { errors };
  return { input: parsed.data };
}

// ── Routes ─────────────────────────────────────────────────────────────────────────────────

export function registerImportRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: "/works/import",
    auth: "user",
    contributes: true,
    handler: async ({ deps, user }) => uploadFormPage(deps, user, {}),
  });

  route(app, deps, {
    method: "POST",
    url: "/works/import",
    auth: "user",
    contributes: true,
    limit: { name: "imports", limit: 60, windowMs: 3_600_000 },
    // The file's limit: readMultipart (core/http/server.tsx) refuses a larger file with a 413.
    bodyLimit: IMPORT_MAX_BYTES,
    body: UploadInput,
    onInvalid: async ({ req, deps, user, body }, errors) => {
      // The file is kept even so: the writer fixes the options without choosing it again.
      const file = req.uploads.find((f) => f.field === "file");
      const id = str(body, "upload_id");
      const kept =
        file && file.bytes.length > 0 && file.bytes.length <= IMPORT_MAX_BYTES
          ? await storeUpload(deps.db, deps.config.dataDir, {
              userId: user.id,
              fileName: file.fileName,
              bytes: file.bytes,
              now: deps.now(),
            })
          : isUploadId(id)
            ? (
                await loadOwnUpload(deps.db, deps.config.dataDir, {
                  userId: user.id,
                  id,
                  now: deps.now(),
                })
              )?.upload
            : undefined;
      return uploadFormPage(deps, user, { values: body, errors, kept, status: 422 });
    },
    handler: async ({ req, deps, user, body }) => {
      const reading: Reading = body;
      const values: FormValues = {
        ...readingValues(reading),
        ...(body.pseud_id ? { pseud_id: String(body.pseud_id) } : {}),
      };
      const file = req.uploads.find((f) => f.field === "file");
      const earlier = body.upload_id
        ? await loadOwnUpload(deps.db, deps.config.dataDir, {
            userId: user.id,
            id: body.upload_id,
            now: deps.now(),
          })
        : undefined;
      if (!file) {
        if (earlier) return readAndPreview(req, deps, user, earlier, reading, { values });
        return uploadFormPage(deps, user, {
          values,
          errors: {
            file: body.upload_id
              ? "The file from your last try is no longer kept (uploads are kept for a day): choose it again."
              : "Choose a file to import.",
          },
          status: body.upload_id ? 404 : 400,
        });
      }
      if (file.bytes.length === 0 || file.bytes.length > IMPORT_MAX_BYTES) {
        const refusal =
          file.bytes.length === 0
            ? new ImportError(400, "The file is empty.")
            : new ImportError(413, "The file is larger than 20 MB, the most an import takes.");
        return uploadFormPage(deps, user, {
          values,
          kept: earlier?.upload,
          refusal: refusal.message,
          status: refusal.status,
        });
      }
      const upload = await storeUpload(deps.db, deps.config.dataDir, {
        userId: user.id,
        fileName: file.fileName,
        bytes: file.bytes,
        now: deps.now(),
      });
      // A new file replaces the one kept from the last try.
      if (earlier) await discardUpload(deps.db, deps.config.dataDir, earlier.upload.id);
      return readAndPreview(req, deps, user, { upload, bytes: file.bytes }, reading, { values });
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/works/import/:uploadId",
    auth: "user",
    contributes: true,
    params: UploadParams,
    query: PreviewQuery,
    handler: async ({ req, deps, user, params, query }) => {
      const loaded = await ownUpload(deps, user, params.uploadId);
      const parsed = ReadingInput.safeParse(query);
      if (!parsed.success) {
        const errors: FormErrors = {};
        for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
        return readAndPreview(req, deps, user, loaded, fallbackReading(query), {
          errors,
          status: 400,
        });
      }
      return readAndPreview(req, deps, user, loaded, parsed.data, {});
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/works/import/:uploadId/preview",
    auth: "user",
    contributes: true,
    params: UploadParams,
    bodyLimit: limits.postingBodyBytes,
    body: ReadingInput,
    onInvalid: async ({ req, deps, user, params, body }, errors) => {
      const loaded = await ownUpload(deps, user, params.uploadId);
      return readAndPreview(req, deps, user, loaded, fallbackReading(body), {
        values: body,
        errors,
        status: 422,
      });
    },
    handler: async ({ req, deps, user, params, body }) => {
      const loaded = await ownUpload(deps, user, params.uploadId);
      return readAndPreview(req, deps, user, loaded, body, { values: formValues(req.body) });
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/works/import/:uploadId/confirm",
    auth: "user",
    contributes: true,
    oncePerSubmission: { repeated: "This import was already posted, so it was not posted again." },
    params: UploadParams,
    bodyLimit: limits.postingBodyBytes,
    body: ConfirmInput,
    onInvalid: async ({ req, deps, user, params, body }, errors) => {
      const loaded = await ownUpload(deps, user, params.uploadId);
      return readAndPreview(req, deps, user, loaded, fallbackReading(body), {
        values: body,
        errors,
        status: 422,
      });
    },
    handler: async ({ req, deps, user, params, body }) => {
      const loaded = await ownUpload(deps, user, params.uploadId);
      const values = formValues(req.body);
      const work = await readUpload(req, loaded.upload, loaded.bytes, body);
      if (work instanceof ImportError)
        return readAndPreview(req, deps, user, loaded, body, { values });
      const again = (errors: FormErrors, status: number) =>
        previewPage(deps, user, loaded.upload, work, {
          values: { ...values, ...readingValues(body) },
          errors,
          status,
        });
      const checked = checkForPosting(values, work, body.action);
      if ("errors" in checked) return again(checked.errors, 422);
      const pseuds = await pseudOptions(deps, user.id);
      const chosen = checked.input.pseud_id;
      const pseud = chosen === undefined ? pseuds[0] : pseuds.find((p) => p.id === chosen);
      if (!pseud) return again({ pseud_id: "Choose one of your own pseuds." }, 400);
      const [, ...more] = work.chapters;
      const result = await postWorkWithChapters(deps.db, {
        pseudId: pseud.id,
        input: checked.input,
        now: deps.now(),
        moreChapters: more.map((c) => ({ title: c.title, html: c.html })),
      });
      if (!result.ok) return again(result.errors, result.status);
      await discardUpload(deps.db, deps.config.dataDir, loaded.upload.id);
      const count = pluralize(work.chapters.length, "chapter");
      return redirect(
        `/works/${result.value.workId}`,
        body.action === "draft"
          ? `Imported ${count} as a draft. Only you can see it until you post it.`
          : `Imported ${count}: the work is posted.`,
      );
    },
  });
}
