/**
 * OPDS 1.2 catalog documents (navigation and acquisition feeds) and the OpenSearch
 * description, built on the Atom document of atom.ts. Every catalog feed links `self`,
 * `start` (the catalog root it belongs to: the public one, or the reader's personal one) and
 * `search`; acquisition feeds page with `first`/`previous`/`next`/`last` (RFC 5005).
 */
import { xml } from "../core/views/xml.ts";
import type { Work } from "../core/db/schema.ts";
import { downloadPath } from "../works/views/links.tsx";
import type { WorkView } from "../works/present.ts";
import {
  atomDocument,
  newestOf,
  workCategories,
  workUpdated,
  type AtomEntry,
  type AtomLink,
} from "./atom.ts";

export const OPDS_NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation";
export const OPDS_ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition";
/** For `<link rel="alternate">` in HTML pages (OPDS 1.2 §7). */
export const OPDS_CATALOG = "application/atom+xml;profile=opds-catalog";
export const OPENSEARCH_TYPE = "application/opensearchdescription+xml";
export const EPUB_TYPE = "application/epub+zip";
export const ACQUISITION_REL = "http://opds-spec.org/acquisition";

const NAMESPACES = {
  dc: "http://purl.org/dc/terms/",
  opds: "http://opds-spec.org/2010/catalog",
  opensearch: "http://a9.com/-/spec/opensearch/1.1/",
};

export type Kind = "navigation" | "acquisition";
export const kindType = (kind: Kind) =>
  kind === "navigation" ? OPDS_NAVIGATION : OPDS_ACQUISITION;

export interface Paging {
  page: number;
  size: number;
  hasNext: boolean;
  /** Known for acquisition feeds (a total was counted), with the number of results. */
  last?: { page: number; total: number };
  pathFor: (n: number) => string;
}

export interface CatalogFrame {
  base: string;
  archiveName: string;
  /** "/opds", or "/opds/u/TOKEN" for a reader's personal catalog. */
  root: string;
  /** This feed's path and query. */
  selfPath: string;
  title: string;
  kind: Kind;
  /** The feed above this one (navigation), if any. */
  up?: string;
  /** `updated` of a feed with no entries. */
  emptyUpdated: number;
  /** Acquisition feeds: where page N is, and how many pages and results there are. */
  paging?: Paging;
}

function frameLinks(f: CatalogFrame): AtomLink[] {
  const abs = (p: string) => `${f.base}${p}`;
  const links: AtomLink[] = [
    { rel: "self", href: abs(f.selfPath), type: kindType(f.kind) },
    { rel: "start", href: abs(f.root), type: OPDS_NAVIGATION, title: f.archiveName },
    {
      rel: "search",
      href: abs(`${f.root}/opensearch.xml`),
      type: OPENSEARCH_TYPE,
      title: `Search ${f.archiveName}`,
    },
  ];
  if (f.up) links.push({ rel: "up", href: abs(f.up), type: OPDS_NAVIGATION });
  const p = f.paging;
  if (p && (p.page > 1 || p.hasNext)) {
    const at = (rel: string, n: number) =>
      links.push({ rel, href: abs(p.pathFor(n)), type: kindType(f.kind) });
    at("first", 1);
    if (p.page > 1) at("previous", p.last ? Math.min(p.page - 1, p.last.page) : p.page - 1);
    if (p.hasNext) at("next", p.page + 1);
    if (p.last) at("last", p.last.page);
  }
  return links;
}

function catalog(f: CatalogFrame, entries: AtomEntry[]): string {
  const p = f.paging;
  return atomDocument({
    id: `${f.base}${f.selfPath}`,
    title: f.title,
    updated: newestOf(entries, f.emptyUpdated),
    author: { name: f.archiveName, uri: `${f.base}/` },
    links: frameLinks(f),
    entries,
    namespaces: NAMESPACES,
    extensions: p?.last
      ? [
          xml`<opensearch:totalResults>${p.last.total}</opensearch:totalResults>`,
          xml`<opensearch:itemsPerPage>${p.size}</opensearch:itemsPerPage>`,
          xml`<opensearch:startIndex>${(p.page - 1) * p.size + 1}</opensearch:startIndex>`,
        ]
      : [],
  });
}

export interface NavEntry {
  /** Path of the feed it opens (its id too). */
  href: string;
  title: string;
  kind: Kind;
  /** `subsection` unless a better OPDS relation fits (sort/new, sort/popular). */
  rel?: string;
  text: string;
  updated: number;
}

export function navigationFeed(f: CatalogFrame, items: NavEntry[]): string {
  const entries: AtomEntry[] = items.map((n) => ({
    id: `${f.base}${n.href}`,
    title: n.title,
    updated: n.updated,
    authors: [],
    links: [{ rel: n.rel ?? "subsection", href: `${f.base}${n.href}`, type: kindType(n.kind) }],
    content: { type: "text", value: n.text },
  }));
  return catalog(f, entries);
}

/** One work as an OPDS catalog entry: metadata, tags, the EPUB to acquire, the work's page. */
export function acquisitionEntry(base: string, root: string, view: WorkView, row: Work): AtomEntry {
  // Personal catalogs download through their own address: the token stands for the reader.
  const download = `${base}${root.startsWith("/opds/u/") ? root : ""}${downloadPath(view, "epub")}`;
  const url = `${base}${view.url}`;
  return {
    id: url,
    title: view.title,
    updated: workUpdated(row),
    published: row.published_at ?? row.created_at,
    authors: view.creators.map((c) => ({
      name: c.name,
      ...(c.url === null ? {} : { uri: `${base}${c.url}` }),
    })),
    links: [
      { rel: ACQUISITION_REL, type: EPUB_TYPE, href: download },
      { rel: "alternate", type: "text/html", href: url },
    ],
    categories: workCategories(view).map((c) => ({ ...c, label: c.term })),
    summary: {
      type: "text",
      value: `${view.rating.name} · ${view.words} words · ${view.chapters} chapters`,
    },
    content: { type: "html", value: view.summaryHtml },
    extensions: [xml`<dc:language>${view.language.code}</dc:language>`],
  };
}

export function acquisitionFeed(f: CatalogFrame, works: { view: WorkView; row: Work }[]): string {
  return catalog(
    f,
    works.map((w) => acquisitionEntry(f.base, f.root, w.view, w.row)),
  );
}

/**
 * The OpenSearch 1.1 description e-reader apps read to search the catalog: one template,
 * answered with an acquisition feed.
 */
export function openSearchDescription(base: string, root: string, archiveName: string): string {
  const template = `${base}${root}/search?q={searchTerms}&page={startPage?}`;
  return xml`<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
  <ShortName>${archiveName.slice(0, 16)}</ShortName>
  <Description>${`Search the works of ${archiveName}`.slice(0, 1024)}</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <OutputEncoding>UTF-8</OutputEncoding>
  <Url type="${OPDS_ACQUISITION}" template="${template}"/>
  <Url type="application/atom+xml" template="${template}"/>
</OpenSearchDescription>
`.text;
}
