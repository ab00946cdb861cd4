/** The author statistics page: per-work table, a chart over time, per-chapter figures. */
import { formatNumber, pluralize } from "../../core/views/format.ts";
import { DailyChart, isoDay } from "./chart.tsx";
import { defaultDirection, type Direction, type Sort, type Totals } from "./present.ts";
import { FIGURES, type Figure, type Figures, type WorkFigures } from "./queries.ts";

export const FIGURE_LABEL: Record<Figure, string> = {
  hits: "Hits",
  kudos: "Kudos",
  comments: "Comments",
  bookmarks: "Bookmarks",
  subscriptions: "Subscriptions",
};
const COLUMN_LABEL: Record<Sort, string> = { title: "Work", words: "Words", ...FIGURE_LABEL };
const RANGES = [30, 90, 365] as const;

export interface ChapterRow {
  id: number;
  position: number;
  title: string;
  posted: boolean;
  words: number;
  hits: number;
  kudos: number;
  comments: number;
}

export interface StatsChoice {
  sort: Sort;
  dir?: Direction | undefined;
  figure: Figure;
  range: number;
  work?: number | undefined;
}

/** The page's address with `choice`, leaving out what is the default anyway. */
export function statsPath(login: string, choice: StatsChoice): string {
  const params = new URLSearchParams();
  if (choice.sort !== "hits") params.set("sort", choice.sort);
  if (choice.dir && choice.dir !== defaultDirection(choice.sort)) params.set("dir", choice.dir);
  if (choice.figure !== "hits") params.set("figure", choice.figure);
  if (choice.range !== 30) params.set("range", String(choice.range));
  if (choice.work !== undefined) params.set("work", String(choice.work));
  const search = params.toString();
  return `/users/${login}/stats${search ? `?${search}` : ""}`;
}

export function StatsView(props: {
  login: string;
  works: readonly WorkFigures[];
  totals: Totals;
  choice: StatsChoice;
  selected: WorkFigures | null;
  series: readonly ({ day: number } & Figures)[];
  chapters: readonly ChapterRow[] | null;
}) {
  const { login, works, choice, selected } = props;
  const csv = `/users/${login}/stats.csv`;
  return (
    <section class="author-stats">
      <h1>Statistics for {login}</h1>
      <p>
        Counts for each of your works, drafts included. A hit is one visitor (an account, or one
        address and browser for guests) on one day; your own views and admins' views never count.
      </p>
      <h2>Works</h2>
      {works.length === 0 ? <p class="empty">You have no works yet.</p> : <WorksTable {...props} />}
      <p class="downloads">
        <a href={`${csv}?sort=${choice.sort}${choice.dir ? `&dir=${choice.dir}` : ""}`} download>
          Download this table (CSV)
        </a>{" "}
        ·{" "}
        <a href={selected ? `${csv}?work=${selected.id}&daily=1` : `${csv}?daily=1`} download>
          Download daily figures for {selected ? `“${selected.title}”` : "all works"} (CSV)
        </a>
      </p>
      <OverTime {...props} />
      {selected && props.chapters ? (
        <ChaptersTable work={selected} chapters={props.chapters} />
      ) : null}
    </section>
  );
}

