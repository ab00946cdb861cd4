/**
 * The import pages (issue 14): the upload form, and the preview of what the file gave (chapters,
 * words, what the sanitizer removed, each chapter as readers will see it) with the work's
 * metadata form. Nothing is posted until the writer presses Post or Save as draft.
 */
import { useRender } from "../core/views/context.ts";
import { formatNumber, pluralize } from "../core/views/format.ts";
import {
  ErrorSummary,
  PostForm,
  RadioGroup,
  Select,
  TextInput,
  str,
  type FormState,
} from "../core/views/forms.tsx";
import { UserHtml } from "../core/views/trusted-html.tsx";
import { describeRemoved, mergeRemoved } from "../core/text/removed.ts";
import { WorkMetaFields, type PseudOption } from "../works/views/forms.tsx";
import { IMPORT_MAX_BYTES, type ImportedWork } from "./types.ts";

/** An upload kept for another try (its id travels in a hidden field). */
export interface KeptUpload {
  id: string;
  fileName: string;
  byteSize: number;
}

const ACCEPT = ".txt,.md,.markdown,.html,.htm,.xhtml,.docx,.epub";

export const FORMAT_LABELS = {
  txt: "Plain text",
  md: "Markdown",
  html: "HTML",
  docx: "Word (DOCX)",
  epub: "EPUB",
} as const;

/** Labels people know, in the WHATWG names TextDecoder takes; any other label is accepted too. */
const ENCODINGS = [
  { value: "", label: "Detect it (recommended)" },
  { value: "utf-8", label: "UTF-8 (Unicode)" },
  { value: "windows-1252", label: "Western European (Windows-1252)" },
  { value: "iso-8859-1", label: "Western European (ISO-8859-1, Latin-1)" },
  { value: "iso-8859-15", label: "Western European (ISO-8859-15, Latin-9)" },
  { value: "macintosh", label: "Western European (Mac OS Roman)" },
  { value: "windows-1250", label: "Central European (Windows-1250)" },
  { value: "iso-8859-2", label: "Central European (ISO-8859-2)" },
  { value: "windows-1251", label: "Cyrillic (Windows-1251)" },
  { value: "koi8-r", label: "Cyrillic (KOI8-R)" },
  { value: "windows-1253", label: "Greek (Windows-1253)" },
  { value: "windows-1254", label: "Turkish (Windows-1254)" },
  { value: "utf-16le", label: "UTF-16 (little-endian)" },
  { value: "utf-16be", label: "UTF-16 (big-endian)" },
  { value: "shift_jis", label: "Japanese (Shift_JIS)" },
  { value: "euc-jp", label: "Japanese (EUC-JP)" },
  { value: "gb18030", label: "Chinese, simplified (GB18030)" },
  { value: "big5", label: "Chinese, traditional (Big5)" },
  { value: "euc-kr", label: "Korean (EUC-KR)" },
];

const SPLITS = [
  { value: "auto", label: "Find them: EPUB chapters, headings or “Chapter 1” lines" },
  { value: "none", label: "Don't split: the whole file is one chapter" },
  { value: "heading", label: "At every heading of the level chosen below" },
  { value: "marker", label: "At every line starting with the marker typed below" },
] as const;

const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

function fileSize(bytes: number): string {
  if (bytes < 1024) return pluralize(bytes, "byte");
  if (bytes < 1024 * 1024) return `${formatNumber(Math.ceil(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toLocaleString("en-US", { maximumFractionDigits: 1 })} MB`;
}

