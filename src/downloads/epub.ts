/**
 * EPUB 3 with an EPUB 2 NCX, so old and new readers both find the table of contents:
 * `mimetype` first and stored, `META-INF/container.xml`, then under `OEBPS/` the package
 * document, `nav.xhtml`, `toc.ncx`, a title page with every piece of metadata (AO3's preface),
 * one XHTML file per chapter and an afterword. Everything is inside the file: the stylesheet
 * is ours, images (remote) become links. `test/downloads/epubcheck.test.ts` holds every kind of
 * work to 0 errors and 0 warnings.
 */
import { strToU8, zipSync, type Zippable } from "fflate";
import { bylineText, type DownloadWork } from "./document.ts";
import {
  dropDeadFragmentLinks,
  escapeXml as x,
  fixFragment,
  MAPPED_CSS,
  serialize,
  type Node,
  type XhtmlContext,
} from "./xhtml.ts";

const RTL_LANGUAGES = new Set(["ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ku"]);
const LANG = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;

export const EPUB_CSS = `
body { font-family: serif; line-height: 1.4; margin: 0 1em; }
h1, h2, h3 { line-height: 1.2; }
h1.title { text-align: center; margin-top: 2em; }
p.byline { text-align: center; font-size: 1.2em; }
dl.meta dt { font-weight: bold; margin-top: 0.4em; }
dl.meta dd { margin-left: 1.5em; }
blockquote { margin: 1em 2em; }
div.notes, div.summary { margin: 1em 0; }
div.userstuff p { margin: 0 0 1em; }
p.message { text-align: center; font-style: italic; }
table { border-collapse: collapse; }
td, th { border: 1px solid #999; padding: 0.2em 0.4em; }
hr { border: 0; border-top: 1px solid #999; margin: 1em 0; }
${MAPPED_CSS}`;

export function languageOf(w: DownloadWork): { code: string; rtl: boolean } {
  const code = LANG.test(w.language.code) ? w.language.code : "und";
  return { code, rtl: RTL_LANGUAGES.has(code.split("-")[0]!.toLowerCase()) };
}

