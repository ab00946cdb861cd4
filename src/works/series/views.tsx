/**
 * Series pages (issue 15) in AO3's markup: the series page (`#main.series-show`, its
 * `dl.series.meta.group`, then its works in order as blurbs), series blurbs
 * (`li.series.blurb.group`) on a creator's series page, and the series' edit form.
 */
import type { ComponentChildren } from "preact";
import { limits } from "../../core/limits.ts";
import {
  ErrorSummary,
  PostForm,
  TextArea,
  TextInput,
  type FormState,
} from "../../core/views/forms.tsx";
import { Pagination } from "../../core/views/pagination.tsx";
import { UserHtml } from "../../core/views/trusted-html.tsx";
import type { WorkView } from "../present.ts";
import { WorkBlurb } from "../views/blurb.tsx";
import { LinkList } from "../views/links.tsx";
import { pageHref } from "../views/listing.tsx";
import type { SeriesStat } from "./page-addons.ts";
import type { SeriesView } from "./present.ts";
import { partField } from "./schemas.ts";

const yesNo = (b: boolean) => (b ? "Yes" : "No");

/** The series' figures, as the viewer sees them, and what add-ons count (bookmarks). */
function SeriesStats({ series, extra }: { series: SeriesView; extra: readonly SeriesStat[] }) {
  return (
    <dl class="stats">
      <dt class="words">Words:</dt>
      <dd class="words">{series.words}</dd>
      <dt class="works">Works:</dt>
      <dd class="works">{series.works}</dd>
      <dt class="complete">Complete:</dt>
      <dd class="complete">{yesNo(series.complete)}</dd>
      {extra.map((s) => (
        <>
          <dt class={s.name}>{s.label}:</dt>
          <dd class={s.name}>{s.value}</dd>
        </>
      ))}
    </dl>
  );
}

export interface SeriesPageProps {
  series: SeriesView;
  works: WorkView[];
  page: number;
  pages: number;
  /** Add-ons' items for the actions bar (subscribe, bookmark). */
  actions: ComponentChildren[];
  stats: SeriesStat[];
}

/** `/series/:id`: AO3's series page. */
export function SeriesPage(props: SeriesPageProps) {
  const { series, works } = props;
  const href = pageHref(series.url);
  return (
    <article class="series-page" aria-labelledby="series-title">
      <h1 class="landmark heading" id="series-title">
        {series.title}
      </h1>
      <h2 class="heading">{series.title}</h2>
      <nav aria-label="Series">
        <ul class="navigation actions">
          {props.actions.map((item, i) => (
            <li key={`action-${i}`}>{item}</li>
          ))}
          {series.canEdit ? (
            <>
              <li>
                <a href={`${series.url}/edit`}>Edit Series</a>
              </li>
              <li>
                <a href={`${series.url}/creators`}>Co-Creators</a>
              </li>
              <li>
                <a href={`${series.url}/confirm_delete`}>Delete Series</a>
              </li>
            </>
          ) : null}
        </ul>
      </nav>
      <div class="wrapper">
        <dl class="series meta group">
          <dt class="creators">{series.creators.length > 1 ? "Creators:" : "Creator:"}</dt>
          <dd class="creators">
            <LinkList links={series.creators} rel="author" />
          </dd>
          <dt class="published">Series Begun:</dt>
          <dd class="published">{series.begun}</dd>
          <dt class="status">Series Updated:</dt>
          <dd class="status">{series.updated}</dd>
          {series.summaryHtml ? (
            <>
              <dt class="summary">Description:</dt>
              <dd class="summary">
                <UserHtml as="blockquote" html={series.summaryHtml} />
              </dd>
            </>
          ) : null}
          {series.notesHtml ? (
            <>
              <dt class="notes">Notes:</dt>
              <dd class="notes">
                <UserHtml as="blockquote" html={series.notesHtml} />
              </dd>
            </>
          ) : null}
          <dt class="stats">Stats:</dt>
          <dd class="stats">
            <SeriesStats series={series} extra={props.stats} />
          </dd>
        </dl>
      </div>
      <h3 class="landmark heading">Listing Series</h3>
      <Pagination page={props.page} pages={props.pages} href={href} />
      {works.length === 0 ? (
        <p class="empty">
          This series has no works yet. Add one from a work's form: “This work is part of a series”.
        </p>
      ) : (
        <ul class="series work index group">
          {works.map((w) => (
            <WorkBlurb key={w.id} work={w} />
          ))}
        </ul>
      )}
      <Pagination
        page={props.page}
        pages={props.pages}
        href={href}
        label="Pagination, end of list"
      />
    </article>
  );
}

