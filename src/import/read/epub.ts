/**
 * EPUB files (issue 14): META-INF/container.xml names the package (OPF); its spine gives the
 * chapters in reading order, each XHTML item's body one chapter titled by its first heading or
 * its table-of-contents entry (EPUB 3 nav or EPUB 2 NCX). The navigation document, cover,
 * title page and contents pages are left out; images too (the archive hosts no files). The
 * package's metadata fills the work: dc:title, dc:creator, dc:description (summary),
 * dc:language and dc:subject (offered as additional tags).
 */
import { posix } from "node:path";
import type { Unzipped } from "fflate";
import type { Element, ParentNode } from "domhandler";
import { parseDocument } from "htmlparser2";
import { formatText } from "../../core/text/formats.ts";
import { ImportError, type ImportedWork, type ImportOptions } from "../types.ts";
import { assembleWork, splitBlocks, type Block, type Section } from "./chapters.ts";
import { decodeText } from "./charset.ts";
import {
  blocksOf,
  collapseWhitespace,
  dropElements,
  findAllElements,
  findElement,
  parseHtml,
  renderHtmlBlocks,
  textOf,
} from "./html.ts";
import { titleFromFileName } from "./text.ts";
import { unzipAll, zipText } from "./zip.ts";

const localName = (el: Element) => el.name.slice(el.name.indexOf(":") + 1).toLowerCase();
const byLocalName = (root: ParentNode, name: string) =>
  findAllElements(root, (el) => localName(el) === name);
const clean = (text: string) => text.replace(/\s+/g, " ").trim();
const parseXml = (xml: string) => parseDocument(xml, { xmlMode: true });

interface ManifestItem {
  id: string;
  path: string;
  mediaType: string;
  properties: string;
}

