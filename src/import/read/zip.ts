/**
 * Reading the zip containers of DOCX and EPUB files (fflate). Broken archives are the writer's
 * problem to fix, so they become 400s with the reason, never 500s.
 */
import { strFromU8, unzipSync, type Unzipped } from "fflate";
import { ImportError } from "../types.ts";

export const isZip = (bytes: Uint8Array) =>
  bytes.length >= 4 &&
  bytes[0] === 0x50 &&
  bytes[1] === 0x4b &&
  (bytes[2] === 0x03 || bytes[2] === 0x05) &&
  (bytes[3] === 0x04 || bytes[3] === 0x06);

/** The names of a zip archive's entries, without inflating them. */
export function zipEntryNames(bytes: Uint8Array, what: string): string[] {
  const names: string[] = [];
  try {
    unzipSync(bytes, {
      filter: (file) => {
        names.push(file.name);
        return false;
      },
    });
  } catch (err) {
    throw new ImportError(400, `${what} is damaged: ${reason(err)}.`);
  }
  return names;
}

/** What an archive may expand to: a 20 MB upload that claims more is refused (zip bombs). */
export const ZIP_MAX_EXPANDED_BYTES = 256 * 1024 * 1024;

/**
 * The archive's entries, inflated: all of them, or those `keep` wants (EPUB images are never
 * read). Refused with a 413 when the entries to inflate claim more than ZIP_MAX_EXPANDED_BYTES.
 */
export function unzipAll(
  bytes: Uint8Array,
  what: string,
  keep: (name: string) => boolean = () => true,
): Unzipped {
  let expanded = 0;
  try {
    return unzipSync(bytes, {
      filter: (file) => {
        if (!keep(file.name)) return false;
        expanded += file.originalSize;
        if (expanded > ZIP_MAX_EXPANDED_BYTES)
          throw new ImportError(
            413,
            `${what} expands to more than ${ZIP_MAX_EXPANDED_BYTES / 1024 / 1024} MB; it can't be imported.`,
          );
        return true;
      },
    });
  } catch (err) {
    if (err instanceof ImportError) throw err;
    throw new ImportError(400, `${what} is damaged: ${reason(err)}.`);
  }
}

function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\.$/, "") || "it is not a readable zip archive";
}

/** An entry as UTF-8 text (the XML parts of DOCX and EPUB), or null when it is missing. */
export function zipText(files: Unzipped, name: string): string | null {
  const data = files[name] ?? files[decodeURIComponent(name)];
  if (!data) return null;
  const text = strFromU8(data);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
