/**
 * The plain-text download: a header with the metadata, then each chapter under its heading,
 * the text as the reading page's words (htmlToPlainText: paragraphs by blank lines). Plain text
 * cannot keep bold or italics; the EPUB, HTML and PDF files do.
 */
import { htmlToPlainText } from "../core/text/sanitize.ts";
import { bylineText, type DownloadWork } from "./document.ts";

const rule = (title: string) => {
  const line = "=".repeat(Math.min(72, Math.max(8, [...title].length)));
  return `${line}\n${title}\n${line}`;
};

function section(label: string, html: string): string {
  const text = htmlToPlainText(html).trim();
  return text ? `${label}:\n\n${text}\n\n` : "";
}

export function buildText(w: DownloadWork): string {
  const meta = [
    ...w.tags.map((g) => `${g.label}: ${g.values.map((v) => v.name).join(", ")}`),
    `Language: ${w.language.name}`,
    `Stats: ${w.stats.map((s) => `${s.label}: ${s.value}`).join(", ")}`,
  ].join("\n");
  let out = `${w.title}\nby ${bylineText(w)}\n\nPosted originally on the archive at ${w.url}.\n\n${meta}\n\n`;
  out += section("Summary", w.summaryHtml);
  out += section("Notes", w.notesHtml);
  for (const c of w.chapters) {
    out += `\n${rule(c.heading)}\n\n`;
    out += section("Chapter Summary", c.summaryHtml);
    out += section("Chapter Notes", c.notesHtml);
    const text = htmlToPlainText(c.textHtml).trim();
    if (text) out += `${text}\n\n`;
    out += section("Chapter End Notes", c.endNotesHtml);
  }
  if (w.endNotesHtml) out += `\n${section("End Notes", w.endNotesHtml)}`;
  out += `\n---\nPlease drop by the archive and comment to let the creator know if you enjoyed their work!\n${w.url}\n`;
  return out.replace(/\n{3,}/g, "\n\n\n");
}