/** How the text is cut into chapters, and how the file is read: on both pages. */
function ReadingFields({ form }: { form: FormState }) {
  return (
    <>
      <RadioGroup name="split" legend="Chapters" options={SPLITS} fallback="auto" form={form} />
      <div class="import-split-details">
        <Select
          name="heading_level"
          label="Heading level"
          form={form}
          hint="Level 1 is the largest heading (a Word “Heading 1”, an HTML <h1>, a Markdown #)."
          options={[
            { value: "1", label: "Level 1" },
            { value: "2", label: "Level 2" },
            { value: "3", label: "Level 3" },
          ]}
        />
        <TextInput
          name="marker"
          label="Marker"
          form={form}
          maxLength={100}
          hint="A line that starts with this begins a new chapter and gives its title, e.g. Chapter or ***."
        />
      </div>
      <details class="import-reading" open={Boolean(form.errors.encoding || form.errors.format)}>
        <summary>If the text looks wrong: format and encoding</summary>
        <Select
          name="format"
          label="Read the file as"
          form={form}
          options={[
            { value: "", label: "Detect it from the file" },
            ...Object.entries(FORMAT_LABELS).map(([value, label]) => ({ value, label })),
          ]}
        />
        <Select
          name="encoding"
          label="Encoding of a text or HTML file"
          form={form}
          hint="Only needed when accents or quotation marks come out garbled."
          options={
            ENCODINGS.some((e) => e.value === str(form.values, "encoding"))
              ? ENCODINGS
              : [
                  ...ENCODINGS,
                  { value: str(form.values, "encoding"), label: str(form.values, "encoding") },
                ]
          }
        />
      </details>
    </>
  );
}

/** The CSRF token for a form PostForm cannot make (a multipart one). */
function CsrfField() {
  const { csrfToken } = useRender();
  return <input type="hidden" name="_csrf" value={csrfToken} />;
}

export function ImportUploadForm(props: {
  form: FormState;
  pseuds: PseudOption[];
  /** The upload kept from the last try, which this form can read again. */
  kept?: KeptUpload | undefined;
  /** Why the file was refused, when it was. */
  refusal?: string | undefined;
}) {
  const { form, pseuds, kept, refusal } = props;
  const fileError = form.errors.file;
  return (
    <section class="work-form import-form">
      <h1>Import a work</h1>
      <p>
        Bring a story you wrote elsewhere: a plain text, Markdown, HTML, Word (.docx) or EPUB file
        of up to {megabytes(IMPORT_MAX_BYTES)}. Bold, italics and other formatting are kept. You
        will see a preview with the chapters found before anything is posted.
      </p>
      {refusal ? (
        <div class="error-summary" role="alert">
          <h2>This file could not be imported</h2>
          <p>{refusal}</p>
          {kept ? (
            <p>
              The file is kept for a day: try again with other options below without choosing it
              again, or choose another file.
            </p>
          ) : null}
        </div>
      ) : (
        <ErrorSummary errors={form.errors} />
      )}
      <form method="post" action="/works/import" enctype="multipart/form-data">
        <CsrfField />
        {kept ? <input type="hidden" name="upload_id" value={kept.id} /> : null}
        <fieldset>
          <legend>File</legend>
          {kept ? (
            <p class="kept-upload">
              Kept from your last try: <strong>{kept.fileName}</strong> ({fileSize(kept.byteSize)}).
              Leave the field below empty to read it again.
            </p>
          ) : null}
          <div class={fileError ? "field has-error" : "field"}>
            <label for="field-file">
              {kept ? "Or choose another file" : "File to import"}
              {kept ? null : <span class="required"> (required)</span>}
            </label>
            <p class="hint" id="field-file-hint">
              .txt, .md, .html, .htm, .docx or .epub; at most {megabytes(IMPORT_MAX_BYTES)}.
            </p>
            {fileError ? (
              <p class="field-error" id="field-file-error">
                {fileError}
              </p>
            ) : null}
            <input
              type="file"
              id="field-file"
              name="file"
              accept={ACCEPT}
              required={!kept}
              aria-invalid={fileError ? "true" : undefined}
              aria-describedby={fileError ? "field-file-hint field-file-error" : "field-file-hint"}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>Reading it</legend>
          <ReadingFields form={form} />
        </fieldset>
        {pseuds.length > 1 ? (
          <Select
            name="pseud_id"
            label="Post as (pseud)"
            form={form}
            options={pseuds.map((p) => ({ value: String(p.id), label: p.name }))}
          />
        ) : null}
        <div class="actions">
          <button type="submit">Preview</button>
        </div>
      </form>
      <p>
        Or <a href="/works/new">type or paste a work</a> into the posting form.
      </p>
    </section>
  );
}