function xhtmlDocument(w: DownloadWork, title: string, body: string, extraNs = ""): string {
  const { code, rtl } = languageOf(w);
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"${extraNs} lang="${x(code)}" xml:lang="${x(code)}"${rtl ? ' dir="rtl"' : ""}>
<head>
<meta charset="UTF-8"/>
<title>${x(title)}</title>
<link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body>
${body}
</body>
</html>
`;
}

/** One document's fragments, fixed with one set of ids (fragment links checked at the end). */
class Fragments {
  readonly ctx: XhtmlContext;
  private readonly trees: Node[][] = [];
  constructor(baseUrl: string, images: { count: number }, reserved: readonly string[] = []) {
    this.ctx = { baseUrl, ids: new Set(reserved), images };
  }
  add(html: string): Node[] {
    const tree = fixFragment(html, this.ctx);
    this.trees.push(tree);
    return tree;
  }
  /** Serializes after every fragment of the document was added. */
  finish(render: () => string): string {
    dropDeadFragmentLinks(this.trees, this.ctx.ids);
    return render();
  }
}

const block = (cls: string, heading: string, tree: Node[] | null, level = "h3") =>
  tree && tree.length
    ? `<div class="${cls}"><${level}>${x(heading)}</${level}><blockquote class="userstuff">${serialize(tree, "xml")}</blockquote></div>\n`
    : "";

function titlePage(w: DownloadWork, images: { count: number }): string {
  const f = new Fragments(w.baseUrl, images);
  const summary = w.summaryHtml ? f.add(w.summaryHtml) : null;
  const notes = w.notesHtml ? f.add(w.notesHtml) : null;
  return f.finish(() => {
    const meta = w.tags
      .map(
        (g) =>
          `<dt class="${g.key}">${x(g.label)}:</dt><dd class="${g.key} tags">${g.values
            .map((v) => `<a href="${x(v.url)}">${x(v.name)}</a>`)
            .join(", ")}</dd>`,
      )
      .join("\n");
    const stats = w.stats.map((s) => `${x(s.label)}: ${x(s.value)}`).join(" · ");
    const body = `<section epub:type="titlepage" id="preface">
<h1 class="title">${x(w.title)}</h1>
<p class="byline">by ${w.authors.length ? w.authors.map((a) => `<a rel="author" href="${x(a.url)}">${x(a.name)}</a>`).join(", ") : "Anonymous"}</p>
<p class="message">Posted originally on the archive at <a href="${x(w.url)}">${x(w.url)}</a>.</p>
<dl class="meta">
${meta}
<dt class="language">Language:</dt><dd class="language">${x(w.language.name)}</dd>
<dt class="stats">Stats:</dt><dd class="stats">${x(stats)}</dd>
</dl>
${block("summary", "Summary", summary, "h2")}${block("notes", "Notes", notes, "h2")}</section>`;
    return xhtmlDocument(w, w.title, body);
  });
}

function chapterPage(
  w: DownloadWork,
  c: DownloadWork["chapters"][number],
  images: { count: number },
): string {
  const f = new Fragments(w.baseUrl, images, [`chapter-${c.position}`]);
  const summary = c.summaryHtml ? f.add(c.summaryHtml) : null;
  const notes = c.notesHtml ? f.add(c.notesHtml) : null;
  const text = f.add(c.textHtml);
  const end = c.endNotesHtml ? f.add(c.endNotesHtml) : null;
  return f.finish(() => {
    const body = `<section epub:type="chapter" id="chapter-${c.position}" class="chapter">
<h2 class="heading">${x(c.heading)}</h2>
${block("summary", "Chapter Summary", summary)}${block("notes", "Chapter Notes", notes)}<div class="userstuff">${serialize(text, "xml")}</div>
${block("end notes", "Chapter End Notes", end)}</section>`;
    return xhtmlDocument(w, c.heading, body);
  });
}

function afterword(w: DownloadWork, images: { count: number }): string {
  const f = new Fragments(w.baseUrl, images);
  const end = w.endNotesHtml ? f.add(w.endNotesHtml) : null;
  return f.finish(() => {
    const imageNote =
      images.count > 0
        ? `<p class="message">${images.count === 1 ? "One image" : `${images.count} images`} in this work ${images.count === 1 ? "is" : "are"} on the web and not in this file: ${images.count === 1 ? "it appears" : "they appear"} as a link with ${images.count === 1 ? "its" : "their"} description.</p>\n`
        : "";
    const body = `<section epub:type="afterword" id="afterword">
${block("end notes", "End Notes", end, "h2")}${imageNote}<p class="message">Please <a href="${x(w.url)}">drop by the archive and comment</a> to let the creator know if you enjoyed their work!</p>
</section>`;
    return xhtmlDocument(w, "Afterword", body);
  });
}

function navDocument(w: DownloadWork): string {
  const items = [
    `<li><a href="title.xhtml">${x(w.title)}</a></li>`,
    ...w.chapters.map((c) => `<li><a href="chapter-${c.position}.xhtml">${x(c.heading)}</a></li>`),
    `<li><a href="afterword.xhtml">Afterword</a></li>`,
  ];
  const body = `<nav epub:type="toc" id="toc">
<h1>Contents</h1>
<ol>
${items.join("\n")}
</ol>
</nav>
<nav epub:type="landmarks" id="landmarks" hidden="hidden">
<h2>Landmarks</h2>
<ol>
<li><a epub:type="titlepage" href="title.xhtml">Title page</a></li>
<li><a epub:type="bodymatter" href="${w.chapters.length ? "chapter-1" : "title"}.xhtml">Start of the work</a></li>
</ol>
</nav>`;
  return xhtmlDocument(w, "Contents", body);
}

function ncx(w: DownloadWork): string {
  const points = [
    { label: w.title, src: "title.xhtml" },
    ...w.chapters.map((c) => ({ label: c.heading, src: `chapter-${c.position}.xhtml` })),
    { label: "Afterword", src: "afterword.xhtml" },
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="${x(languageOf(w).code)}">
<head>
<meta name="dtb:uid" content="${x(w.identifier)}"/>
<meta name="dtb:depth" content="1"/>
<meta name="dtb:totalPageCount" content="0"/>
<meta name="dtb:maxPageNumber" content="0"/>
</head>
<docTitle><text>${x(w.title)}</text></docTitle>
<docAuthor><text>${x(bylineText(w))}</text></docAuthor>
<navMap>
${points
  .map(
    (p, i) =>
      `<navPoint id="np-${i + 1}" playOrder="${i + 1}"><navLabel><text>${x(p.label)}</text></navLabel><content src="${p.src}"/></navPoint>`,
  )
  .join("\n")}
</navMap>
</ncx>
`;
}

