/** Series in bookmark pages (issue 15): AO3's `li.series.blurb.group`, and a series' bookmarks. */
import type { ComponentChildren } from "preact";
import { formatNumber } from "../../core/views/format.ts";
import { UserHtml } from "../../core/views/trusted-html.tsx";
import { LinkList } from "../../works/views/links.tsx";
import type { SeriesView } from "./series-present.ts";

/**
 * One series in a listing: its title and creators, fandoms, last update, description and
 * stats (words, works, complete, bookmarks) over the works the reader sees in it.
 */
export function SeriesBlurb({
  series: s,
  extra,
}: {
  series: SeriesView;
  extra?: ComponentChildren;
}) {
  return (
    <li class="series blurb group" id={`series_${s.id}`}>
      <div class="header module">
        <h3 class="heading">
          <a href={s.url}>{s.title}</a>
          {s.creators.length > 0 ? (
            <>
              {" "}
              by <LinkList links={s.creators} rel="author" />
            </>
          ) : null}
        </h3>
        {s.fandoms.length > 0 ? (
          <h4 class="fandoms heading">
            <span class="landmark">Fandoms: </span>
            <LinkList links={s.fandoms} class="tag" />
          </h4>
        ) : null}
        <p class="datetime">{s.updated}</p>
      </div>
      {s.summaryHtml ? (
        <>
          <h4 class="landmark heading">Series Description</h4>
          <UserHtml as="blockquote" class="summary" html={s.summaryHtml} />
        </>
      ) : null}
      <dl class="stats">
        <dt class="words">Words:</dt>
        <dd class="words">{s.words}</dd>
        <dt class="works">Works:</dt>
        <dd class="works">{s.works}</dd>
        <dt class="complete">Complete:</dt>
        <dd class="complete">{s.complete ? "Yes" : "No"}</dd>
        {s.bookmarks > 0 ? (
          <>
            <dt class="bookmarks">Bookmarks:</dt>
            <dd class="bookmarks">
              <a href={`${s.url}/bookmarks`}>{formatNumber(s.bookmarks)}</a>
            </dd>
          </>
        ) : null}
      </dl>
      {extra}
    </li>
  );
}

/** A series' bookmark count on its page, linking to its bookmarks (AO3's `dd.bookmarks`). */
export function SeriesBookmarkCount({ seriesId, count }: { seriesId: number; count: number }) {
  return count > 0 ? <a href={`/series/${seriesId}/bookmarks`}>{formatNumber(count)}</a> : <>0</>;
}
