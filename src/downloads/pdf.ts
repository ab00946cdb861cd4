/**
 * The PDF download, written by pdfkit in this process: no browser, no converter, no service
 * at run time. DejaVu Serif (regular, bold, italic, bold italic) and DejaVu Sans Mono are
 * embedded as subsets, so every script DejaVu covers prints and the text can be selected and
 * searched (pdfkit writes a ToUnicode map). The chapter HTML is walked into paragraphs of
 * styled runs: bold, italics, underline and strikethrough, headings, lists, block quotes,
 * rules, preformatted text; a title page with the metadata, one bookmark per chapter, page
 * numbers. Right-to-left scripts are laid out left to right (pdfkit has no bidi).
 */
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";
import { htmlToPlainText } from "../core/text/sanitize.ts";
import { bylineText, type DownloadWork } from "./document.ts";
import { parseFragment, type El, type Node } from "./xhtml.ts";

const FONT_DIR = join(
  dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")),
  "ttf",
);
const FONTS = {
  regular: join(FONT_DIR, "DejaVuSerif.ttf"),
  bold: join(FONT_DIR, "DejaVuSerif-Bold.ttf"),
  italic: join(FONT_DIR, "DejaVuSerif-Italic.ttf"),
  boldItalic: join(FONT_DIR, "DejaVuSerif-BoldItalic.ttf"),
  mono: join(FONT_DIR, "DejaVuSansMono.ttf"),
  // DejaVu Serif has no Hebrew or Arabic: text in those scripts is set in DejaVu Sans.
  sans: join(FONT_DIR, "DejaVuSans.ttf"),
  sansBold: join(FONT_DIR, "DejaVuSans-Bold.ttf"),
  sansItalic: join(FONT_DIR, "DejaVuSans-Oblique.ttf"),
  sansBoldItalic: join(FONT_DIR, "DejaVuSans-BoldOblique.ttf"),
  monoBold: join(FONT_DIR, "DejaVuSansMono-Bold.ttf"),
};

interface Style {
  bold: boolean;
  italic: boolean;
  underline: boolean;
  strike: boolean;
  mono: boolean;
  link: string | null;
  size: number;
}
interface Run extends Style {
  text: string;
  /** A line break (`<br>`): kept through whitespace collapsing. */
  br?: boolean;
}

const BASE_SIZE = 11;
const PLAIN: Style = {
  bold: false,
  italic: false,
  underline: false,
  strike: false,
  mono: false,
  link: null,
  size: BASE_SIZE,
};

const HEADING_SIZES: Record<string, number> = {
  h1: 20,
  h2: 17,
  h3: 14,
  h4: 12.5,
  h5: 11.5,
  h6: 11,
};
const BLOCKS = new Set([
  "p",
  "div",
  "center",
  "blockquote",
  "ul",
  "ol",
  "li",
  "dl",
  "dt",
  "dd",
  "table",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "caption",
  "pre",
  "hr",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "details",
  "summary",
  "figure",
  "figcaption",
  "address",
  "colgroup",
  "col",
]);

const SANS_SCRIPTS = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;

function fontOf(s: Style, text = ""): string {
  if (s.mono) return s.bold ? "monoBold" : "mono";
  if (SANS_SCRIPTS.test(text)) {
    if (s.bold && s.italic) return "sansBoldItalic";
    return s.bold ? "sansBold" : s.italic ? "sansItalic" : "sans";
  }
  if (s.bold && s.italic) return "boldItalic";
  if (s.bold) return "bold";
  if (s.italic) return "italic";
  return "regular";
}

function styleFor(el: El, s: Style): Style {
  switch (el.name) {
    case "b":
    case "strong":
    case "th":
    case "summary":
    case "dt":
      return { ...s, bold: true };
    case "i":
    case "em":
    case "cite":
    case "dfn":
    case "var":
    case "address":
      return { ...s, italic: true };
    case "u":
    case "ins":
      return { ...s, underline: true };
    case "s":
    case "strike":
    case "del":
      return { ...s, strike: true };
    case "code":
    case "kbd":
    case "samp":
    case "tt":
    case "pre":
      return { ...s, mono: true };
    case "big":
      return { ...s, size: s.size * 1.2 };
    case "small":
    case "sub":
    case "sup":
    case "rt":
      return { ...s, size: s.size * 0.8 };
    case "a":
      return el.attrs.href && /^(https?|mailto):/i.test(el.attrs.href)
        ? { ...s, link: el.attrs.href, underline: true }
        : s;
    default:
      return HEADING_SIZES[el.name] ? { ...s, bold: true, size: HEADING_SIZES[el.name]! } : s;
  }
}

