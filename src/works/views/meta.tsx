import { formatNumber } from "../../core/views/format.ts";
import type { MetaRow } from "../page-addons.ts";
import type { TagLink, WorkView } from "../present.ts";
import { SeriesMetaRow } from "../series/markup.tsx";

function Tags({ tags }: { tags: TagLink[] }) {
  return (
    <ul class="commas">
      {tags.map((t) => (
        <li key={t.name}>
          <a class="tag" href={t.url}>
            {t.name}
          </a>
        </li>
      ))}
    </ul>
  );
}

function TagRow({ kind, label, tags }: { kind: string; label: string; tags: TagLink[] }) {
  if (tags.length === 0) return null;
  return (
    <>
      <dt class={`${kind} tags`}>{label}:</dt>
      <dd class={`${kind} tags`}>
        <Tags tags={tags} />
      </dd>
    </>
  );
}

/**
 * AO3's `dl.work.meta.group`, so readers' tools find every field where they expect it.
 * `extra`: rows other domains add (page add-ons' `meta`: collections), before the stats.
 */
export function WorkMeta({ work, extra = [] }: { work: WorkView; extra?: readonly MetaRow[] }) {
  return (
    <div class="wrapper">
      <h2 class="landmark heading">Work Header</h2>
      <dl class="work meta group">
        <TagRow kind="rating" label="Rating" tags={[work.rating]} />
        <TagRow kind="warning" label="Archive Warnings" tags={work.warnings} />
        <TagRow
          kind="category"
          label={work.categories.length > 1 ? "Categories" : "Category"}
          tags={work.categories}
        />
        <TagRow
          kind="fandom"
          label={work.fandoms.length > 1 ? "Fandoms" : "Fandom"}
          tags={work.fandoms}
        />
        <TagRow kind="relationship" label="Relationships" tags={work.relationships} />
        <TagRow kind="character" label="Characters" tags={work.characters} />
        <TagRow kind="freeform" label="Additional Tags" tags={work.freeforms} />
        <dt class="language">Language:</dt>
        <dd class="language" lang={work.language.code}>
          {work.language.name}
        </dd>
        <SeriesMetaRow series={work.series} />
        {extra.map((row) => (
          <>
            <dt class={row.key}>{row.label}:</dt>
            <dd class={row.key}>{row.content}</dd>
          </>
        ))}
        <dt class="stats">Stats:</dt>
        <dd class="stats">
          <Stats work={work} />
        </dd>
      </dl>
    </div>
  );
}

export function Stats({ work }: { work: WorkView }) {
  return (
    <dl class="stats">
      <dt class="published">Published:</dt>
      <dd class="published">{work.published}</dd>
      {work.status ? (
        <>
          <dt class="status">{work.status.label}:</dt>
          <dd class="status">{work.status.date}</dd>
        </>
      ) : null}
      <dt class="words">Words:</dt>
      <dd class="words">{work.words}</dd>
      <dt class="chapters">Chapters:</dt>
      <dd class="chapters">{work.chapters}</dd>
      <Counts work={work} />
    </dl>
  );
}

/** Comments, kudos, bookmarks and hits, as AO3 shows them (zero comments/bookmarks hidden). */
export function Counts({ work }: { work: WorkView }) {
  const c = work.counts;
  if (!c) return null;
  return (
    <>
      {c.comments > 0 ? (
        <>
          <dt class="comments">Comments:</dt>
          <dd class="comments">
            <a href={`${work.url}?view_full_work=true#comments`}>{formatNumber(c.comments)}</a>
          </dd>
        </>
      ) : null}
      {c.kudos > 0 ? (
        <>
          <dt class="kudos">Kudos:</dt>
          <dd class="kudos">
            <a href={`${work.url}#kudos`}>{formatNumber(c.kudos)}</a>
          </dd>
        </>
      ) : null}
      {c.bookmarks > 0 ? (
        <>
          <dt class="bookmarks">Bookmarks:</dt>
          <dd class="bookmarks">
            <a href={`${work.url}/bookmarks`}>{formatNumber(c.bookmarks)}</a>
          </dd>
        </>
      ) : null}
      <dt class="hits">Hits:</dt>
      <dd class="hits">{formatNumber(c.hits)}</dd>
    </>
  );
}
