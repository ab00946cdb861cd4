/** Which builder makes which format, what it is served as, and which works build in a job. */
import { htmlToPlainText } from "../core/text/sanitize.ts";
import type { DownloadFormat } from "../works/views/links.tsx";
import type { DownloadWork } from "./document.ts";
import { buildEpub } from "./epub.ts";
import { buildHtml } from "./html.ts";
import { buildPdf } from "./pdf.ts";
import { buildText } from "./txt.ts";

export const CONTENT_TYPES: Readonly<Record<DownloadFormat, string>> = {
  epub: "application/epub+zip",
  html: "text/html; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  pdf: "application/pdf",
};

/**
 * Works this long are built by a background job (`download.build`) while the reader is told
 * to come back: an EPUB of 500,000 words takes about a second, a PDF much longer per word.
 */
export const BACKGROUND_WORDS: Readonly<Record<DownloadFormat, number>> = {
  epub: 200_000,
  html: 200_000,
  txt: 200_000,
  pdf: 50_000,
};

export const buildsInBackground = (format: DownloadFormat, words: number) =>
  words > BACKGROUND_WORDS[format];

export async function buildFile(
  format: DownloadFormat,
  w: DownloadWork,
  opts: { compress?: boolean } = {},
): Promise<Uint8Array> {
  switch (format) {
    case "epub":
      return buildEpub(w, htmlToPlainText(w.summaryHtml));
    case "html":
      return Buffer.from(buildHtml(w), "utf8");
    case "txt":
      return Buffer.from(buildText(w), "utf8");
    case "pdf":
      return buildPdf(w, opts);
  }
}