export function ImportPreview(props: {
  upload: KeptUpload;
  work: ImportedWork;
  form: FormState;
  pseuds: PseudOption[];
}) {
  const { upload, work, form, pseuds } = props;
  const words = work.chapters.reduce((sum, c) => sum + c.words, 0);
  const removed = describeRemoved(mergeRemoved(work.chapters.map((c) => c.removed)));
  const chaptersError = form.errors.chapters;
  return (
    <section class="work-form import-preview">
      <h1>Preview: {str(form.values, "title") || work.title || upload.fileName}</h1>
      <p class="notice">
        Nothing is posted yet. Check the chapters, fill in the work's details below, then press{" "}
        <strong>Post</strong> or <strong>Save as draft</strong>.
      </p>
      <ErrorSummary errors={form.errors} />
      <dl class="import-facts">
        <dt>File</dt>
        <dd>
          {upload.fileName} ({fileSize(upload.byteSize)})
        </dd>
        <dt>Read as</dt>
        <dd>{FORMAT_LABELS[work.format]}</dd>
        {work.encoding ? (
          <>
            <dt>Encoding</dt>
            <dd>
              {work.encoding.name} ({ENCODING_SOURCES[work.encoding.source]})
            </dd>
          </>
        ) : null}
        <dt>Chapters</dt>
        <dd>{formatNumber(work.chapters.length)}</dd>
        <dt>Words</dt>
        <dd>{formatNumber(words)}</dd>
      </dl>
      {work.notices.length > 0 ? (
        <ul class="import-notices">
          {work.notices.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      ) : null}
      <p class="import-removed">
        {removed
          ? `The sanitizer ${removed}. Everything else, bold and italics included, is kept.`
          : "Nothing was removed: all of the formatting is kept."}
      </p>

      <section aria-labelledby="import-chapters-heading" id="field-chapters">
        <h2 id="import-chapters-heading">Chapters found</h2>
        {chaptersError ? (
          <p class="field-error" role="alert">
            {chaptersError}
          </p>
        ) : null}
        <div class="table-scroll">
          <table class="stats-table import-chapters">
            <thead>
              <tr>
                <th scope="col">No.</th>
                <th scope="col">Title</th>
                <th scope="col">Words</th>
              </tr>
            </thead>
            <tbody>
              {work.chapters.map((c, i) => (
                <tr key={i}>
                  <td>{i + 1}</td>
                  <th scope="row">{c.title || <span class="untitled">(no title)</span>}</th>
                  <td>{formatNumber(c.words)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  Total
                </th>
                <td>{formatNumber(words)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
        <h3>The text, as readers will see it</h3>
        {work.chapters.map((c, i) => (
          <details class="import-chapter" key={i}>
            <summary>
              {c.title ? `${i + 1}. ${c.title}` : `Chapter ${i + 1}`} ({pluralize(c.words, "word")})
            </summary>
            <UserHtml html={c.html} role="article" aria-label={`Chapter ${i + 1}`} />
          </details>
        ))}
      </section>

      <PostForm action={`/works/import/${upload.id}/confirm`} once>
        <fieldset>
          <legend>Chapters and reading</legend>
          <ReadingFields form={form} />
          <div class="actions">
            <button
              type="submit"
              class="secondary"
              formAction={`/works/import/${upload.id}/preview`}
              // Re-splitting comes before the required fields are filled in.
              formNoValidate
            >
              Change splitting
            </button>
          </div>
        </fieldset>
        <h2>About the work</h2>
        <WorkMetaFields form={form} pseuds={pseuds} />
        <div class="actions">
          <button type="submit" name="action" value="post">
            Post
          </button>{" "}
          <button type="submit" name="action" value="draft" class="secondary">
            Save as draft
          </button>
        </div>
      </PostForm>
      <p>
        <a href="/works/import">Import a different file</a>
      </p>
    </section>
  );
}

const ENCODING_SOURCES = {
  bom: "from its byte-order mark",
  meta: "as the file declares",
  detected: "detected",
  chosen: "as you chose",
  "utf-8": "the file is valid UTF-8",
} as const;
