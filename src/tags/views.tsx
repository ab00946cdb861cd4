import type { Tag, TagType } from "../core/db/schema.ts";
import { formatNumber } from "../core/views/format.ts";
import {
  ErrorSummary,
  PostForm,
  TextInput,
  emptyForm,
  type FormState,
} from "../core/views/forms.tsx";
import { GATED_RATINGS } from "./fixed.ts";
import { tagUrlName, tagWorksPath } from "./names.ts";

const USER_TYPES: ReadonlySet<TagType> = new Set([
  "fandom",
  "relationship",
  "character",
  "freeform",
]);

export const tagPath = (name: string) => `/tags/${tagUrlName(name)}`;

const TYPE_LABEL: Record<TagType, string> = {
  media: "Media",
  rating: "Rating",
  warning: "Archive Warning",
  category: "Category",
  fandom: "Fandom",
  relationship: "Relationship",
  character: "Character",
  freeform: "Additional Tags",
};

function TagLinks({ tags, more }: { tags: Tag[]; more?: boolean }) {
  return (
    <ul class="tags commas index group">
      {tags.map((t) => (
        <li key={t.id}>
          <a class="tag" href={tagPath(t.name)}>
            {t.name}
          </a>
        </li>
      ))}
      {more ? <li>and more</li> : null}
    </ul>
  );
}

