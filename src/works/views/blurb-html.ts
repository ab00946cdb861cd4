/**
 * A blurb built as a string: the same markup, byte for byte, as blurb.tsx's WorkBlurb renders
 * (blurb-html.test.tsx compares them), which AO3 tools read. A listing page is mostly blurbs,
 * and building them so costs a fraction of rendering their ~60 elements each (issue 16).
 */
import { escapeHtml as esc, flattened, type BuiltHtml } from "../../core/views/trusted-html.tsx";
import { formatNumber } from "../../core/views/format.ts";
import type { PageBytes } from "../../core/views/page-bytes.ts";
import type { WorkView } from "../present.ts";

const RATING_SYMBOL: Record<string, string> = {
  "General Audiences": "G",
  "Teen And Up Audiences": "T",
  Mature: "M",
  Explicit: "E",
  "Not Rated": "NR",
};

type Link = { name: string; url: string | null };

/** ` name="value"`; the renderer writes an empty value as the bare name. */
const attr = (name: string, value: string) =>
  value === "" ? ` ${name}` : ` ${name}="${esc(value)}"`;

/** LinkList: comma-separated links, a link without an address as plain text. */
function links(list: readonly Link[], attrs: string): string {
  let out = "";
  for (let i = 0; i < list.length; i++) {
    const l = list[i]!;
    if (i > 0) out += ", ";
    out += l.url === null ? esc(l.name) : `<a${attrs}${attr("href", l.url)}>${esc(l.name)}</a>`;
  }
  return out;
}

function tagItems(list: readonly { name: string; url: string }[], cls: string, strong = false) {
  let out = "";
  for (const t of list) {
    const a = `<a class="tag"${attr("href", t.url)}>${esc(t.name)}</a>`;
    out += `<li class="${cls}">${strong ? `<strong>${a}</strong>` : a}</li>`;
  }
  return out;
}

/** Counts (meta.tsx): comments, kudos and bookmarks when any, hits always. */
function counts(work: WorkView): string {
  const c = work.counts;
  if (!c) return "";
  const url = esc(work.url);
  let out = "";
  if (c.comments > 0)
    out += `<dt class="comments">Comments:</dt><dd class="comments"><a href="${url}?view_full_work=true#comments">${formatNumber(c.comments)}</a></dd>`;
  if (c.kudos > 0)
    out += `<dt class="kudos">Kudos:</dt><dd class="kudos"><a href="${url}#kudos">${formatNumber(c.kudos)}</a></dd>`;
  if (c.bookmarks > 0)
    out += `<dt class="bookmarks">Bookmarks:</dt><dd class="bookmarks"><a href="${url}/bookmarks">${formatNumber(c.bookmarks)}</a></dd>`;
  return `${out}<dt class="hits">Hits:</dt><dd class="hits">${formatNumber(c.hits)}</dd>`;
}

/**
 * The parts of a blurb that follow only its work row and tags; the byline, gifts, series
 * and counts between them are built each time (they follow other tables, or the viewer).
 */
export interface BlurbParts {
  lockUrl: string;
  /** Up to "by " in the heading. */
  head: string;
  /** From the badges after the byline through the summary. */
  middle: string;
  /** `middle` as UTF-8, made once kept (the page sends these bytes: page-bytes.ts). */
  middleUtf8?: Buffer;
  /** The stats list up to the counts. */
  stats: string;
}

/** Where a view's parts are kept between requests by whoever knows when they go stale. */
export interface BlurbPartsHolder {
  parts: BlurbParts | null;
}

/** A view's holder rides on the view itself (a WeakMap cost more than the rest of a blurb). */
const HOLDER = Symbol("blurb parts");
type HeldView = WorkView & { [HOLDER]?: BlurbPartsHolder };

/**
 * Lets blurbHtml reuse (and keep) `view`'s parts in `holder`: only for a view whose row and
 * tags are those the holder was filled from (search/listings/blurbs.ts checks both).
 */
