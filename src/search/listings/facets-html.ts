/**
 * The filter form's facet lists and language choices built as strings: the markup views.tsx
 * rendered as components before (facets-html.test.tsx keeps that rendering to compare), at a
 * fraction of the cost: they are most of the form's elements (issue 16).
 */
import { setBounded } from "../../core/bounded-map.ts";
import { escapeHtml as esc, flattened, type BuiltHtml } from "../../core/views/trusted-html.tsx";
import { formatNumber } from "../../core/views/format.ts";
import { LANGUAGES } from "../../works/languages.ts";
import type { FacetType } from "../index/browse-types.ts";
import type { FoundWorks } from "./find-works.ts";
import type { TagLabel } from "./tag-labels.ts";

/** One category's rows: the chosen tags first (with their count when listed), then the rest. */
export function facetRows(type: FacetType, found: FoundWorks) {
  const counts = found.facets[type];
  const chosen = new Map<number, TagLabel>();
  for (const t of found.included) if (t.type === type) chosen.set(t.id, t);
  for (const t of found.excluded) if (t.type === type) chosen.set(t.id, t);
  const rows: { tag: TagLabel; count: number | null }[] = [];
  for (const tag of chosen.values())
    rows.push({ tag, count: counts.find((c) => c.tag.id === tag.id)?.count ?? null });
  for (const c of counts) if (!chosen.has(c.tag.id)) rows.push(c);
  return { rows, chosen: chosen.size };
}

/** A category's `details.facet` content: summary, then the include/exclude boxes per tag. */
export function facetGroupHtml(
  type: FacetType,
  name: string,
  chosen: number,
  rows: readonly { tag: TagLabel; count: number | null }[],
  found: Pick<FoundWorks, "included" | "excluded">,
): BuiltHtml {
  const included = new Set(found.included.filter((t) => t.type === type).map((t) => t.id));
  const excluded = new Set(found.excluded.filter((t) => t.type === type).map((t) => t.id));
  const title = esc(name);
  let out = `<summary>${title}${chosen > 0 ? `<span class="chosen"> (${formatNumber(chosen)} chosen)</span>` : ""}</summary><fieldset><legend class="landmark">${title}</legend><p class="facet-head" aria-hidden="true"><span>Include</span><span>Exclude</span></p><ul>`;
  for (const { tag, count } of rows) {
    const id = String(tag.id);
    const tagName = esc(tag.name);
    const shown = count !== null ? `${tagName} (${formatNumber(count)})` : tagName;
    out += `<li class="facet-row"><input type="checkbox" id="include-${id}" name="include" value="${id}"${included.has(tag.id) ? " checked" : ""}/><label for="include-${id}" class="tag-name"><span class="landmark">Include </span>${shown}</label><label class="exclude"><input type="checkbox" id="exclude-${id}" name="exclude" value="${id}"${excluded.has(tag.id) ? " checked" : ""}/><span class="landmark">Exclude ${tagName}</span></label></li>`;
  }
  return `${out}</ul></fieldset>` as BuiltHtml;
}

/** Facet groups kept with their UTF-8, by what they show (~20 KB a listing). */
const MAX_GROUPS = 512;
const keptGroups = new Map<string, { tags: readonly TagLabel[]; html: BuiltHtml; utf8: Buffer }>();

/**
 * facetGroupHtml, kept with its UTF-8 while the same rows show: readers page and re-sort the
 * same listings, whose facets (from the facet cache) stay the same between writes. The key is
 * what the markup shows of each row but its name; a row's label must be the same object
 * (tag-labels.ts makes a new one when a tag is renamed).
 */
export function facetGroup(
  type: FacetType,
  name: string,
  chosen: number,
  rows: readonly { tag: TagLabel; count: number | null }[],
  found: Pick<FoundWorks, "included" | "excluded">,
): { html: BuiltHtml; utf8: Buffer } {
  const picked = (list: readonly TagLabel[]) =>
    list.filter((t) => t.type === type).map((t) => t.id);
  let key = `${type}\n${name}\n${picked(found.included).join(",")}\n${picked(found.excluded).join(",")}\n`;
  for (const { tag, count } of rows) key += `${tag.id}:${count ?? ""},`;
  const kept = keptGroups.get(key);
  if (kept && kept.tags.length === rows.length && kept.tags.every((t, i) => t === rows[i]!.tag)) {
    keptGroups.delete(key);
    keptGroups.set(key, kept);
    return kept;
  }
  const html = flattened(facetGroupHtml(type, name, chosen, rows, found));
  const group = { tags: rows.map((r) => r.tag), html, utf8: Buffer.from(html, "utf8") };
  keptGroups.delete(key);
  setBounded(keptGroups, key, group, MAX_GROUPS);
  return group;
}

const option = (code: string, name: string, selected: boolean) =>
  `<option${code === "" ? " value" : ` value="${esc(code)}"`}${selected ? " selected" : ""}${code === "" ? " lang" : ` lang="${esc(code)}"`}>${esc(name)}</option>`;

/**
 * The language select's options for each choice of the list: the same few strings always,
 * kept with their UTF-8 (the languages' own names make them most of a listing's non-ASCII).
 */
const optionsFor = new Map<string, { html: BuiltHtml; utf8: Buffer }>();

/**
 * "Any language" and every language, `chosen` selected (one not listed is added last), with
 * its UTF-8 when kept (the page sends those bytes).
 */
export function languageOptions(chosen: string): { html: BuiltHtml; utf8?: Buffer } {
  const kept = optionsFor.get(chosen);
  if (kept) return kept;
  let out = `<option value${chosen ? "" : " selected"}>Any language</option>`;
  let listed = false;
  for (const l of LANGUAGES) {
    listed ||= l.code === chosen;
    out += option(l.code, l.name, l.code === chosen);
  }
  if (chosen && !listed) out += option(chosen, chosen, true);
  const html = flattened(out as BuiltHtml);
  // Only the listed choices are kept: an unlisted one comes from the address, any string.
  if (chosen && !listed) return { html };
  const options = { html, utf8: Buffer.from(html, "utf8") };
  optionsFor.set(chosen, options);
  return options;
}

/** The language select's options as markup (languageOptions without the bytes). */
export const languageOptionsHtml = (chosen: string): BuiltHtml => languageOptions(chosen).html;
