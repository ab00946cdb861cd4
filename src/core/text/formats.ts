/**
 * The formats writers type chapters, notes and summaries in. Whatever the format, what is stored
 * is the sanitized HTML of formatUserText (sanitize.ts), so readers, downloads and feeds never
 * need to know which one was used.
 * - rich: HTML from the rich-text editor (or its textarea fallback without JavaScript);
 * - html: HTML typed by hand, with AO3's paragraph rules for the plain text around it;
 * - markdown: CommonMark with tables and strikethrough (markdown-it), HTML allowed inside;
 * - plain: every character shown as typed; blank lines make paragraphs.
 */
import MarkdownIt from "markdown-it";
import { formatUserText, type SanitizedHtml } from "./sanitize.ts";
import { removedByAllowlist, type RemovedCounts } from "./removed.ts";

export const TEXT_FORMATS = ["rich", "html", "markdown", "plain"] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];

export const TEXT_FORMAT_LABELS: Readonly<Record<TextFormat, string>> = {
  rich: "Rich text",
  html: "HTML",
  markdown: "Markdown",
  plain: "Plain text",
};

export function isTextFormat(value: unknown): value is TextFormat {
  return typeof value === "string" && (TEXT_FORMATS as readonly string[]).includes(value);
}

// "default" preset = CommonMark plus tables and strikethrough. Raw HTML passes through to the
// sanitizer, as on AO3, where writers mix the two. No typographer: text is kept as typed.
const markdown = new MarkdownIt("default", { html: true, linkify: false, typographer: false });

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The HTML a text in `format` stands for, before sanitizing. */
export function textAsHtml(text: string, format: TextFormat): string {
  switch (format) {
    case "markdown":
      return markdown.render(text);
    case "plain":
      return escapeText(text);
    case "html":
    case "rich":
      return text;
  }
}

export interface FormattedText {
  html: SanitizedHtml;
  /** What the sanitizer took out (empty for plain text, which has no markup). */
  removed: RemovedCounts;
}

/** A text in `format` as the HTML to store, and what the allowlist removed from it. */
export function formatText(text: string, format: TextFormat): FormattedText {
  const source = textAsHtml(text, format);
  return { html: formatUserText(source), removed: removedByAllowlist(source) };
}