/** AO3's tree lists (metatags, subtags): one link per item. */
function TagTree({ tags }: { tags: Tag[] }) {
  return (
    <ul class="tags tree index">
      {tags.map((t) => (
        <li key={t.id}>
          <a class="tag" href={tagPath(t.name)}>
            {t.name}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** How many child tags of each type a tag page lists (AO3's TAG_LIST_LIMIT). */
export const CHILD_LIST_LIMIT = 300;

/** The types AO3 lists under "Child tags", in its order, with its class names and headings. */
export const CHILD_TYPES: readonly { type: TagType; class: string; heading: string }[] = [
  { type: "fandom", class: "fandoms", heading: "Fandoms" },
  { type: "character", class: "characters", heading: "Characters" },
  { type: "relationship", class: "relationships", heading: "Relationships" },
  { type: "freeform", class: "freeforms", heading: "Additional Tags" },
];

export interface TagPageProps {
  tag: Tag;
  canonical: Tag | undefined;
  synonyms: Tag[];
  parents: Tag[];
  /** Children of other types (at most CHILD_LIST_LIMIT + 1 of each: one more means "and more"). */
  children: Tag[];
  /** Children of the same type: the tag's subtags. */
  subtags: Tag[];
  /** Works the viewer may see tagged with exactly this tag. */
  uses: number;
  canWrangle: boolean;
}

/**
 * A tag's page in AO3's markup (app/views/tags/show.html.erb), which tools such as ao3.js
 * read: the category sentence and the canonical/common wording in the profile's first
 * paragraph, then div.parent, div.merger, div.synonym, div.meta, div.sub and div.child.
 */
export function TagPage(props: TagPageProps) {
  const { tag, canonical, synonyms, parents, children, subtags, uses, canWrangle } = props;
  const meta = parents.filter((p) => p.type === tag.type);
  const above = parents.filter((p) => p.type !== tag.type);
  const works = tagWorksPath(canonical?.name ?? tag.name);
  const childGroups = CHILD_TYPES.map((c) => ({
    ...c,
    tags: children.filter((t) => t.type === c.type),
  })).filter((c) => c.tags.length > 0);
  return (
    <div class="tag home profile">
      <h1 class="landmark heading">Tag: {tag.name}</h1>
      <div class="primary header module">
        <h2 class="heading">{tag.name}</h2>
        <ul class="navigation actions">
          <li>
            <a href={works}>Works ({formatNumber(uses)} tagged with exactly this tag)</a>
          </li>
          {canWrangle ? (
            <li>
              <a href={`${tagPath(tag.name)}/edit`}>Edit</a>
            </li>
          ) : null}
        </ul>
      </div>
      <p>
        This tag belongs to the {TYPE_LABEL[tag.type]} Category.
        {tag.canonical ? (
          <>
            {" "}
            {"It's a canonical tag. It's a common tag. You can use it to "}
            <a href={works}>filter works</a>.
          </>
        ) : null}
      </p>
      {tag.type === "rating" && GATED_RATINGS.has(tag.name) ? (
        <p class="warning">This tag indicates adult content.</p>
      ) : null}
      {above.length ? (
        <div class={tag.type === "fandom" ? "parent fandom listbox group" : "parent listbox group"}>
          <h3 class="heading">Parent tags (more general):</h3>
          <TagLinks tags={above} />
        </div>
      ) : null}
      {canonical ? (
        <div class="merger module">
          <h3 class="heading">Mergers</h3>
          <p>
            {tag.name} has been made a synonym of{" "}
            <a class="tag" href={tagPath(canonical.name)}>
              {canonical.name}
            </a>
            . Works and bookmarks tagged with {tag.name} will show up in {canonical.name}
            {"'s filter."}
          </p>
        </div>
      ) : null}
      {synonyms.length ? (
        <div class="synonym listbox group">
          <h3 class="heading">Tags with the same meaning:</h3>
          <TagLinks tags={synonyms} />
        </div>
      ) : null}
      {meta.length ? (
        <div class="meta listbox group">
          <h3 class="heading">Metatags:</h3>
          <TagTree tags={meta} />
        </div>
      ) : null}
      {subtags.length ? (
        <div class="sub listbox group">
          <h3 class="heading">Subtags:</h3>
          <TagTree tags={subtags} />
        </div>
      ) : null}
      {childGroups.length ? (
        <div class="child listbox group">
          <h3 class="heading">
            Child tags (displaying the first {formatNumber(CHILD_LIST_LIMIT)} of each type):
          </h3>
          {childGroups.map((c) => (
            <div key={c.type} class={`${c.class} listbox group`}>
              <h4 class="heading">{c.heading}:</h4>
              <TagLinks
                tags={c.tags.slice(0, CHILD_LIST_LIMIT)}
                more={c.tags.length > CHILD_LIST_LIMIT}
              />
            </div>
          ))}
        </div>
      ) : null}
      {!tag.canonical && !canonical ? (
        <p>{"This tag has not been marked common and can't be filtered on (yet)."}</p>
      ) : null}
      {/* Outside AO3's action list, which tools read as Works and Edit only. */}
      <p class="report-link">
        <a href={`/reports/new?type=tag&id=${tag.id}`}>Report this tag</a>
      </p>
    </div>
  );
}

export function TagEditPage(props: TagPageProps & { form: FormState }) {
  const { tag, canonical, parents, uses, form } = props;
  const base = tagPath(tag.name);
  return (
    <section class="tag-edit">
      <h1 class="heading">
        Wrangle <a href={base}>{tag.name}</a>
      </h1>
      <p>
        {TYPE_LABEL[tag.type]} ·{" "}
        {tag.canonical ? "canonical" : canonical ? `synonym of ${canonical.name}` : "unwrangled"} ·
        used on {formatNumber(uses)} works
      </p>
      {form.errors._form ? (
        <p class="error-summary" role="alert">
          {form.errors._form}
        </p>
      ) : null}

      <h2>Canonical</h2>
      <PostForm action={`${base}/canonical`}>
        <input type="hidden" name="canonical" value={tag.canonical ? "" : "1"} />
        <button type="submit">{tag.canonical ? "Make not canonical" : "Make canonical"}</button>
      </PostForm>

      <h2>Synonym</h2>
      {canonical ? (
        <PostForm action={`${base}/synonym/delete`}>
          <p>
            Synonym of <a href={tagPath(canonical.name)}>{canonical.name}</a>.
          </p>
          <button type="submit">Remove synonym link</button>
        </PostForm>
      ) : (
        <PostForm action={`${base}/synonym`}>
          <TextInput
            name="canonical"
            label="Make this a synonym of (canonical tag)"
            form={form}
            {...(USER_TYPES.has(tag.type) ? { suggest: tag.type as "fandom" } : {})}
            hint="Works with this tag will be listed under the canonical tag; their pages still show this name."
          />
          <button type="submit">Make synonym</button>
        </PostForm>
      )}

      <h2>Parent tags</h2>
      {parents.length ? (
        <ul class="parents">
          {parents.map((p) => (
            <li key={p.id}>
              <a href={tagPath(p.name)}>{p.name}</a> ({TYPE_LABEL[p.type]}){" "}
              <PostForm action={`${base}/parents/${p.id}/delete`} class="inline">
                <button type="submit" class="link" aria-label={`Remove parent ${p.name}`}>
                  Remove
                </button>
              </PostForm>
            </li>
          ))}
        </ul>
      ) : (
        <p>No parent tags.</p>
      )}
      <PostForm action={`${base}/parents`}>
        <TextInput
          name="parent"
          label="Add a parent tag"
          form={form}
          hint="A fandom for characters, relationships and additional tags; a medium for fandoms; a character for relationships; or a more general canonical tag of the same type."
        />
        <button type="submit">Add parent</button>
      </PostForm>

      <h2>Rename</h2>
      <PostForm action={`${base}/rename`}>
        <TextInput
          name="name"
          label="New name"
          form={form}
          maxLength={150}
          hint="Works keep this tag under its new name."
        />
        <button type="submit">Rename</button>
      </PostForm>
    </section>
  );
}

export function WranglingIndex({ fandoms, unwrangled }: { fandoms: Tag[]; unwrangled: Tag[] }) {
  return (
    <section>
      <h1>Tag wrangling</h1>
      <h2>Unwrangled fandoms</h2>
      {unwrangled.length ? (
        <ul>
          {unwrangled.map((t) => (
            <li key={t.id}>
              <a href={`${tagPath(t.name)}/edit`}>{t.name}</a> ({formatNumber(t.members_count)}{" "}
              uses)
            </li>
          ))}
        </ul>
      ) : (
        <p>Every fandom tag is wrangled.</p>
      )}
      <h2>Canonical fandoms</h2>
      <ul>
        {fandoms.map((f) => (
          <li key={f.id}>
            <a href={`/wrangling/${tagUrlName(f.name)}`}>{f.name}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function WranglingQueue(props: {
  fandom: Tag;
  type: "character" | "relationship" | "freeform";
  tags: Tag[];
  form?: FormState;
}) {
  const { fandom, type, tags } = props;
  const form = props.form ?? emptyForm({ fandom: fandom.name });
  const base = `/wrangling/${tagUrlName(fandom.name)}`;
  return (
    <section>
      <h1>
        Unwrangled {TYPE_LABEL[type].toLowerCase()} tags in{" "}
        <a href={tagPath(fandom.name)}>{fandom.name}</a>
      </h1>
      <nav aria-label="Tag types">
        <ul class="actions">
          {(["character", "relationship", "freeform"] as const).map((t) => (
            <li key={t}>
              {t === type ? (
                <strong>{TYPE_LABEL[t]}</strong>
              ) : (
                <a href={`${base}?type=${t}`}>{TYPE_LABEL[t]}</a>
              )}
            </li>
          ))}
        </ul>
      </nav>
      <ErrorSummary errors={form.errors} />
      {tags.length === 0 ? (
        <p>Nothing to wrangle here.</p>
      ) : (
        <PostForm action={`${base}?type=${type}`}>
          <table class="wrangling">
            <caption>Most used first</caption>
            <thead>
              <tr>
                <th scope="col">Choose</th>
                <th scope="col">Tag</th>
                <th scope="col">Uses</th>
              </tr>
            </thead>
            <tbody>
              {tags.map((t) => (
                <tr key={t.id}>
                  <td>
                    <input
                      type="checkbox"
                      name="tag_ids"
                      value={String(t.id)}
                      id={`tag-${t.id}`}
                      aria-label={`Choose ${t.name}`}
                    />
                  </td>
                  <td>
                    <label for={`tag-${t.id}`}>{t.name}</label>{" "}
                    <a href={`${tagPath(t.name)}/edit`}>(edit)</a>
                  </td>
                  <td>{formatNumber(t.members_count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <TextInput name="fandom" label="Assign to fandom" form={form} />
          <TextInput
            name="canonical"
            label="Or make them synonyms of (canonical tag)"
            form={form}
          />
          <button type="submit">Wrangle chosen tags</button>
        </PostForm>
      )}
    </section>
  );
}