/** A paragraph to lay out: its runs, indentation and the space before it. */
interface Para {
  runs: Run[];
  indent: number;
  prefix?: string;
  align?: "left" | "center" | "right" | "justify";
  rule?: boolean;
  pre?: boolean;
}

/** Walks a fragment into paragraphs. */
class Flow {
  readonly paras: Para[] = [];
  private runs: Run[] = [];
  private prefix: string | undefined;

  constructor(private readonly baseStyle: Style = PLAIN) {}

  private flush(indent: number, align?: Para["align"], pre = false) {
    // Collapse whitespace as a browser would (not in <pre>), trim the paragraph's ends.
    let runs = this.runs;
    if (!pre) {
      runs = runs.map((r) =>
        r.br ? { ...r } : { ...r, text: r.text.replace(/[ \t\r\n\f]+/g, " ") },
      );
      let prevSpace = true;
      for (const r of runs) {
        if (prevSpace) r.text = r.text.replace(/^ /, "");
        if (r.text.length) prevSpace = r.text.endsWith(" ") || r.text.endsWith("\n");
        r.text = r.text.replace(/ ?\n ?/g, "\n");
      }
      const last = runs.findLast((r) => r.text.length > 0);
      if (last) last.text = last.text.replace(/[ ]+$/, "");
    }
    // pdfkit drops a fragment that is only a space: it joins the run before it.
    const merged: Run[] = [];
    for (const r of runs) {
      const prev = merged[merged.length - 1];
      if (prev && !pre && r.text === " ") prev.text += " ";
      else if (r.text.length > 0) merged.push(r);
    }
    runs = merged;
    if (runs.length) {
      this.paras.push({
        runs,
        indent,
        ...(this.prefix ? { prefix: this.prefix } : {}),
        ...(align ? { align } : {}),
        pre,
      });
      this.prefix = undefined;
    }
    this.runs = [];
  }

  walk(
    nodes: readonly Node[],
    s: Style = this.baseStyle,
    indent = 0,
    pre = false,
    align?: Para["align"],
  ) {
    let counter = 0;
    for (const n of nodes) {
      if (typeof n === "string") {
        this.runs.push({ ...s, text: n });
        continue;
      }
      const style = styleFor(n, s);
      const a = n.attrs.align?.toLowerCase();
      const ownAlign: Para["align"] =
        n.name === "center"
          ? "center"
          : a === "center" || a === "right" || a === "left" || a === "justify"
            ? a
            : align;
      if (n.name === "br") {
        this.runs.push({ ...s, text: "\n", br: true });
      } else if (n.name === "img") {
        this.runs.push({
          ...s,
          italic: true,
          text: n.attrs.alt ? `[Image: ${n.attrs.alt}]` : "[Image]",
        });
      } else if (n.name === "hr") {
        this.flush(indent, align, pre);
        this.paras.push({ runs: [], indent, rule: true });
      } else if (BLOCKS.has(n.name)) {
        this.flush(indent, align, pre);
        const inner =
          n.name === "blockquote" || n.name === "dd" || n.name === "ul" || n.name === "ol"
            ? indent + 18
            : indent;
        if (n.name === "li") {
          counter += 1;
          this.prefix = n.attrs["data-marker"] ?? "•";
        }
        if (n.name === "ol" || n.name === "ul") {
          let i = Number(n.attrs.start ?? 1) || 1;
          for (const c of n.children)
            if (typeof c !== "string" && c.name === "li")
              c.attrs["data-marker"] = n.name === "ol" ? `${i++}.` : "•";
        }
        if (n.name === "td" || n.name === "th") this.runs.push({ ...s, text: " | " });
        this.walk(n.children, style, inner, pre || n.name === "pre", ownAlign);
        this.flush(inner, ownAlign, pre || n.name === "pre");
      } else if (n.name === "td" || n.name === "th") {
        if (counter++ > 0) this.runs.push({ ...s, text: " | " });
        this.walk(n.children, style, indent, pre, align);
      } else if (n.name === "rp") {
        continue;
      } else {
        this.walk(n.children, style, indent, pre, align);
      }
    }
  }

  /** Ends the last paragraph. */
  end() {
    this.flush(0);
  }
}

type Doc = PDFKit.PDFDocument;