function packageDocument(w: DownloadWork, summaryText: string): string {
  const { code, rtl } = languageOf(w);
  const subjects = w.tags
    .filter((g) => g.key !== "rating" && g.key !== "warning")
    .flatMap((g) => g.values.map((v) => `<dc:subject>${x(v.name)}</dc:subject>`));
  const creators = (w.authors.length ? w.authors.map((a) => a.name) : ["Anonymous"]).map(
    (name, i) =>
      `<dc:creator id="creator-${i + 1}">${x(name)}</dc:creator>\n<meta refines="#creator-${i + 1}" property="role" scheme="marc:relators">aut</meta>`,
  );
  const chapters = w.chapters.map((c) => `chapter-${c.position}`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="${x(code)}">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="uid">${x(w.identifier)}</dc:identifier>
<dc:title>${x(w.title)}</dc:title>
${creators.join("\n")}
<dc:language>${x(code)}</dc:language>
<dc:date>${x(w.published)}</dc:date>
<dc:source>${x(w.url)}</dc:source>
${summaryText ? `<dc:description>${x(summaryText)}</dc:description>\n` : ""}${subjects.join("\n")}
<meta property="dcterms:modified">${w.modified}</meta>
</metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
<item id="css" href="style.css" media-type="text/css"/>
<item id="title" href="title.xhtml" media-type="application/xhtml+xml"/>
${chapters.map((id) => `<item id="${id}" href="${id}.xhtml" media-type="application/xhtml+xml"/>`).join("\n")}
<item id="afterword" href="afterword.xhtml" media-type="application/xhtml+xml"/>
</manifest>
<spine toc="ncx"${rtl ? ' page-progression-direction="rtl"' : ""}>
<itemref idref="title"/>
<itemref idref="nav"/>
${chapters.map((id) => `<itemref idref="${id}"/>`).join("\n")}
<itemref idref="afterword"/>
</spine>
</package>
`;
}

const CONTAINER = `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
`;

/** The EPUB file. `summaryText`: the summary as plain text, for `dc:description`. */
export function buildEpub(w: DownloadWork, summaryText: string): Uint8Array {
  const images = { count: 0 };
  const files: [string, string][] = [["OEBPS/title.xhtml", titlePage(w, images)]];
  for (const c of w.chapters)
    files.push([`OEBPS/chapter-${c.position}.xhtml`, chapterPage(w, c, images)]);
  files.push(["OEBPS/afterword.xhtml", afterword(w, images)]);
  // The zip's dates: the work's last change, so a rebuild of one version gives the same bytes.
  const mtime = new Date(Math.max(Date.parse(w.modified), Date.UTC(1980, 1, 1)));
  const zip: Zippable = {
    // First and stored: readers identify the file by these bytes at offset 38.
    mimetype: [strToU8("application/epub+zip"), { level: 0, mtime }],
    "META-INF/container.xml": [strToU8(CONTAINER), { mtime }],
    "OEBPS/content.opf": [strToU8(packageDocument(w, summaryText)), { mtime }],
    "OEBPS/nav.xhtml": [strToU8(navDocument(w)), { mtime }],
    "OEBPS/toc.ncx": [strToU8(ncx(w)), { mtime }],
    "OEBPS/style.css": [strToU8(EPUB_CSS), { mtime }],
  };
  for (const [name, text] of files) zip[name] = [strToU8(text), { mtime }];
  return zipSync(zip, { level: 6 });
}
