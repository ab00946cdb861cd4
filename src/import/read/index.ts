/**
 * Reading an uploaded file into a work's metadata and chapters (issue 14), for the web import
 * flow (import/routes) and `fanfold import`. Plain text, Markdown, HTML (any charset), DOCX and
 * EPUB; chapters split as ImportOptions.split says; every chapter sanitized, with what the
 * sanitizer removed. Nothing here touches the database.
 *
 * Refusals are ImportErrors: 413 over IMPORT_MAX_BYTES, 415 a kind of file that can't be read,
 * 400 a damaged file, 422 an option that doesn't fit (unknown charset, bad split, no text).
 */
import { ImportError, IMPORT_MAX_BYTES, type ImportedWork, type ImportOptions } from "../types.ts";
import { detectFormat } from "./detect.ts";
import { readDocxFile } from "./docx.ts";
import { readEpubFile } from "./epub.ts";
import { readHtmlFile } from "./html.ts";
import { readTextFile } from "./text.ts";

export { describeSplit, parseSplit } from "./split-option.ts";

function checkOptions(options: ImportOptions) {
  const { split } = options;
  if (
    split.kind === "heading" &&
    !(Number.isInteger(split.level) && split.level >= 1 && split.level <= 6)
  )
    throw new ImportError(422, "split: the heading level must be 1 to 6.");
  if (split.kind === "marker" && split.marker.trim() === "")
    throw new ImportError(422, "split: enter the line that starts each chapter.");
  if (split.kind === "marker" && split.marker.trim().length > 100)
    throw new ImportError(422, "split: the marker can be at most 100 characters.");
}

export async function readImportFile(
  bytes: Uint8Array,
  fileName: string,
  options: ImportOptions,
): Promise<ImportedWork> {
  if (bytes.byteLength > IMPORT_MAX_BYTES)
    throw new ImportError(
      413,
      `"${fileName}" is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB; files can be at most ${IMPORT_MAX_BYTES / 1024 / 1024} MB.`,
    );
  checkOptions(options);
  const format = detectFormat(bytes, fileName, options.format);
  switch (format) {
    case "txt":
    case "md":
      return readTextFile(bytes, fileName, options, format);
    case "html":
      return readHtmlFile(bytes, fileName, options);
    case "docx":
      return readDocxFile(bytes, fileName, options);
    case "epub":
      return readEpubFile(bytes, fileName, options);
  }
}
