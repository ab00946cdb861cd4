/**
 * Project Gutenberg's header and licence around a book's text (issue 14: "strip the Project
 * Gutenberg header/footer"). Its licence binds only while the name stays attached, so an
 * import keeps the book and leaves the boilerplate out, saying so in the notices.
 */
export const GUTENBERG_START = /\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG[^\n]*/i;
export const GUTENBERG_END = /\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG[^\n]*/i;
/** The line some editions put just above the end marker. */
export const GUTENBERG_END_LINE = /^\s*End of (?:the )?Project Gutenberg/im;

export const GUTENBERG_NOTICE = "Left out the Project Gutenberg header and licence.";

export interface GutenbergHeader {
  title?: string;
  author?: string;
  language?: string;
}

const LANGUAGES: Record<string, string> = {
  english: "en",
  french: "fr",
  german: "de",
  spanish: "es",
  italian: "it",
  portuguese: "pt",
  dutch: "nl",
  finnish: "fi",
  swedish: "sv",
  danish: "da",
  norwegian: "no",
  polish: "pl",
  russian: "ru",
  latin: "la",
  chinese: "zh",
  japanese: "ja",
};

/** "Title:", "Author:" and "Language:" lines of the text before the start marker. */
export function readGutenbergHeader(header: string): GutenbergHeader {
  const field = (name: string) =>
    new RegExp(`^\\s*${name}:[ \\t]*(.+)$`, "im").exec(header)?.[1]?.trim() || undefined;
  const out: GutenbergHeader = {};
  const title = field("Title");
  const author = field("Author");
  const language = LANGUAGES[field("Language")?.toLowerCase() ?? ""];
  if (title) out.title = title;
  if (author) out.author = author;
  if (language) out.language = language;
  return out;
}
