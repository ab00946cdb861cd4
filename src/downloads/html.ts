/**
 * The HTML download in AO3's download markup, which Calibre recipes and readers' scripts
 * know: `div#preface` (title, byline, the metadata `dl.tags`, summary, notes),
 * `div#chapters.userstuff` (per chapter a `div.meta.group` with its heading and notes, then
 * `div.userstuff` with the text) and `div#afterword`. One self-contained HTML5 file: the
 * stylesheet is inline, no script, nothing fetched.
 */
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
import { languageOf } from "./epub.ts";

const CSS = `
body { font-family: Georgia, serif; line-height: 1.5; max-width: 42em; margin: 1em auto; padding: 0 1em; color: #111; background: #fff; }
#preface .meta { border-bottom: 1px solid #999; padding-bottom: 1em; }
dl.tags dt { font-weight: bold; float: left; clear: left; margin-right: 0.5em; }
dl.tags dd { margin: 0 0 0.3em 0; }
dl.tags::after { content: ""; display: block; clear: both; }
h1 { font-size: 1.8em; }
.byline { font-size: 1.2em; }
blockquote { margin: 0.5em 2em; }
.toc-heading { font-size: 1.1em; margin-top: 3em; border-top: 1px solid #999; padding-top: 1em; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 0.2em 0.4em; }
.message { font-style: italic; }
${MAPPED_CSS}`;

export function buildHtml(w: DownloadWork): string {
  const ctx: XhtmlContext = {
    baseUrl: w.baseUrl,
    ids: new Set(["preface", "chapters", "afterword", "endnotes"]),
    images: { count: 0 },
  };
  for (const c of w.chapters) ctx.ids.add(`chapter-${c.position}`);
  const trees: Node[][] = [];
  const fix = (html: string): Node[] | null => {
    if (!html) return null;
    const tree = fixFragment(html, ctx);
    trees.push(tree);
    return tree;
  };
  const summary = fix(w.summaryHtml);
  const notes = fix(w.notesHtml);
  const chapters = w.chapters.map((c) => ({
    c,
    summary: fix(c.summaryHtml),
    notes: fix(c.notesHtml),
    text: fix(c.textHtml) ?? [],
    end: fix(c.endNotesHtml),
  }));
  const endNotes = fix(w.endNotesHtml);
  dropDeadFragmentLinks(trees, ctx.ids);

  const quote = (label: string, tree: Node[] | null) =>
    tree
      ? `<p>${x(label)}</p>\n<blockquote class="userstuff">${serialize(tree, "html")}</blockquote>\n`
      : "";
  const { code, rtl } = languageOf(w);
  const authors = w.authors.length
    ? w.authors.map((a) => `<a rel="author" href="${x(a.url)}">${x(a.name)}</a>`).join(", ")
    : "Anonymous";
  const tags = w.tags
    .map(
      (g) =>
        `<dt>${x(g.label)}:</dt>\n<dd>${g.values.map((v) => `<a rel="tag" href="${x(v.url)}">${x(v.name)}</a>`).join(", ")}</dd>`,
    )
    .join("\n");
  const stats = w.stats.map((s) => `${x(s.label)}: ${x(s.value)}`).join(" ");
  const fandoms = w.tags.find((g) => g.key === "fandom")?.values.map((v) => v.name) ?? [];
  const docTitle = [w.title, bylineText(w), fandoms.join(", ")].filter(Boolean).join(" - ");

  const chapterHtml = chapters
    .map(
      ({
        c,
        summary: s,
        notes: n,
        text,
        end,
      }) => `<div class="meta group" id="chapter-${c.position}">
<h2 class="heading">${x(c.heading)}</h2>
${quote("Chapter Summary", s)}${quote("Chapter Notes", n)}</div>
<div class="userstuff">${serialize(text, "html")}</div>
${end ? `<div class="meta group">\n${quote("Chapter End Notes", end)}</div>\n` : ""}`,
    )
    .join("\n");

  return `<!DOCTYPE html>
<html lang="${x(code)}"${rtl ? ' dir="rtl"' : ""}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${x(docTitle)}</title>
<style>${CSS}</style>
</head>
<body>
<div id="preface">
<p class="message"><b>${x(w.title)}</b></p>
<p class="message">Posted originally on the archive at <a href="${x(w.url)}">${x(w.url)}</a>.</p>
<div class="meta">
<dl class="tags">
${tags}
<dt>Language:</dt>
<dd>${x(w.language.name)}</dd>
<dt>Stats:</dt>
<dd>${stats}</dd>
</dl>
<h1>${x(w.title)}</h1>
<div class="byline">by ${authors}</div>
${quote("Summary", summary)}${quote("Notes", notes)}</div>
</div>
<div id="chapters" class="userstuff">
${chapterHtml}
</div>
<div id="afterword">
${endNotes ? `<div class="meta">\n${quote("End Notes", endNotes)}</div>\n` : ""}<div id="endnotes">
<p class="message">Please <a href="${x(w.url)}">drop by the archive and comment</a> to let the creator know if you enjoyed their work!</p>
</div>
</div>
</body>
</html>
`;
}
