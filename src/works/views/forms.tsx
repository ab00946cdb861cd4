import type { ComponentChildren } from "preact";
import { limits } from "../../core/limits.ts";
import { TEXT_FORMAT_LABELS, TEXT_FORMATS } from "../../core/text/formats.ts";
import { useRender } from "../../core/views/context.ts";
import {
  Checkbox,
  Choices,
  ErrorSummary,
  PostForm,
  RadioGroup,
  Select,
  TextArea,
  TextInput,
  type FormState,
} from "../../core/views/forms.tsx";
import { CATEGORIES, RATINGS, WARNINGS } from "../../tags/fixed.ts";
import { LANGUAGES } from "../languages.ts";
import type { Preview } from "../preview.ts";
import { WorkMeta } from "./meta.tsx";
import { WorkSkin } from "./reading.tsx";

export interface PseudOption {
  id: number;
  name: string;
}

const TAG_HINT = "Separate tags with commas.";

function FormErrorLine({ form }: { form: FormState }) {
  return form.errors._form ? (
    <p class="error-summary" role="alert">
      {form.errors._form}
    </p>
  ) : null;
}

/** The work's tags, preface, associations and comment settings (posting, editing, importing). */
export function WorkMetaFields({
  form,
  pseuds,
  associations,
}: {
  form: FormState;
  pseuds: PseudOption[];
  /** Fields of the form's associations (works/associations.ts), in AO3's order. */
  associations?: ComponentChildren;
}) {
  return (
    <>
      <fieldset>
        <legend>Tags</legend>
        <Select
          name="rating"
          label="Rating"
          required
          form={form}
          options={[
            { value: "", label: "Choose a rating" },
            ...RATINGS.map((r) => ({ value: r, label: r })),
          ]}
        />
        <Choices name="warnings" label="Archive Warnings" required form={form} options={WARNINGS} />
        <Choices name="categories" label="Categories" form={form} options={CATEGORIES} />
        <TextInput
          name="fandoms"
          label="Fandoms"
          required
          form={form}
          hint={TAG_HINT}
          suggest="fandom"
        />
        <TextInput
          name="relationships"
          label="Relationships"
          form={form}
          hint={TAG_HINT}
          suggest="relationship"
        />
        <TextInput
          name="characters"
          label="Characters"
          form={form}
          hint={TAG_HINT}
          suggest="character"
        />
        <TextInput
          name="freeforms"
          label="Additional Tags"
          suggest="freeform"
          form={form}
          hint={`${TAG_HINT} Up to ${limits.userTagsPerWork} fandom, relationship, character and additional tags in all, each at most ${limits.tagName.max} characters.`}
        />
      </fieldset>
      <fieldset>
        <legend>Preface</legend>
        <TextInput
          name="title"
          label="Work Title"
          required
          form={form}
          maxLength={limits.workTitle.max}
        />
        {pseuds.length > 1 ? (
          <Select
            name="pseud_id"
            label="Creator (pseud)"
            form={form}
            options={pseuds.map((p) => ({ value: String(p.id), label: p.name }))}
          />
        ) : null}
        <TextArea
          name="summary"
          label="Summary"
          form={form}
          rows={4}
          hint={`Plain text or HTML; at most ${limits.workSummary.max.toLocaleString("en-US")} characters.`}
        />
        <TextArea name="notes" label="Notes at the beginning" form={form} rows={4} />
        <TextArea name="end_notes" label="Notes at the end" form={form} rows={4} />
      </fieldset>
      <fieldset>
        <legend>Associations and status</legend>
        {associations}
        <Select
          name="language"
          label="Language"
          required
          form={form}
          options={LANGUAGES.map((l) => ({ value: l.code, label: l.name }))}
        />
        <TextInput
          name="expected_chapters"
          label="Expected number of chapters"
          form={form}
          hint='Leave blank (or "?") if you do not know yet.'
        />
        <Checkbox name="complete" label="This work is complete" form={form} />
        <Checkbox
          name="restricted"
          label="Only show this work to registered users"
          form={form}
          hint="Guests will not see it in any listing and will be asked to log in."
        />
      </fieldset>
      <CommentSettingsFields form={form} />
    </>
  );
}

const COMMENT_POLICIES = [
  { value: "registered", label: "Registered users only" },
  { value: "everyone", label: "Everyone, including guests" },
  { value: "off", label: "No one (comments off)" },
] as const;

/** Who may comment (works.comment_policy) and whether new comments wait for approval. */
function CommentSettingsFields({ form }: { form: FormState }) {
  return (
    <fieldset>
      <legend>Comments</legend>
      <RadioGroup
        name="comment_policy"
        legend="Who can comment on this work"
        options={COMMENT_POLICIES}
        fallback="registered"
        form={form}
      />
      <Checkbox
        name="moderated_comments"
        label="Enable comment moderation"
        form={form}
        hint="New comments wait for your approval before anyone else sees them."
      />
    </fieldset>
  );
}

