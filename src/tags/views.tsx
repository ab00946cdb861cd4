import type { Tag, TagType } from "../core/db/schema.ts";
import { formatNumber } from "../core/views/format.ts";
import {
  ErrorSummary,
  PostForm,
  TextInput,
  emptyForm,
  type FormState,
} from "../core/views/forms.tsx";
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

function TagLinks({ tags }: { tags: Tag[] }) {
  return (
    <ul class="tags commas">
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

function Grouped({
  heading,
  tags,
  of,
}: {
  heading: string;
  tags: Tag[];
  of: (t: TagType) => string;
}) {
  if (tags.length === 0) return null;
  const types = [...new Set(tags.map((t) => t.type))];
  return (
    <div class="tag-group">
      <h3>{heading}</h3>
      {types.map((type) => (
        <div key={type}>
          <h4>{of(type)}</h4>
          <TagLinks tags={tags.filter((t) => t.type === type)} />
        </div>
      ))}
    </div>
  );
}

export interface TagPageProps {
  tag: Tag;
  canonical: Tag | undefined;
  synonyms: Tag[];
  parents: Tag[];
  children: Tag[];
  /** Works the viewer may see tagged with exactly this tag. */
  uses: number;
  canWrangle: boolean;
}

export function TagPage(props: TagPageProps) {
  const { tag, canonical, synonyms, parents, children, uses, canWrangle } = props;
  const meta = parents.filter((p) => p.type === tag.type);
  const others = parents.filter((p) => p.type !== tag.type);
  const subtags = children.filter((c) => c.type === tag.type);
  const below = children.filter((c) => c.type !== tag.type);
  return (
    <section class="tag-page">
      <h1 class="heading">{tag.name}</h1>
      <p>
        This tag belongs to the {TYPE_LABEL[tag.type]} category.{" "}
        {tag.canonical
          ? "It's a common tag. You can use it to filter works."
          : canonical
            ? null
            : "It has not been wrangled yet, so works tagged with it are listed on their own."}
      </p>
      {canonical ? (
        <p class="merger notice">
          This tag has been made a synonym of <a href={tagPath(canonical.name)}>{canonical.name}</a>
          . Works tagged "{tag.name}" are listed under{" "}
          <a href={tagWorksPath(canonical.name)}>{canonical.name}</a>.
        </p>
      ) : null}
      <ul class="actions">
        <li>
          <a href={tagWorksPath(canonical?.name ?? tag.name)}>
            Works ({formatNumber(uses)} tagged with exactly this tag)
          </a>
        </li>
        {canWrangle ? (
          <li>
            <a href={`${tagPath(tag.name)}/edit`}>Wrangle this tag</a>
          </li>
        ) : null}
      </ul>
      {synonyms.length ? (
        <div class="tag-group">
          <h3>Tags with the same meaning</h3>
          <TagLinks tags={synonyms} />
        </div>
      ) : null}
      <Grouped heading="Parent tags (more general)" tags={meta} of={() => "Metatags"} />
      <Grouped heading="Belongs to" tags={others} of={(t) => TYPE_LABEL[t]} />
      <Grouped heading="Subtags (more specific)" tags={subtags} of={() => "Subtags"} />
      <Grouped heading="Child tags" tags={below} of={(t) => TYPE_LABEL[t]} />
    </section>
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
