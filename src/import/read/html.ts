/**
 * HTML files, and the HTML that DOCX and EPUB chapters become (issue 14). The `<body>` is cut
 * into paragraph-level blocks (descending into wrappers such as `<div class="book">` or
 * `<center>` where chapters may begin), a table of contents made of in-page links is left out,
 * Project Gutenberg's header and licence too, and each chapter is sanitized by
 * formatText(…, "html"), which also counts what it removed (scripts, styles, attributes).
 */
import render from "dom-serializer";
import { isTag, isText, type ChildNode, type Element, type ParentNode } from "domhandler";
import { parseDocument } from "htmlparser2";
import { formatText, type FormattedText } from "../../core/text/formats.ts";
import type { ChapterSplit, ImportedWork, ImportOptions } from "../types.ts";
import { assembleWork, isChapterLine, makeBlock, splitBlocks, type Block } from "./chapters.ts";
import { decodeText } from "./charset.ts";
import {
  GUTENBERG_END,
  GUTENBERG_NOTICE,
  GUTENBERG_START,
  readGutenbergHeader,
  type GutenbergHeader,
} from "./gutenberg.ts";
import { titleFromFileName } from "./text.ts";

export function textOf(node: ChildNode | ParentNode): string {
  if (isText(node)) return node.data;
  if (!("children" in node)) return "";
  let out = "";
  for (const child of node.children) out += textOf(child);
  return out;
}

/** Removes the elements named in `names` (images, which imports don't keep); how many. */
export function dropElements(node: ParentNode, names: ReadonlySet<string>): number {
  let n = 0;
  node.children = node.children.filter((c) => {
    const drop = isTag(c) && names.has(c.name);
    if (drop) n++;
    return !drop;
  });
  for (const c of node.children) if (isTag(c)) n += dropElements(c, names);
  return n;
}

export function findElement(node: ParentNode, name: string): Element | null {
  for (const child of node.children) {
    if (!isTag(child)) continue;
    if (child.name === name) return child;
    const found = findElement(child, name);
    if (found) return found;
  }
  return null;
}

/** Whether any element below `node` passes `test` (stops at the first). */
export function someElement(node: ParentNode, test: (el: Element) => boolean): boolean {
  for (const child of node.children) {
    if (isTag(child) && (test(child) || someElement(child, test))) return true;
  }
  return false;
}

export function findAllElements(
  node: ParentNode,
  test: (el: Element) => boolean,
  out: Element[] = [],
): Element[] {
  for (const child of node.children) {
    if (!isTag(child)) continue;
    if (test(child)) out.push(child);
    findAllElements(child, test, out);
  }
  return out;
}

const PRESERVE_SPACE = new Set(["pre", "textarea", "script", "style"]);

/**
 * Collapses runs of whitespace in text, as a browser shows it (line-wrapped HTML source), and
 * trims it at the start and end of block elements.
 */
export function collapseWhitespace(node: ParentNode) {
  for (const child of node.children) {
    if (isText(child)) child.data = child.data.replace(/[ \t\n\r\f]+/g, " ");
    else if (isTag(child) && !PRESERVE_SPACE.has(child.name)) collapseWhitespace(child);
  }
  if (isTag(node) && BLOCK_TAGS.has(node.name)) {
    const first = node.children[0];
    const last = node.children[node.children.length - 1];
    if (first && isText(first)) first.data = first.data.replace(/^ /, "");
    if (last && isText(last)) last.data = last.data.replace(/ $/, "");
  }
}

/** Parses HTML or XHTML; tag names lower-cased, `<x/>` self-closing (XHTML from EPUBs). */
export function parseHtml(html: string) {
  return parseDocument(html, {
    lowerCaseTags: true,
    lowerCaseAttributeNames: true,
    recognizeSelfClosing: true,
  });
}

const containing = (node: ChildNode, re: RegExp) => re.test(textOf(node));

