/**
 * Which kind of file an upload is, from its name and its first bytes (issue 14): a zip holding
 * `word/document.xml` is DOCX, one holding `META-INF/container.xml` is EPUB; other files are
 * text (Markdown by name, HTML by name or by the look of their start, otherwise plain text).
 * Known binary formats and anything with NUL bytes are refused as 415 with what they are.
 */
import { ImportError, type ImportFormat } from "../types.ts";
import { isZip, zipEntryNames } from "./zip.ts";

const ACCEPTED =
  "Import takes plain text (.txt), Markdown (.md), HTML, Word (.docx) or EPUB files.";

/** Binary formats people are likely to try, with what to do instead. */
const KNOWN_BINARY: { magic: number[]; what: string }[] = [
  { magic: [0x25, 0x50, 0x44, 0x46], what: "a PDF file, which can't be imported" },
  { magic: [0x89, 0x50, 0x4e, 0x47], what: "a PNG image" },
  { magic: [0xff, 0xd8, 0xff], what: "a JPEG image" },
  { magic: [0x47, 0x49, 0x46, 0x38], what: "a GIF image" },
  { magic: [0x52, 0x49, 0x46, 0x46], what: "a RIFF file (an image or sound)" },
  {
    magic: [0xd0, 0xcf, 0x11, 0xe0],
    what: "an old Word (.doc) file; save it as .docx and try again",
  },
  { magic: [0x1f, 0x8b], what: "a gzip archive" },
  { magic: [0x7b, 0x5c, 0x72, 0x74, 0x66], what: "an RTF file; save it as .docx and try again" },
  { magic: [0x37, 0x7a, 0xbc, 0xaf], what: "a 7-Zip archive" },
  { magic: [0x52, 0x61, 0x72, 0x21], what: "a RAR archive" },
];

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : "";
}

const MARKDOWN_EXT = new Set(["md", "markdown", "mdown", "mkd", "mkdn"]);
const HTML_EXT = new Set(["htm", "html", "xhtml", "xht"]);
const HTML_START =
  /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])/i;

/** Whether decoded text looks like an HTML document rather than prose with a tag or two. */
export const looksLikeHtml = (text: string) => HTML_START.test(text.slice(0, 4096));

/** A UTF-16 text file has NUL bytes too; its BOM tells it from a binary file. */
const hasUtf16Bom = (bytes: Uint8Array) =>
  (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);

function hasNulBytes(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8192);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

/**
 * The container format of a zip (docx or epub), or a 415 for other archives. A damaged zip is
 * a 400.
 */
function zipFormat(bytes: Uint8Array, fileName: string): "docx" | "epub" {
  const names = new Set(zipEntryNames(bytes, `"${fileName}"`));
  if (names.has("word/document.xml")) return "docx";
  if (names.has("META-INF/container.xml")) return "epub";
  const ext = extensionOf(fileName);
  if (ext === "docx")
    throw new ImportError(
      400,
      `"${fileName}" is not a Word document: it has no word/document.xml.`,
    );
  if (ext === "epub")
    throw new ImportError(400, `"${fileName}" is not an EPUB: it has no META-INF/container.xml.`);
  throw new ImportError(
    415,
    `"${fileName}" is a zip archive, but not a Word document or an EPUB. ${ACCEPTED}`,
  );
}

/**
 * The format to read `bytes` as. `chosen` (ImportOptions.format) overrides the guess for text
 * files; DOCX and EPUB are always recognised by their contents, and choosing them for a file
 * that is not a zip is a 400.
 */
export function detectFormat(
  bytes: Uint8Array,
  fileName: string,
  chosen?: ImportFormat,
): ImportFormat {
  if (bytes.length === 0) throw new ImportError(400, `"${fileName}" is empty.`);
  if (isZip(bytes)) return zipFormat(bytes, fileName);
  const ext = extensionOf(fileName);
  if (chosen === "docx" || chosen === "epub" || ext === "docx" || ext === "epub") {
    const what =
      chosen === "epub" || (chosen !== "docx" && ext === "epub")
        ? "an EPUB"
        : "a Word (.docx) document";
    throw new ImportError(400, `"${fileName}" is not ${what}: it is not a zip archive.`);
  }
  const known = KNOWN_BINARY.find((k) => startsWith(bytes, k.magic));
  if (known) throw new ImportError(415, `"${fileName}" is ${known.what}. ${ACCEPTED}`);
  if (!hasUtf16Bom(bytes) && hasNulBytes(bytes))
    throw new ImportError(415, `"${fileName}" is not a text file. ${ACCEPTED}`);
  if (chosen) return chosen;
  if (MARKDOWN_EXT.has(ext)) return "md";
  if (HTML_EXT.has(ext)) return "html";
  // ASCII-compatible charsets agree on the bytes an HTML start is made of.
  const start = new TextDecoder("windows-1252").decode(bytes.subarray(0, 4096));
  return looksLikeHtml(start.replace(/^\u00ef\u00bb\u00bf/, "")) ? "html" : "txt";
}