/** The format choice's hint: what it covers, and on an edit form why Markdown would mangle. */
function formatHint(withNotes: boolean, editing: boolean): string {
  const covers = withNotes
    ? "Applies to the chapter text, summary and notes of this form."
    : "Applies to the work text, summary and notes of this form.";
  const how =
    "Rich text gives you a toolbar (with JavaScript); HTML keeps tags such as <b> and <i>; Markdown reads **bold**, *italics*, tables and ~~strikethrough~~; Plain text shows every character as typed.";
  return editing
    ? `${covers} The chapter is shown as it is stored, in HTML: keep Rich text or HTML to edit it (Markdown and Plain text would show its tags as text).`
    : `${covers} ${how}`;
}

/**
 * The rich-text editor's module (works/editor/editor.ts, built by core/http/assets.ts) and the
 * styles of the editor and the preview: only the posting forms load them.
 */
function EditorAssets() {
  const { assetUrl } = useRender();
  return (
    <>
      <link rel="stylesheet" href={assetUrl("writing.css")} />
      <script type="module" src={assetUrl("editor.js")} />
    </>
  );
}

function ChapterTextFields({
  form,
  withNotes,
  editing = false,
}: {
  form: FormState;
  withNotes: boolean;
  editing?: boolean;
}) {
  return (
    <fieldset>
      <legend>Chapter</legend>
      {withNotes ? (
        <TextInput
          name="position"
          label="Chapter number"
          type="number"
          form={form}
          hint="Where the chapter goes: a number past the last chapter puts it last, 0 or less first."
        />
      ) : null}
      <TextInput
        name="chapter_title"
        label="Chapter title"
        form={form}
        maxLength={limits.chapterTitle.max}
      />
      {withNotes ? (
        <>
          <TextArea name="summary" label="Chapter summary" form={form} rows={3} />
          <TextArea name="notes" label="Chapter notes at the beginning" form={form} rows={3} />
          <TextArea name="end_notes" label="Chapter notes at the end" form={form} rows={3} />
        </>
      ) : null}
      <Select
        name="text_format"
        label="Text format"
        form={form}
        hint={formatHint(withNotes, editing)}
        options={TEXT_FORMATS.map((f) => ({ value: f, label: TEXT_FORMAT_LABELS[f] }))}
      />
      {/* editor.js finds the textarea in here and puts the rich-text editor in its place. */}
      <div class="rich-text-field" data-rich-text>
        <TextArea
          name="text"
          label="Work Text"
          required
          form={form}
          rows={20}
          hint="A blank line starts a new paragraph. In HTML, Markdown and Rich text, bold, italics and other formatting are kept."
        />
      </div>
    </fieldset>
  );
}

/**
 * The form's preview: the text as the reading page shows it (the same markup and styles),
 * and what the sanitizer would take out. Nothing is saved until the form is sent.
 */
export function PreviewPanel({ preview }: { preview: Preview }) {
  return (
    <section class="preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading">Preview</h2>
      <div class="notice" role="status">
        <p>
          This is how readers will see it. Nothing has been saved yet: check it, then post or change
          it in the form below.
        </p>
        <p class="preview-removed">
          {preview.removed
            ? `Saving takes out what the archive does not allow (${preview.removed}).`
            : "Nothing was removed."}
        </p>
      </div>
      <div class="preview-frame work-page">
        <div class="work">
          <WorkMeta work={preview.work} />
          <WorkSkin
            work={preview.work}
            chapters={[preview.chapter]}
            index={preview.index}
            fullWork={false}
          />
        </div>
      </div>
    </section>
  );
}

/** The Preview button: the same form to another address, which renders and saves nothing. */
function PreviewButton({ action }: { action: string }) {
  return (
    <button type="submit" formAction={action} class="secondary">
      Preview
    </button>
  );
}

export function NewWorkForm({
  form,
  pseuds,
  preview,
  associations,
}: {
  form: FormState;
  pseuds: PseudOption[];
  preview?: Preview | undefined;
  associations?: ComponentChildren;
}) {
  return (
    <section class="work-form">
      <h1>Post New Work</h1>
      <EditorAssets />
      {preview ? <PreviewPanel preview={preview} /> : null}
      <p class="import-link">
        <a href="/works/import">Import a work from a file instead?</a> (text, Markdown, HTML, Word
        or EPUB)
      </p>
      <ErrorSummary errors={form.errors} />
      <PostForm action="/works" once>
        <WorkMetaFields form={form} pseuds={pseuds} associations={associations} />
        <ChapterTextFields form={form} withNotes={false} />
        <div class="actions">
          <PreviewButton action="/works/preview" />{" "}
          <button type="submit" name="action" value="post">
            Post
          </button>{" "}
          <button type="submit" name="action" value="draft" class="secondary">
            Save as draft
          </button>
        </div>
      </PostForm>
    </section>
  );
}