/**
 * Leaves out Project Gutenberg's header (everything up to the element holding the start
 * marker) and licence (from the element holding the end marker), descending into wrappers that
 * hold the book too. Returns the header's text, or null when the file is not from Gutenberg.
 */
function stripGutenbergDom(root: ParentNode): string | null {
  if (!GUTENBERG_START.test(textOf(root))) return null;
  let header = "";
  let parent: ParentNode = root;
  for (;;) {
    const i = parent.children.findIndex((c) => containing(c, GUTENBERG_START));
    const child = parent.children[i];
    if (!child) break;
    const text = textOf(child);
    const at = GUTENBERG_START.exec(text);
    const after = at ? text.slice(at.index + at[0].length).trim().length : 0;
    header += parent.children.slice(0, i).map(textOf).join("\n") + text.slice(0, at?.index ?? 0);
    if (!isTag(child) || after < 300) {
      parent.children.splice(0, i + 1);
      break;
    }
    parent.children.splice(0, i);
    parent = child;
  }
  parent = root;
  for (;;) {
    const i = parent.children.findIndex((c) => containing(c, GUTENBERG_END));
    const child = parent.children[i];
    if (!child) break;
    const text = textOf(child);
    const before = GUTENBERG_END.exec(text)?.index ?? 0;
    if (!isTag(child) || before < 400) {
      parent.children.splice(i);
      break;
    }
    parent.children.splice(i + 1);
    parent = child;
  }
  return header;
}

