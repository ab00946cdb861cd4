/**
 * Bytes to text for imported text, Markdown and HTML files (issue 14). In order: a charset the
 * writer chose, a byte-order mark, an HTML `<meta charset>` (or `http-equiv`, or an XML
 * declaration), valid UTF-8, and last a guess (chardet). Labels are WHATWG encoding labels, so
 * ISO-8859-1 and US-ASCII are read as windows-1252, as browsers do: old archive HTML and
 * Project Gutenberg's Latin-1 files keep their curly quotes and dashes.
 */
import chardet from "chardet";
import { ImportError, type ImportedWork } from "../types.ts";

export type DecodedText = { text: string; encoding: NonNullable<ImportedWork["encoding"]> };

/** A TextDecoder for a WHATWG label, or null when the label is unknown. */
function decoderFor(label: string): TextDecoder | null {
  try {
    return new TextDecoder(label.trim());
  } catch {
    return null;
  }
}

/** The encoding a byte-order mark announces, if the bytes start with one. */
function bomEncoding(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return null;
}

const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:-]+)/i;
const XML_ENCODING = /^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([\w.:-]+)["']/i;

/**
 * The charset an HTML or XHTML file declares in its first bytes: `<meta charset>`,
 * `<meta http-equiv="Content-Type" content="…; charset=…">` (both match META_CHARSET) or an
 * XML declaration. WHATWG looks at the first 1,024 bytes; old files put a long comment or
 * style first, so this looks a little further.
 */
export function declaredCharset(bytes: Uint8Array): string | null {
  const head = new TextDecoder("windows-1252").decode(bytes.subarray(0, 4096));
  const label = META_CHARSET.exec(head)?.[1] ?? XML_ENCODING.exec(head)?.[1];
  if (!label) return null;
  // A file cannot declare UTF-16 in ASCII-compatible bytes; WHATWG reads such a file as UTF-8.
  return /^utf-?16/i.test(label) ? "utf-8" : label;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** chardet's answer as a WHATWG label; the Latin-1 family is windows-1252. */
function guessedCharset(bytes: Uint8Array): string {
  const sample = bytes.length > 256 * 1024 ? bytes.subarray(0, 256 * 1024) : bytes;
  const guess = chardet.detect(sample);
  if (!guess || /^(ISO-8859-1|ISO-8859-15|windows-1252|ASCII)$/i.test(guess)) return "windows-1252";
  return decoderFor(guess) ? guess : "windows-1252";
}

/**
 * Decodes a text or HTML file. `chosen` (ImportOptions.encoding) wins; an unknown label is a
 * 422 naming the field.
 */
export function decodeText(
  bytes: Uint8Array,
  opts: { html: boolean; chosen?: string | undefined },
): DecodedText {
  let label: string;
  let source: DecodedText["encoding"]["source"];
  const bom = bomEncoding(bytes);
  if (opts.chosen !== undefined && opts.chosen.trim() !== "") {
    if (!decoderFor(opts.chosen))
      throw new ImportError(422, `encoding: "${opts.chosen}" is not a known character set.`);
    label = opts.chosen;
    source = "chosen";
  } else if (bom) {
    label = bom;
    source = "bom";
  } else {
    const declared = opts.html ? declaredCharset(bytes) : null;
    if (declared && decoderFor(declared)) {
      label = declared;
      source = "meta";
    } else if (isUtf8(bytes)) {
      label = "utf-8";
      source = "utf-8";
    } else {
      label = guessedCharset(bytes);
      source = "detected";
    }
  }
  const decoder = decoderFor(label) ?? new TextDecoder("windows-1252");
  // A chosen charset still drops a BOM of the same encoding (TextDecoder's default).
  return { text: decoder.decode(bytes), encoding: { name: decoder.encoding, source } };
}
