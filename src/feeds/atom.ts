/**
 * Atom documents (RFC 4287), written only through the escaping `xml` template. One document
 * builder serves every feed kind — works listings (a tag, an author, a saved search, later a
 * series: one more call of `worksFeed` with that listing's works), a work's chapters, and the
 * OPDS catalog (opds.ts adds its namespaces, links and acquisition entries to the same shapes).
 */
import type { Chapter, Work } from "../core/db/schema.ts";
import { xml, type XmlFragment } from "../core/views/xml.ts";
import type { WorkView } from "../works/present.ts";

export const ATOM_TYPE = "application/atom+xml";

export interface AtomLink {
  rel: string;
  href: string;
  type?: string;
  title?: string;
}

export interface AtomPerson {
  name: string;
  uri?: string;
}

export interface AtomCategory {
  term: string;
  label?: string;
  scheme?: string;
}

export interface AtomEntry {
  id: string;
  title: string;
  /** Epoch ms. */
  updated: number;
  published?: number | undefined;
  authors: AtomPerson[];
  links: AtomLink[];
  categories?: AtomCategory[];
  summary?: { type: "text" | "html"; value: string } | undefined;
  content?: { type: "text" | "html"; value: string } | undefined;
  /** Extension elements (dc:language), already built. */
  extensions?: XmlFragment[];
}

export interface AtomDocument {
  id: string;
  title: string;
  subtitle?: string;
  /** Epoch ms: the newest entry's, or what the feed is about when it has none. */
  updated: number;
  links: AtomLink[];
  /** The feed's author (the archive): entries without an author of their own fall back to it. */
  author: AtomPerson;
  entries: AtomEntry[];
  /** Extra `xmlns:prefix="uri"` declarations on `<feed>`. */
  namespaces?: Record<string, string>;
  /** Extension elements of the feed (opensearch:totalResults). */
  extensions?: XmlFragment[];
}

/** RFC 3339 as Atom wants it, to the second. */
export const atomDate = (ms: number) => new Date(Math.max(0, ms)).toISOString();

const link = (l: AtomLink) =>
  xml`<link rel="${l.rel}" href="${l.href}"${l.type ? xml` type="${l.type}"` : ""}${
    l.title ? xml` title="${l.title}"` : ""
  }/>`;

const person = (tag: "author", p: AtomPerson) =>
  xml`<${tag}><name>${p.name}</name>${p.uri ? xml`<uri>${p.uri}</uri>` : ""}</${tag}>`;

const category = (c: AtomCategory) =>
  xml`<category term="${c.term}"${c.scheme ? xml` scheme="${c.scheme}"` : ""}${
    c.label ? xml` label="${c.label}"` : ""
  }/>`;

function entry(e: AtomEntry): XmlFragment {
  const lines: XmlFragment[] = [
    xml`<id>${e.id}</id>`,
    xml`<title>${e.title}</title>`,
    xml`<updated>${atomDate(e.updated)}</updated>`,
  ];
  if (e.published !== undefined) lines.push(xml`<published>${atomDate(e.published)}</published>`);
  lines.push(...e.authors.map((a) => person("author", a)));
  lines.push(...e.links.map(link));
  lines.push(...(e.categories ?? []).map(category));
  if (e.summary) lines.push(xml`<summary type="${e.summary.type}">${e.summary.value}</summary>`);
  if (e.content) lines.push(xml`<content type="${e.content.type}">${e.content.value}</content>`);
  lines.push(...(e.extensions ?? []));
  return xml`  <entry>
${lines.map((l) => xml`    ${l}\n`)}  </entry>
`;
}

export function atomDocument(doc: AtomDocument): string {
  const ns = Object.entries(doc.namespaces ?? {}).map(
    ([prefix, uri]) => xml` xmlns:${prefix}="${uri}"`,
  );
  const head: XmlFragment[] = [
    xml`<id>${doc.id}</id>`,
    xml`<title>${doc.title}</title>`,
    ...(doc.subtitle ? [xml`<subtitle>${doc.subtitle}</subtitle>`] : []),
    xml`<updated>${atomDate(doc.updated)}</updated>`,
    person("author", doc.author),
    ...doc.links.map(link),
    xml`<generator>Fanfold</generator>`,
    ...(doc.extensions ?? []),
  ];
  return xml`<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"${ns}>
${head.map((h) => xml`  ${h}\n`)}${doc.entries.map(entry)}</feed>
`.text;
}