/** An element that is a table of contents: mostly links to places in the same file. */
function isTableOfContents(node: ChildNode): boolean {
  if (!isTag(node)) return false;
  const links = findAllElements(node, (el) => el.name === "a" && /^#/.test(el.attribs.href ?? ""));
  if (links.length < 3) return false;
  const all = textOf(node).replace(/\s+/g, "").length;
  const linked = links.reduce((n, a) => n + textOf(a).replace(/\s+/g, "").length, 0);
  return all > 0 && linked / all >= 0.6;
}

const HEADING = /^h([1-6])$/;
const BLOCK_TAGS = new Set([
  "p",
  "div",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "ul",
  "ol",
  "dl",
  "table",
  "blockquote",
  "pre",
  "hr",
  "section",
  "article",
  "center",
  "figure",
  "header",
  "footer",
  "main",
  "nav",
  "aside",
  "address",
  "form",
  "details",
  "fieldset",
  "hgroup",
  "body",
  "li",
  "dd",
  "dt",
]);
/** Wrappers whose children may be blocks of their own (a chapter may begin inside them). */
const WRAPPERS = new Set([
  "div",
  "section",
  "article",
  "center",
  "main",
  "header",
  "footer",
  "body",
  "hgroup",
]);

function blockOf(node: ChildNode, nodes?: ChildNode[]): Block {
  const parts = nodes ?? [node];
  const source = render(parts, { encodeEntities: "utf8" });
  const text = parts.map(textOf).join("");
  if (isTag(node) && !nodes) {
    const h = HEADING.exec(node.name);
    if (h) return makeBlock(source, text, { heading: Number(h[1]) });
    if (node.name === "hr") return makeBlock(source, "", { rule: true });
  }
  return makeBlock(source, text);
}

/** Elements a chapter may begin at, for deciding which wrappers to open. */
function splitCandidate(split: ChapterSplit): (el: Element) => boolean {
  switch (split.kind) {
    case "none":
      return () => false;
    case "heading": {
      const name = `h${split.level}`;
      return (el) => el.name === name;
    }
    case "marker": {
      const marker = split.marker.trim().toLowerCase();
      return (el) =>
        el.name === "hr" ||
        (!WRAPPERS.has(el.name) &&
          textOf(el).replace(/\s+/g, " ").trim().toLowerCase().startsWith(marker));
    }
    case "auto":
      return (el) =>
        HEADING.test(el.name) || (el.name === "p" && isChapterLine(makeBlock("", textOf(el))));
  }
}

/**
 * The blocks of `nodes`: block elements one each, runs of text and inline elements one each,
 * wrappers opened when a chapter may begin inside them or when they wrap everything.
 */
export function blocksOf(
  nodes: readonly ChildNode[],
  split: ChapterSplit,
  notices: Set<string>,
): Block[] {
  const candidate = splitCandidate(split);
  const out: Block[] = [];
  const walk = (children: readonly ChildNode[]) => {
    const significant = children.filter((c) => isTag(c) || (isText(c) && c.data.trim() !== ""));
    let run: ChildNode[] = [];
    const flush = () => {
      if (run.some((c) => !isText(c) || c.data.trim() !== ""))
        out.push(blockOf(run[0] as ChildNode, run));
      run = [];
    };
    for (const child of children) {
      if (!isTag(child) || !BLOCK_TAGS.has(child.name)) {
        if (isTag(child) || isText(child)) run.push(child);
        continue;
      }
      flush();
      if (isTableOfContents(child)) {
        notices.add("Left out a table of contents.");
        continue;
      }
      const open =
        WRAPPERS.has(child.name) && (significant.length === 1 || someElement(child, candidate));
      if (open) walk(child.children);
      else out.push(blockOf(child));
    }
    flush();
  };
  walk(nodes);
  return out;
}

export interface HtmlDocument {
  blocks: Block[];
  /** The `<title>`, or the first `<h1>`, or "". */
  title: string;
  language?: string;
  gutenberg: GutenbergHeader | null;
  notices: string[];
}

/** Reads an HTML document (decoded) into blocks. */
export function readHtmlDocument(html: string, split: ChapterSplit): HtmlDocument {
  const doc = parseHtml(html);
  const body = findElement(doc, "body") ?? doc;
  const titleEl = findElement(doc, "title");
  const htmlEl = findElement(doc, "html");
  collapseWhitespace(body);
  const notices = new Set<string>();
  const header = stripGutenbergDom(body);
  if (header !== null) notices.add(GUTENBERG_NOTICE);
  const h1 = findElement(body, "h1");
  const title =
    (titleEl ? textOf(titleEl) : "").replace(/\s+/g, " ").trim() ||
    (h1 ? textOf(h1).replace(/\s+/g, " ").trim() : "");
  const blocks = blocksOf(body.children, split, notices);
  const lang = htmlEl?.attribs.lang ?? htmlEl?.attribs["xml:lang"];
  const out: HtmlDocument = {
    blocks,
    title,
    gutenberg: header === null ? null : readGutenbergHeader(header),
    notices: [...notices],
  };
  if (lang && /^[a-z]{2,3}(?:-[A-Za-z0-9]+)*$/.test(lang))
    out.language = lang.split("-")[0] ?? lang;
  return out;
}

/** How a chapter's HTML blocks are stored: sanitized, with what was removed. */
export const renderHtmlBlocks = (blocks: readonly Block[]): FormattedText =>
  formatText(blocks.map((b) => b.source).join("\n"), "html");

export function readHtmlFile(
  bytes: Uint8Array,
  fileName: string,
  options: ImportOptions,
): ImportedWork {
  const decoded = decodeText(bytes, { html: true, chosen: options.encoding });
  const doc = readHtmlDocument(decoded.text, options.split);
  const split = splitBlocks(doc.blocks, options.split);
  const g = doc.gutenberg;
  const language = g?.language ?? doc.language;
  return assembleWork({
    format: "html",
    meta: {
      title: g?.title ?? doc.title,
      fallbackTitle: titleFromFileName(fileName),
      creators: g?.author ? [g.author] : [],
      ...(language ? { language } : {}),
      encoding: decoded.encoding,
    },
    preamble: split.preamble,
    sections: split.sections,
    render: renderHtmlBlocks,
    notices: [...doc.notices, split.how],
  });
}
