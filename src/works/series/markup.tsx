/**
 * How a work names its series (issue 15), in AO3's markup, which readers' tools read
 * (FanFicFare finds "Part N of" in `dd.series span.position`, and the series in `ul.series`):
 *
 *   work page: <dd class="series"><span class="series"><a class="previous" …>← Previous Work</a>
 *              <span class="position">Part 2 of <a href="/series/ID">Title</a></span>
 *              <a class="next" …>Next Work →</a></span></dd>
 *   blurb:     <h6 class="landmark heading">Series</h6><ul class="series"><li>Part <strong>2</strong>
 *              of <a href="/series/ID">Title</a></li></ul>
 */
import type { SeriesNeighbours, SeriesPlace } from "./queries.ts";

export interface SeriesLink {
  url: string;
  title: string;
  /** The work's "Part N". */
  position: number;
  /** On a work page, the neighbours the reader may see (null: none on that side). */
  previousUrl?: string | null;
  nextUrl?: string | null;
}

export const seriesPath = (id: number) => `/series/${id}`;

/** A work's place in a series, for its blurb. */
export const seriesLink = (place: SeriesPlace): SeriesLink => ({
  url: seriesPath(place.seriesId),
  title: place.title,
  position: place.position,
});

/** A work's place in a series with its neighbours, for its page. */
export const seriesNav = (place: SeriesNeighbours): SeriesLink => ({
  ...seriesLink(place),
  previousUrl: place.previousId === null ? null : `/works/${place.previousId}`,
  nextUrl: place.nextId === null ? null : `/works/${place.nextId}`,
});

/** The `dt.series`/`dd.series` pair of a work's meta: one `span.series` per series. */
export function SeriesMetaRow({ series }: { series: readonly SeriesLink[] | undefined }) {
  if (!series?.length) return null;
  return (
    <>
      <dt class="series">Series:</dt>
      <dd class="series">
        {series.map((s) => (
          <span class="series" key={s.url}>
            {s.previousUrl ? (
              <>
                <a class="previous" href={s.previousUrl}>
                  ← Previous Work
                </a>{" "}
              </>
            ) : null}
            <span class="position">
              Part {s.position} of <a href={s.url}>{s.title}</a>
            </span>
            {s.nextUrl ? (
              <>
                {" "}
                <a class="next" href={s.nextUrl}>
                  Next Work →
                </a>
              </>
            ) : null}
          </span>
        ))}
      </dd>
    </>
  );
}

/** A blurb's series list. */
export function SeriesBlurbList({ series }: { series: readonly SeriesLink[] | undefined }) {
  if (!series?.length) return null;
  return (
    <>
      <h6 class="landmark heading">Series</h6>
      <ul class="series">
        {series.map((s) => (
          <li key={s.url}>
            Part <strong>{s.position}</strong> of <a href={s.url}>{s.title}</a>
          </li>
        ))}
      </ul>
    </>
  );
}