/** A path inside the zip from an href relative to `base` (a file in the zip). */
function resolve(base: string, href: string): string {
  const path = decodeURIComponent(href.split("#")[0] ?? "");
  return posix.normalize(posix.join(posix.dirname(base), path)).replace(/^\.\//, "");
}

/** Table-of-contents labels by file path: the EPUB 3 nav document, else the NCX. */
function tocLabels(files: Unzipped, nav: ManifestItem | undefined, ncx: ManifestItem | undefined) {
  const labels = new Map<string, string>();
  const navText = nav ? zipText(files, nav.path) : null;
  if (nav && navText) {
    const doc = parseHtml(navText);
    const tocNav =
      findAllElements(
        doc,
        (el) => el.name === "nav" && /\btoc\b/.test(el.attribs["epub:type"] ?? ""),
      ).at(0) ?? findElement(doc, "nav");
    for (const a of tocNav ? findAllElements(tocNav, (el) => el.name === "a") : []) {
      const path = resolve(nav.path, a.attribs.href ?? "");
      if (!labels.has(path)) labels.set(path, clean(textOf(a)));
    }
  }
  const ncxText = ncx ? zipText(files, ncx.path) : null;
  if (labels.size === 0 && ncx && ncxText) {
    for (const point of byLocalName(parseXml(ncxText), "navpoint")) {
      const label = byLocalName(point, "text")[0];
      const content = byLocalName(point, "content")[0];
      if (!label || !content) continue;
      const path = resolve(ncx.path, content.attribs.src ?? "");
      if (!labels.has(path)) labels.set(path, clean(textOf(label)));
    }
  }
  return labels;
}

/** Names of front-matter files (as words of the file name or id): skipped when short. */
const FRONT_MATTER =
  /(?:^|[-_.\s])(?:cover|title|titlepage|title-page|toc|contents|copyright|colophon|nav|halftitle)(?:[-_.\s]|$)/i;
const GUIDE_SKIP = new Set(["cover", "title-page", "toc", "copyright-page", "colophon"]);

const IMAGES = new Set(["img", "svg", "image"]);

export function readEpubFile(
  bytes: Uint8Array,
  fileName: string,
  options: ImportOptions,
): ImportedWork {
  const what = `"${fileName}"`;
  // Only the text of the book: images and fonts are not imported, so not inflated.
  const files = unzipAll(
    bytes,
    what,
    (name) => !/\.(?:jpe?g|png|gif|webp|svg|ttf|otf|woff2?|mp3|mp4)$/i.test(name),
  );
  const broken = (reason: string) =>
    new ImportError(400, `${what} is not a readable EPUB: ${reason}.`);
  const container = zipText(files, "META-INF/container.xml");
  if (container === null) throw broken("it has no META-INF/container.xml");
  const rootfile = byLocalName(parseXml(container), "rootfile")[0]?.attribs["full-path"];
  if (!rootfile) throw broken("its container.xml names no package file");
  const opfText = zipText(files, rootfile);
  if (opfText === null) throw broken(`its package file ${rootfile} is missing`);
  const opf = parseXml(opfText);
  const metadata = byLocalName(opf, "metadata")[0];
  if (!metadata) throw broken("its package file has no metadata");

  const manifest = new Map<string, ManifestItem>();
  for (const item of byLocalName(opf, "item")) {
    const id = item.attribs.id;
    if (!id || !item.attribs.href) continue;
    manifest.set(id, {
      id,
      path: resolve(rootfile, item.attribs.href),
      mediaType: item.attribs["media-type"] ?? "",
      properties: item.attribs.properties ?? "",
    });
  }
  const spineEl = byLocalName(opf, "spine")[0];
  if (!spineEl) throw broken("its package file has no spine");
  const nav = [...manifest.values()].find((i) => /\bnav\b/.test(i.properties));
  const ncx =
    manifest.get(spineEl.attribs.toc ?? "") ??
    [...manifest.values()].find((i) => i.mediaType === "application/x-dtbncx+xml");
  const labels = tocLabels(files, nav, ncx);
  const guideSkip = new Set(
    byLocalName(opf, "reference")
      .filter((r) => GUIDE_SKIP.has((r.attribs.type ?? "").toLowerCase()))
      .map((r) => resolve(rootfile, r.attribs.href ?? "")),
  );

  const notices = new Set<string>();
  const sections: Section[] = [];
  const allBlocks: Block[] = [];
  let skipped = 0;
  let images = 0;
  for (const ref of byLocalName(spineEl, "itemref")) {
    const item = manifest.get(ref.attribs.idref ?? "");
    if (!item)
      throw broken(`its spine names "${ref.attribs.idref ?? ""}", which the manifest lacks`);
    if (!/xhtml|html/.test(item.mediaType)) continue;
    const data = files[item.path];
    if (!data) throw broken(`${item.path} is missing from the file`);
    const doc = parseHtml(decodeText(data, { html: true }).text);
    const body = findElement(doc, "body") ?? doc;
    images += dropElements(body, IMAGES);
    const words = clean(textOf(body)).split(" ").length;
    const base = posix.basename(item.path);
    if (
      item === nav ||
      ref.attribs.linear === "no" ||
      guideSkip.has(item.path) ||
      ((FRONT_MATTER.test(base) || FRONT_MATTER.test(item.id)) && words < 150)
    ) {
      skipped++;
      continue;
    }
    collapseWhitespace(body);
    const blocks = blocksOf(
      body.children,
      options.split.kind === "auto" ? { kind: "auto" } : options.split,
      notices,
    );
    allBlocks.push(...blocks);
    // Each spine item is a chapter, titled by its first heading (then left out of the text).
    const firstText = blocks.findIndex((b) => b.words > 0);
    const first = blocks[firstText];
    let title = labels.get(item.path) ?? "";
    if (first?.heading !== undefined) {
      title = first.text;
      blocks.splice(firstText, 1);
    }
    sections.push({ title, blocks });
  }
  if (skipped > 0)
    notices.add(
      `Left out ${skipped} cover, contents and navigation ${skipped === 1 ? "page" : "pages"}.`,
    );
  if (images > 0)
    notices.add(`${images.toLocaleString("en-US")} ${images === 1 ? "image" : "images"} dropped.`);

  const dc = (name: string) =>
    byLocalName(metadata, name)
      .map((el) => clean(textOf(el)))
      .filter((t) => t !== "");
  const description = dc("description")[0];
  const language = dc("language")[0]?.split("-")[0]?.toLowerCase();
  let preamble: Block[] = [];
  let parts = sections;
  let how = `Found ${sections.length} ${sections.length === 1 ? "chapter" : "chapters"} in the EPUB's reading order.`;
  if (options.split.kind !== "auto") {
    const split = splitBlocks(allBlocks, options.split);
    preamble = split.preamble;
    parts = split.sections;
    how = split.how;
  }
  return assembleWork({
    format: "epub",
    meta: {
      title: dc("title")[0] ?? "",
      fallbackTitle: titleFromFileName(fileName),
      creators: dc("creator"),
      ...(description ? { summary: formatText(description, "html").html } : {}),
      ...(language && /^[a-z]{2,3}$/.test(language) ? { language } : {}),
      tags: [...new Set(dc("subject"))],
    },
    preamble,
    sections: parts,
    render: renderHtmlBlocks,
    notices: [...notices, how],
  });
}