function WorksTable(props: Parameters<typeof StatsView>[0]) {
  const { login, works, totals, choice } = props;
  const columns: Sort[] = ["title", "words", ...FIGURES];
  const dir = choice.dir ?? defaultDirection(choice.sort);
  return (
    <div class="table-scroll" role="region" aria-label="Your works" tabIndex={0}>
      <table class="stats-table">
        <caption>
          Your works, sorted by {COLUMN_LABEL[choice.sort].toLowerCase()} (
          {dir === "asc" ? "ascending" : "descending"})
        </caption>
        <thead>
          <tr>
            {columns.map((c) => {
              const active = c === choice.sort;
              const next: Direction = active
                ? dir === "asc"
                  ? "desc"
                  : "asc"
                : defaultDirection(c);
              const sortState = dir === "asc" ? "ascending" : "descending";
              return (
                <th scope="col" aria-sort={active ? sortState : undefined}>
                  <a href={statsPath(login, { ...choice, sort: c, dir: next })}>
                    {COLUMN_LABEL[c]}
                    {active ? <span aria-hidden="true">{dir === "asc" ? " ▲" : " ▼"}</span> : null}
                  </a>
                </th>
              );
            })}
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {works.map((w) => (
            <tr class={w.id === choice.work ? "chosen" : undefined}>
              <th scope="row">
                <a href={`/works/${w.id}`}>{w.title}</a>
                {w.posted ? null : <span class="draft"> (Draft)</span>}
              </th>
              <td>{formatNumber(w.words)}</td>
              {FIGURES.map((f) => (
                <td>{formatNumber(w[f])}</td>
              ))}
              <td>
                <a href={statsPath(login, { ...choice, work: w.id })}>
                  Chart and chapters<span class="landmark"> of {w.title}</span>
                </a>
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total ({pluralize(works.length, "work")})</th>
            <td>{formatNumber(totals.words)}</td>
            {FIGURES.map((f) => (
              <td>{formatNumber(totals[f])}</td>
            ))}
            <td />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function OverTime(props: Parameters<typeof StatsView>[0]) {
  const { login, works, choice, selected, series } = props;
  const label = FIGURE_LABEL[choice.figure];
  const scopeName = selected ? `“${selected.title}”` : "all works";
  const title = `${label} per day, last ${choice.range} days, ${scopeName}`;
  return (
    <section class="over-time" aria-labelledby="over-time-title">
      <h2 id="over-time-title">Over time</h2>
      <form method="get" action={`/users/${login}/stats`} class="stats-choice">
        {choice.sort !== "hits" ? <input type="hidden" name="sort" value={choice.sort} /> : null}
        {choice.dir ? <input type="hidden" name="dir" value={choice.dir} /> : null}
        <label>
          Figure{" "}
          <select name="figure">
            {FIGURES.map((f) => (
              <option value={f} selected={f === choice.figure}>
                {FIGURE_LABEL[f]}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          Period{" "}
          <select name="range">
            {RANGES.map((r) => (
              <option value={String(r)} selected={r === choice.range}>
                Last {r} days
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          Work{" "}
          <select name="work">
            <option value="" selected={!selected}>
              All works
            </option>
            {works.map((w) => (
              <option value={String(w.id)} selected={w.id === selected?.id}>
                {w.title}
                {w.posted ? "" : " (Draft)"}
              </option>
            ))}
          </select>
        </label>{" "}
        <button type="submit">Show</button>
      </form>
      <figure class="stats-figure">
        <DailyChart
          id="stats-chart"
          title={title}
          unit={label.toLowerCase()}
          points={series.map((d) => ({ day: d.day, value: d[choice.figure] }))}
        />
        <figcaption>{title}</figcaption>
      </figure>
      <details class="chart-data">
        <summary>The same figures as a table</summary>
        <table class="stats-table">
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">{label}</th>
            </tr>
          </thead>
          <tbody>
            {series.map((d) => (
              <tr>
                <th scope="row">{isoDay(d.day)}</th>
                <td>{formatNumber(d[choice.figure])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

function ChaptersTable(props: { work: WorkFigures; chapters: readonly ChapterRow[] }) {
  return (
    <section class="chapter-stats" aria-labelledby="chapter-stats-title">
      <h2 id="chapter-stats-title">Chapters of “{props.work.title}”</h2>
      <p>
        A chapter's hits are visitors who opened it on its own page; the entire-work page counts a
        hit for the work only.
      </p>
      <div class="table-scroll" role="region" aria-label="Figures per chapter" tabIndex={0}>
        <table class="stats-table">
          <caption>Figures per chapter, all time</caption>
          <thead>
            <tr>
              <th scope="col">Chapter</th>
              <th scope="col">Words</th>
              <th scope="col">Hits</th>
              <th scope="col">Kudos</th>
              <th scope="col">Comments</th>
            </tr>
          </thead>
          <tbody>
            {props.chapters.map((c) => (
              <tr>
                <th scope="row">
                  <a href={`/works/${props.work.id}/chapters/${c.id}`}>
                    Chapter {c.position}
                    {c.title ? `: ${c.title}` : ""}
                  </a>
                  {c.posted ? null : <span class="draft"> (Draft)</span>}
                </th>
                <td>{formatNumber(c.words)}</td>
                <td>{formatNumber(c.hits)}</td>
                <td>{formatNumber(c.kudos)}</td>
                <td>{formatNumber(c.comments)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
