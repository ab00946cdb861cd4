/**
 * Small DOCX and EPUB files built in memory for the importer's tests (zipped with fflate, the
 * library the importer reads them with), so each test states exactly what its file holds.
 */
import { strToU8, zipSync, type Zippable } from "fflate";

const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export interface RunStyle {
  b?: boolean;
  i?: boolean;
  u?: boolean;
  s?: boolean;
}

/** A run of text in a DOCX paragraph. */
export function run(text: string, style: RunStyle = {}): string {
  const props = [
    style.b ? "<w:b/>" : "",
    style.i ? "<w:i/>" : "",
    style.u ? '<w:u w:val="single"/>' : "",
    style.s ? "<w:strike/>" : "",
  ].join("");
  return `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ""}<w:t xml:space="preserve">${esc(text)}</w:t></w:r>`;
}

export const para = (...runs: string[]) => `<w:p>${runs.join("")}</w:p>`;
export const text = (t: string) => para(run(t));
export const heading = (level: number, t: string) =>
  `<w:p><w:pPr><w:pStyle w:val="Heading${level}"/></w:pPr>${run(t)}</w:p>`;
export const bullet = (t: string) =>
  `<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>${run(t)}</w:p>`;
export const footnoteRef = (id: number) => `<w:r><w:footnoteReference w:id="${id}"/></w:r>`;
export const image = () =>
  `<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:extent cx="100" cy="100"/><wp:docPr id="1" name="Picture 1" descr="a picture"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="1" name="image1.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImage"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>`;

/** A 1×1 PNG. */
const PNG = Uint8Array.from(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "base64",
  ),
);

export function docx(opts: {
  body: string[];
  title?: string;
  creator?: string;
  footnotes?: string[];
}): Uint8Array {
  const footnotes = (opts.footnotes ?? [])
    .map((t, i) => `<w:footnote w:id="${i + 1}"><w:p>${run(t)}</w:p></w:footnote>`)
    .join("");
  const files: Zippable = {
    "[Content_Types].xml": strToU8(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
    ),
    "_rels/.rels": strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`,
    ),
    "word/_rels/document.xml.rels": strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdNumbering" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rIdImage" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/></Relationships>`,
    ),
    "word/document.xml": strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}" xmlns:r="${R}"><w:body>${opts.body.join("")}</w:body></w:document>`,
    ),
    "word/styles.xml": strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="${W}">${[1, 2, 3]
        .map(
          (n) =>
            `<w:style w:type="paragraph" w:styleId="Heading${n}"><w:name w:val="heading ${n}"/></w:style>`,
        )
        .join("")}</w:styles>`,
    ),
    "word/numbering.xml": strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="${W}"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`,
    ),
    "word/footnotes.xml": strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="${W}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>${footnotes}</w:footnotes>`,
    ),
    "word/media/image1.png": PNG,
    "docProps/core.xml": strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">${opts.title ? `<dc:title>${esc(opts.title)}</dc:title>` : ""}${opts.creator ? `<dc:creator>${esc(opts.creator)}</dc:creator>` : ""}</cp:coreProperties>`,
    ),
  };
  return zipSync(files);
}

export interface EpubItem {
  id: string;
  href: string;
  /** The body's inner XHTML. */
  body: string;
  linear?: boolean;
  properties?: string;
}

export const xhtml = (title: string, body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>${esc(title)}</title></head><body>${body}</body></html>`;

/**
 * An EPUB 3 (with an NCX unless `ncx: false`): items listed in the manifest in the given
 * order, the spine in `spine` order (default: the items' order), a nav document whose entries
 * are `toc` (href → label).
 */
export function epub(opts: {
  title?: string;
  creators?: string[];
  description?: string;
  language?: string;
  subjects?: string[];
  items: EpubItem[];
  spine?: string[];
  toc?: [string, string][];
  ncx?: boolean;
  extra?: Zippable;
  containerXml?: string;
}): Uint8Array {
  const dc = [
    opts.title !== undefined ? `<dc:title>${esc(opts.title)}</dc:title>` : "",
    ...(opts.creators ?? []).map((c) => `<dc:creator>${esc(c)}</dc:creator>`),
    opts.description !== undefined
      ? `<dc:description>${esc(opts.description)}</dc:description>`
      : "",
    opts.language !== undefined ? `<dc:language>${opts.language}</dc:language>` : "",
    ...(opts.subjects ?? []).map((s) => `<dc:subject>${esc(s)}</dc:subject>`),
    `<dc:identifier id="uid">urn:uuid:00000000-0000-4000-8000-000000000000</dc:identifier>`,
  ].join("");
  const toc = opts.toc ?? [];
  const nav = xhtml(
    "Contents",
    `<nav epub:type="toc"><h1>Contents</h1><ol>${toc.map(([href, label]) => `<li><a href="${href}">${esc(label)}</a></li>`).join("")}</ol></nav>`,
  );
  const ncx = `<?xml version="1.0" encoding="UTF-8"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap>${toc
    .map(
      ([href, label], i) =>
        `<navPoint id="n${i}" playOrder="${i + 1}"><navLabel><text>${esc(label)}</text></navLabel><content src="${href}"/></navPoint>`,
    )
    .join("")}</navMap></ncx>`;
  const withNcx = opts.ncx !== false;
  const manifest = [
    `<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>`,
    withNcx ? `<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>` : "",
    ...opts.items.map(
      (i) =>
        `<item id="${i.id}" href="${i.href}" media-type="application/xhtml+xml"${i.properties ? ` properties="${i.properties}"` : ""}/>`,
    ),
  ].join("");
  const byId = new Map(opts.items.map((i) => [i.id, i]));
  const spine = (opts.spine ?? opts.items.map((i) => i.id))
    .map((id) => `<itemref idref="${id}"${byId.get(id)?.linear === false ? ' linear="no"' : ""}/>`)
    .join("");
  const opf = `<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">${dc}</metadata><manifest>${manifest}</manifest><spine${withNcx ? ' toc="ncx"' : ""}><itemref idref="nav" linear="no"/>${spine}</spine></package>`;
  const files: Zippable = {
    mimetype: [strToU8("application/epub+zip"), { level: 0 }],
    "META-INF/container.xml": strToU8(
      opts.containerXml ??
        `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`,
    ),
    "OEBPS/content.opf": strToU8(opf),
    "OEBPS/nav.xhtml": strToU8(nav),
    ...(withNcx ? { "OEBPS/toc.ncx": strToU8(ncx) } : {}),
    ...Object.fromEntries(opts.items.map((i) => [`OEBPS/${i.href}`, strToU8(xhtml(i.id, i.body))])),
    ...opts.extra,
  };
  return zipSync(files);
}