/** One series in a list, in AO3's `li.series.blurb.group` shape. */
export function SeriesBlurb({ series }: { series: SeriesView }) {
  return (
    <li class="series blurb group" id={`series_${series.id}`}>
      <div class="header module">
        <h3 class="heading">
          <a href={series.url}>{series.title}</a> by{" "}
          <LinkList links={series.creators} rel="author" />
        </h3>
        <ul class="required-tags">
          <li>
            <span class="complete-status">{series.complete ? "Complete" : "Work in progress"}</span>
          </li>
        </ul>
        <p class="datetime">{series.updated}</p>
      </div>
      {series.summaryHtml ? (
        <>
          <h4 class="landmark heading">Series Summary</h4>
          <UserHtml as="blockquote" class="summary" html={series.summaryHtml} />
        </>
      ) : null}
      <SeriesStats series={series} extra={[]} />
    </li>
  );
}

/** `/users/:login/series` and a pseud's: the series they created. */
export function SeriesIndex(props: {
  title: string;
  heading: string;
  series: SeriesView[];
  page: number;
  pages: number;
  baseUrl: string;
  empty: string;
}) {
  const href = pageHref(props.baseUrl);
  return (
    <section class="listing series-index">
      <h1 class="heading">{props.title}</h1>
      <h2 class="heading">{props.heading}</h2>
      <Pagination page={props.page} pages={props.pages} href={href} />
      {props.series.length === 0 ? (
        <p class="empty">{props.empty}</p>
      ) : (
        <ol class="series index group">
          {props.series.map((s) => (
            <SeriesBlurb key={s.id} series={s} />
          ))}
        </ol>
      )}
      <Pagination
        page={props.page}
        pages={props.pages}
        href={href}
        label="Pagination, end of list"
      />
    </section>
  );
}

/** A work on the edit page: its part, to type a new one. */
export interface EditedWork {
  id: number;
  title: string;
  position: number;
}

/** `/series/:id/edit`: title, summary, notes, and the order of its works. */
export function EditSeriesForm(props: {
  series: SeriesView;
  works: EditedWork[];
  /** More works than the form lists (some the editor cannot see): they keep their order. */
  unlisted: number;
  form: FormState;
}) {
  const { series, form } = props;
  return (
    <section class="work-form series-form">
      <h1>
        Edit series <a href={series.url}>{series.title}</a>
      </h1>
      <ErrorSummary errors={form.errors} />
      {form.errors._form ? (
        <p class="error-summary" role="alert">
          {form.errors._form}
        </p>
      ) : null}
      <PostForm action={series.url}>
        <fieldset>
          <legend>Series</legend>
          <TextInput
            name="title"
            label="Series Title"
            required
            form={form}
            maxLength={limits.workTitle.max}
          />
          <TextArea
            name="summary"
            label="Description"
            form={form}
            rows={4}
            hint={`Plain text or HTML; at most ${limits.workSummary.max.toLocaleString("en-US")} characters.`}
          />
          <TextArea name="notes" label="Notes" form={form} rows={4} />
        </fieldset>
        {props.works.length > 0 ? (
          <fieldset>
            <legend>Order of works</legend>
            <p class="hint">
              Give each work its new part number. A number past the last puts it last; 0 puts it
              first.
              {props.unlisted > 0
                ? ` ${props.unlisted === 1 ? "One work" : `${props.unlisted} works`} you cannot see keep their places among them.`
                : ""}
            </p>
            <ol class="reorder">
              {props.works.map((w) => {
                const name = partField(w.id);
                const error = form.errors[name];
                return (
                  <li key={w.id} class={error ? "has-error" : undefined}>
                    <label for={`field-${name}`}>{w.title}</label>{" "}
                    <input
                      id={`field-${name}`}
                      type="number"
                      min={0}
                      name={name}
                      value={
                        typeof form.values[name] === "string"
                          ? form.values[name]
                          : String(w.position)
                      }
                      aria-invalid={error ? "true" : undefined}
                    />
                    {error ? <span class="field-error"> {error}</span> : null}
                  </li>
                );
              })}
            </ol>
          </fieldset>
        ) : null}
        <div class="actions">
          <button type="submit">Update</button> <a href={series.url}>Cancel</a>
        </div>
      </PostForm>
      <p>
        <a href={`${series.url}/confirm_delete`}>Delete this series</a> (its works stay)
      </p>
    </section>
  );
}
