import { limits } from "../../core/limits.ts";
import {
  Checkbox,
  Choices,
  ErrorSummary,
  PostForm,
  Select,
  TextArea,
  TextInput,
  str,
  type FormState,
} from "../../core/views/forms.tsx";
import { CATEGORIES, RATINGS, WARNINGS } from "../../tags/fixed.ts";
import { LANGUAGES } from "../languages.ts";

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

function WorkMetaFields({ form, pseuds }: { form: FormState; pseuds: PseudOption[] }) {
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
  const chosen = str(form.values, "comment_policy") || "registered";
  return (
    <fieldset>
      <legend>Comments</legend>
      <fieldset class="field choices" id="field-comment_policy">
        <legend>Who can comment on this work</legend>
        {form.errors.comment_policy ? (
          <p class="field-error">{form.errors.comment_policy}</p>
        ) : null}
        <ul>
          {COMMENT_POLICIES.map((p) => (
            <li key={p.value}>
              <input
                type="radio"
                id={`field-comment_policy-${p.value}`}
                name="comment_policy"
                value={p.value}
                checked={chosen === p.value}
              />{" "}
              <label for={`field-comment_policy-${p.value}`}>{p.label}</label>
            </li>
          ))}
        </ul>
      </fieldset>
      <Checkbox
        name="moderated_comments"
        label="Enable comment moderation"
        form={form}
        hint="New comments wait for your approval before anyone else sees them."
      />
    </fieldset>
  );
}

function ChapterTextFields({ form, withNotes }: { form: FormState; withNotes: boolean }) {
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
      <TextArea
        name="text"
        label="Work Text"
        required
        form={form}
        rows={20}
        hint="Type or paste plain text or HTML. A blank line starts a new paragraph; bold, italics and other formatting in HTML are kept."
      />
    </fieldset>
  );
}

export function NewWorkForm({ form, pseuds }: { form: FormState; pseuds: PseudOption[] }) {
  return (
    <section class="work-form">
      <h1>Post New Work</h1>
      <ErrorSummary errors={form.errors} />
      <PostForm action="/works" once>
        <WorkMetaFields form={form} pseuds={pseuds} />
        <ChapterTextFields form={form} withNotes={false} />
        <div class="actions">
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
}: {
  workId: number;
  title: string;
  form: FormState;
  pseuds: PseudOption[];
}) {
  return (
    <section class="work-form">
      <h1>
        Edit <a href={`/works/${workId}`}>{title}</a>
      </h1>
      <ErrorSummary errors={form.errors} />
      <PostForm action={`/works/${workId}`}>
        <WorkMetaFields form={form} pseuds={pseuds} />
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
      <ErrorSummary errors={props.form.errors} />
      <FormErrorLine form={props.form} />
      <PostForm action={action} once={!editing}>
        <ChapterTextFields form={props.form} withNotes />
        <div class="actions">
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