export function keepBlurbParts(view: WorkView, holder: BlurbPartsHolder): void {
  // Not enumerable: a copy of the view (`{ ...view, title }`) does not take the parts along.
  Object.defineProperty(view, HOLDER, { value: holder });
}

function partsOf(work: WorkView, lockUrl: string): BlurbParts {
  const id = String(work.id);
  const head = `<li class="work blurb group" id="work_${id}"><div class="header module"><h3 class="heading" id="work_${id}_title"><a${attr("href", work.url)}>${esc(work.title)}</a> by `;
  let middle = "";
  if (work.draft) middle += `<span class="badge"> (Draft)</span>`;
  if (work.restricted)
    middle += ` <img class="restricted-lock" alt="(Restricted)" title="Restricted"${attr("src", lockUrl)} width="15" height="15"/>`;
  const rating = work.rating.name;
  middle += `</h3><h4 class="fandoms heading"><span class="landmark">Fandoms: </span>${links(work.fandoms, ' class="tag"')}</h4><ul class="required-tags"><li><span class="rating badge"${attr("title", rating)}><span class="text">${esc(RATING_SYMBOL[rating] ?? "?")} · ${esc(rating)}</span></span></li><li><span class="complete-status">${work.complete ? "Complete" : "Work in progress"}</span></li></ul><p class="datetime">${esc(work.status?.date ?? work.published)}</p></div><h5 class="landmark heading">Tags</h5><ul class="tags commas">`;
  middle += tagItems(work.warnings, "warnings", true);
  middle += tagItems(work.relationships, "relationships");
  middle += tagItems(work.characters, "characters");
  middle += tagItems(work.freeforms, "freeforms");
  middle += "</ul>";
  if (work.summaryHtml)
    middle += `<h6 class="landmark heading">Summary</h6><blockquote class="userstuff summary">${work.summaryHtml}</blockquote>`;
  const stats = `<dl class="stats"><dt class="language">Language:</dt><dd class="language"${attr("lang", work.language.code)}>${esc(work.language.name)}</dd><dt class="words">Words:</dt><dd class="words">${esc(work.words)}</dd><dt class="chapters">Chapters:</dt><dd class="chapters">${esc(work.chapters)}</dd>`;
  // Kept across requests: flattened once, not on every page that embeds them.
  return { lockUrl, head: flattened(head), middle: flattened(middle), stats: flattened(stats) };
}

/**
 * One work's `li.work.blurb.group`; `lockUrl`: the padlock image's address (links.tsx).
 * `bytes`: the page's kept bytes, where a kept blurb's middle goes as its UTF-8.
 */
export function blurbHtml(work: WorkView, lockUrl: string, bytes?: PageBytes): string {
  const holder = (work as HeldView)[HOLDER];
  let parts = holder?.parts;
  if (!parts || parts.lockUrl !== lockUrl) {
    parts = partsOf(work, lockUrl);
    if (holder) holder.parts = parts;
  }
  let out = parts.head + links(work.creators, ' rel="author"');
  if (work.gifts?.length) out += ` for ${links(work.gifts, "")}`;
  if (bytes && holder) out += bytes.add((parts.middleUtf8 ??= Buffer.from(parts.middle, "utf8")));
  else out += parts.middle;
  if (work.series?.length) {
    out += `<h6 class="landmark heading">Series</h6><ul class="series">`;
    for (const s of work.series)
      out += `<li>Part <strong>${String(s.position)}</strong> of <a${attr("href", s.url)}>${esc(s.title)}</a></li>`;
    out += "</ul>";
  }
  return `${out}${parts.stats}${counts(work)}</dl></li>`;
}

/** The blurbs of a list, in order (WorkList's `ol.work.index.group` content). */
export function blurbsHtml(
  works: readonly WorkView[],
  lockUrl: string,
  bytes?: PageBytes,
): BuiltHtml {
  let out = "";
  for (const w of works) out += blurbHtml(w, lockUrl, bytes);
  return out as BuiltHtml;
}