function writeParas(doc: Doc, paras: readonly Para[], width: number) {
  const left = doc.page.margins.left;
  for (const p of paras) {
    if (p.rule) {
      doc.moveDown(0.3);
      const y = doc.y;
      doc
        .moveTo(left + p.indent, y)
        .lineTo(left + width, y)
        .lineWidth(0.5)
        .strokeColor("#888888")
        .stroke();
      doc.moveDown(0.6);
      continue;
    }
    const indent = p.indent + (p.prefix ? 14 : 0);
    if (p.prefix) {
      const first = p.runs[0]!;
      doc.font("regular").fontSize(first.size);
      doc.text(p.prefix, left + p.indent, doc.y, { lineBreak: false, continued: false });
      doc.y -= doc.currentLineHeight(true);
    }
    doc.x = left + indent;
    p.runs.forEach((r, i) => {
      doc
        .font(fontOf(r, r.text))
        .fontSize(r.size)
        .fillColor(r.link ? "#1a4d99" : "#000000");
      doc.text(r.text, {
        width: width - indent,
        continued: i < p.runs.length - 1,
        underline: r.underline,
        strike: r.strike,
        link: r.link,
        align: p.align ?? "left",
        lineGap: 2,
      });
    });
    doc.x = left;
    doc.moveDown(0.5);
  }
}

function htmlParas(html: string, base: Style = PLAIN): Para[] {
  const flow = new Flow(base);
  flow.walk(parseFragment(html), base);
  flow.end();
  return flow.paras;
}

const heading = (text: string, size: number): Para => ({
  runs: [{ ...PLAIN, bold: true, size, text }],
  indent: 0,
});

/** The PDF file. `compress: false` (tests) leaves content streams readable. */
export function buildPdf(w: DownloadWork, opts: { compress?: boolean } = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A5",
    margins: { top: 50, bottom: 56, left: 48, right: 48 },
    bufferPages: true,
    compress: opts.compress ?? true,
    autoFirstPage: false,
    lang: w.language.code,
    displayTitle: true,
    info: {
      Title: w.title,
      Author: bylineText(w),
      Subject: htmlToPlainText(w.summaryHtml).slice(0, 1000),
      Keywords: w.tags.flatMap((g) => g.values.map((v) => v.name)).join(", "),
      CreationDate: new Date(Date.parse(w.modified)),
      ModDate: new Date(Date.parse(w.modified)),
      Creator: "Fanfold",
    },
  });
  for (const [name, file] of Object.entries(FONTS)) doc.registerFont(name, file);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  doc.addPage();
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const label = (text: string): Run => ({ ...PLAIN, bold: true, text });
  const value = (text: string): Run => ({ ...PLAIN, text });
  writeParas(doc, [{ ...heading(w.title, 20), align: "center" }], width);
  writeParas(doc, [{ runs: [value(`by ${bylineText(w)}`)], indent: 0, align: "center" }], width);
  doc.moveDown(0.5);
  const meta: Para[] = [
    ...w.tags.map((g) => ({
      runs: [label(`${g.label}: `), value(g.values.map((v) => v.name).join(", "))],
      indent: 0,
    })),
    { runs: [label("Language: "), value(w.language.name)], indent: 0 },
    {
      runs: [label("Stats: "), value(w.stats.map((s) => `${s.label}: ${s.value}`).join(" · "))],
      indent: 0,
    },
    {
      runs: [
        value("Posted originally on the archive at "),
        { ...PLAIN, link: w.url, underline: true, text: w.url },
      ],
      indent: 0,
    },
  ];
  writeParas(doc, meta, width);
  if (w.summaryHtml) writeParas(doc, [heading("Summary", 13), ...htmlParas(w.summaryHtml)], width);
  if (w.notesHtml) writeParas(doc, [heading("Notes", 13), ...htmlParas(w.notesHtml)], width);

  for (const c of w.chapters) {
    doc.addPage();
    doc.outline.addItem(c.heading);
    writeParas(doc, [heading(c.heading, 16)], width);
    if (c.summaryHtml)
      writeParas(doc, [heading("Chapter Summary", 12), ...htmlParas(c.summaryHtml)], width);
    if (c.notesHtml)
      writeParas(doc, [heading("Chapter Notes", 12), ...htmlParas(c.notesHtml)], width);
    writeParas(doc, htmlParas(c.textHtml), width);
    if (c.endNotesHtml)
      writeParas(doc, [heading("Chapter End Notes", 12), ...htmlParas(c.endNotesHtml)], width);
  }
  if (w.endNotesHtml) {
    doc.moveDown(1);
    writeParas(doc, [heading("End Notes", 13), ...htmlParas(w.endNotesHtml)], width);
  }

  // Page numbers, in the bottom margin of every page (written last: pages are buffered).
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font("regular")
      .fontSize(8)
      .fillColor("#555555")
      .text(`${i + 1}`, doc.page.margins.left, doc.page.height - 34, {
        width,
        align: "center",
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