export function EditWorkForm({
  workId,
  title,
  form,
  pseuds,
  associations,
}: {
  workId: number;
  title: string;
  form: FormState;
  pseuds: PseudOption[];
  associations?: ComponentChildren;
}) {
  return (
    <section class="work-form">
      <h1>
        Edit <a href={`/works/${workId}`}>{title}</a>
      </h1>
      <ErrorSummary errors={form.errors} />
      <PostForm action={`/works/${workId}`}>
        <WorkMetaFields form={form} pseuds={pseuds} associations={associations} />
        <div class="actions">
          <button type="submit">Update</button>
        </div>
      </PostForm>
      <p>To change the text, edit its chapters from the work page.</p>
      <p>
        <a href={`/works/${workId}/orphan`}>Orphan this work</a> (give it away, keeping it on the
        archive)
      </p>
    </section>
  );
}

export function ChapterForm(props: {
  workId: number;
  workTitle: string;
  chapterId?: number;
  posted?: boolean;
  form: FormState;
  preview?: Preview | undefined;
  /** The chapter's "Add co-creators" field (works/creators). */
  coCreators?: ComponentChildren;
}) {
  const editing = props.chapterId !== undefined;
  const action = editing
    ? `/works/${props.workId}/chapters/${props.chapterId}`
    : `/works/${props.workId}/chapters`;
  return (
    <section class="work-form">
      <h1>
        {editing ? "Edit chapter of " : "New chapter for "}
        <a href={`/works/${props.workId}`}>{props.workTitle}</a>
      </h1>
      <EditorAssets />
      {props.preview ? <PreviewPanel preview={props.preview} /> : null}
      <ErrorSummary errors={props.form.errors} />
      <FormErrorLine form={props.form} />
      <PostForm action={action} once={!editing}>
        <ChapterTextFields form={props.form} withNotes editing={editing} />
        {props.coCreators ? (
          <fieldset>
            <legend>Chapter co-creators</legend>
            {props.coCreators}
          </fieldset>
        ) : null}
        <div class="actions">
          <PreviewButton action={`${action}/preview`} />{" "}
          {editing && props.posted ? (
            <button type="submit" name="action" value="post">
              Update
            </button>
          ) : (
            <>
              <button type="submit" name="action" value="post">
                Post
              </button>{" "}
              <button type="submit" name="action" value="draft" class="secondary">
                Save as draft
              </button>
            </>
          )}
        </div>
      </PostForm>
      {editing ? (
        <p>
          <a href={`/works/${props.workId}/chapters/${props.chapterId}/confirm_delete`}>
            Delete this chapter
          </a>
        </p>
      ) : null}
    </section>
  );
}

export function ConfirmDelete(props: {
  heading: string;
  message: string;
  action: string;
  cancelUrl: string;
  error?: string | undefined;
}) {
  return (
    <section class="confirm-delete">
      <h1>{props.heading}</h1>
      {props.error ? (
        <p class="error-summary" role="alert">
          {props.error}
        </p>
      ) : null}
      <p>{props.message}</p>
      <PostForm action={props.action}>
        <button type="submit" class="danger">
          Yes, delete
        </button>{" "}
        <a href={props.cancelUrl}>No, cancel</a>
      </PostForm>
    </section>
  );
}

export function ReorderForm(props: {
  workId: number;
  workTitle: string;
  chapters: { id: number; position: number; label: string }[];
  form: FormState;
}) {
  return (
    <section class="work-form">
      <h1>
        Reorder chapters of <a href={`/works/${props.workId}`}>{props.workTitle}</a>
      </h1>
      <ErrorSummary errors={props.form.errors} />
      <PostForm action={`/works/${props.workId}/chapters/manage`}>
        <p>
          Give each chapter its new number, then save. A number past the last chapter puts it last;
          0 or less puts it first.
        </p>
        <ol class="reorder">
          {props.chapters.map((c) => (
            <li key={c.id}>
              <label for={`position-${c.id}`}>{c.label}</label>{" "}
              <input
                id={`position-${c.id}`}
                type="number"
                name={`position_${c.id}`}
                value={String(c.position)}
              />
            </li>
          ))}
        </ol>
        <button type="submit">Save order</button>
      </PostForm>
    </section>
  );
}
