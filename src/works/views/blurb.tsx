import type { ComponentChildren } from "preact";
import { useRender } from "../../core/views/context.ts";
import { BuiltHtmlIn, UserHtml } from "../../core/views/trusted-html.tsx";
import type { WorkView } from "../present.ts";
import { LinkList, RestrictedLock } from "./links.tsx";
import { Counts } from "./meta.tsx";
import { SeriesBlurbList } from "../series/markup.tsx";
import { blurbsHtml } from "./blurb-html.ts";

const ratingSymbol: Record<string, string> = {
  "General Audiences": "G",
  "Teen And Up Audiences": "T",
  Mature: "M",
  Explicit: "E",
  "Not Rated": "NR",
};

/** One work in a listing, in AO3's `li.work.blurb.group` shape. */
export function WorkBlurb({ work, extra }: { work: WorkView; extra?: ComponentChildren }) {
  return (
    <li class="work blurb group" id={`work_${work.id}`}>
      <div class="header module">
        <h3 class="heading" id={`work_${work.id}_title`}>
          <a href={work.url}>{work.title}</a> by <LinkList links={work.creators} rel="author" />
          {work.gifts?.length ? (
            // AO3's "by A for R": R links to the recipient pseud's gifts (works/gifts/).
            <>
              {" for "}
              <LinkList links={work.gifts} />
            </>
          ) : null}
          {work.draft ? <span class="badge"> (Draft)</span> : null}
          {work.restricted ? (
            <>
              {" "}
              <RestrictedLock />
            </>
          ) : null}
        </h3>
        <h4 class="fandoms heading">
          <span class="landmark">Fandoms: </span>
          <LinkList links={work.fandoms} class="tag" />
        </h4>
        <ul class="required-tags">
          <li>
            <span class={`rating badge`} title={work.rating.name}>
              <span class="text">
                {ratingSymbol[work.rating.name] ?? "?"} · {work.rating.name}
              </span>
            </span>
          </li>
          <li>
            <span class="complete-status">{work.complete ? "Complete" : "Work in progress"}</span>
          </li>
        </ul>
        <p class="datetime">{work.status?.date ?? work.published}</p>
      </div>
      <h5 class="landmark heading">Tags</h5>
      <ul class="tags commas">
        {work.warnings.map((t) => (
          <li class="warnings" key={`w${t.name}`}>
            <strong>
              <a class="tag" href={t.url}>
                {t.name}
              </a>
            </strong>
          </li>
        ))}
        {work.relationships.map((t) => (
          <li class="relationships" key={`r${t.name}`}>
            <a class="tag" href={t.url}>
              {t.name}
            </a>
          </li>
        ))}
        {work.characters.map((t) => (
          <li class="characters" key={`c${t.name}`}>
            <a class="tag" href={t.url}>
              {t.name}
            </a>
          </li>
        ))}
        {work.freeforms.map((t) => (
          <li class="freeforms" key={`f${t.name}`}>
            <a class="tag" href={t.url}>
              {t.name}
            </a>
          </li>
        ))}
      </ul>
      {work.summaryHtml ? (
        <>
          <h6 class="landmark heading">Summary</h6>
          <UserHtml as="blockquote" class="summary" html={work.summaryHtml} />
        </>
      ) : null}
      <SeriesBlurbList series={work.series} />
      <dl class="stats">
        <dt class="language">Language:</dt>
        <dd class="language" lang={work.language.code}>
          {work.language.name}
        </dd>
        <dt class="words">Words:</dt>
        <dd class="words">{work.words}</dd>
        <dt class="chapters">Chapters:</dt>
        <dd class="chapters">{work.chapters}</dd>
        <Counts work={work} />
      </dl>
      {extra}
    </li>
  );
}

/**
 * `extra`: something a listing adds under a work's blurb (a search's matching passage).
 * Without it the blurbs are built as strings (blurb-html.ts), the same markup at less cost.
 */
export function WorkList(props: {
  works: WorkView[];
  empty: string;
  extra?: (work: WorkView) => ComponentChildren;
}) {
  const { works, empty, extra } = props;
  const { assetUrl, bytes } = useRender();
  if (works.length === 0) return <p class="empty">{empty}</p>;
  if (!extra)
    return (
      <BuiltHtmlIn
        as="ol"
        class="work index group"
        html={blurbsHtml(works, assetUrl("lock.svg"), bytes)}
      />
    );
  return (
    <ol class="work index group">
      {works.map((w) => (
        <WorkBlurb key={w.id} work={w} extra={extra?.(w)} />
      ))}
    </ol>
  );
}