/** When a work last changed for a reader: a new chapter, completion, or an edit. */
export const workUpdated = (w: Work) => Math.max(w.revised_at ?? w.created_at, w.edited_at);

/** Every tag of a work, in AO3's order, as Atom categories. */
export function workCategories(work: WorkView): AtomCategory[] {
  return [
    ...work.fandoms,
    work.rating,
    ...work.warnings,
    ...work.categories,
    ...work.relationships,
    ...work.characters,
    ...work.freeforms,
  ].map((t) => ({ term: t.name }));
}

/** The entry every works feed shares: title, creators, tags, summary, a link to the work. */
export function workEntry(base: string, work: WorkView, row: Work): AtomEntry {
  const url = `${base}${work.url}`;
  return {
    id: url,
    title: work.title,
    updated: workUpdated(row),
    published: row.published_at ?? row.created_at,
    authors: work.creators.map((c) => ({
      name: c.name,
      ...(c.url === null ? {} : { uri: `${base}${c.url}` }),
    })),
    links: [{ rel: "alternate", type: "text/html", href: url }],
    categories: workCategories(work),
    summary: { type: "html", value: work.summaryHtml },
    content: {
      type: "text",
      value: `Rating: ${work.rating.name}, Words: ${work.words}, Chapters: ${work.chapters}, Language: ${work.language.name}`,
    },
  };
}

export interface FeedFrame {
  /** The archive's absolute address (from configuration). */
  base: string;
  archiveName: string;
  /** The feed's own path with its query: its id and rel=self. */
  selfPath: string;
  /** The HTML page the feed follows. */
  htmlPath: string;
  title: string;
  /** `updated` when there are no entries (what the feed is about was made then). */
  emptyUpdated: number;
}

/** The newest of the entries' times, or the frame's when there are none. */
export const newestOf = (entries: readonly AtomEntry[], fallback: number) =>
  entries.reduce((m, e) => Math.max(m, e.updated), entries.length ? 0 : fallback);

/** A works listing as Atom (a tag, an author, a saved search; a series later). */
export function worksFeed(frame: FeedFrame, works: { view: WorkView; row: Work }[]): string {
  const entries = works.map((w) => workEntry(frame.base, w.view, w.row));
  return atomDocument(feedShell(frame, entries));
}

export function feedShell(frame: FeedFrame, entries: AtomEntry[]): AtomDocument {
  return {
    id: `${frame.base}${frame.selfPath}`,
    title: frame.title,
    updated: newestOf(entries, frame.emptyUpdated),
    author: { name: frame.archiveName, uri: `${frame.base}/` },
    links: [
      { rel: "self", type: ATOM_TYPE, href: `${frame.base}${frame.selfPath}` },
      { rel: "alternate", type: "text/html", href: `${frame.base}${frame.htmlPath}` },
    ],
    entries,
  };
}

/** "Chapter 3: The Lamp" or "Chapter 3", as AO3 titles chapters. */
export const chapterHeading = (c: Pick<Chapter, "position" | "title">) =>
  c.title ? `Chapter ${c.position}: ${c.title}` : `Chapter ${c.position}`;

/** A work's posted chapters, newest first, each with its text (already sanitized). */
export function chaptersFeed(frame: FeedFrame, work: WorkView, chapters: Chapter[]): string {
  const authors = work.creators.map((c) => ({
    name: c.name,
    ...(c.url === null ? {} : { uri: `${frame.base}${c.url}` }),
  }));
  const entries: AtomEntry[] = chapters.map((c) => {
    const url = `${frame.base}/works/${work.id}/chapters/${c.id}`;
    const notes = c.notes_html ? `<div class="notes">${c.notes_html}</div>` : "";
    const endNotes = c.end_notes_html ? `<div class="end notes">${c.end_notes_html}</div>` : "";
    return {
      id: url,
      title: `${work.title}: ${chapterHeading(c)}`,
      updated: Math.max(c.published_at ?? c.created_at, c.edited_at),
      published: c.published_at ?? c.created_at,
      authors,
      links: [{ rel: "alternate", type: "text/html", href: url }],
      ...(c.summary_html ? { summary: { type: "html" as const, value: c.summary_html } } : {}),
      content: { type: "html", value: `${notes}${c.text_html}${endNotes}` },
    };
  });
  return atomDocument(feedShell(frame, entries));
}
