/**
 * The one way form fields and query parameters get into the app (server.tsx registers these
 * parsers): percent-escapes decoded strictly, so text that is not valid UTF-8 is refused with a
 * 400 naming the field instead of being stored as a literal `%FF`, and every key and value
 * cleaned by cleanInputText (no control characters, LF line breaks).
 */
import { isUtf8 } from "node:buffer";
import qs from "qs";
import { cleanInputText } from "../text/input-text.ts";
import { HttpError } from "./errors.ts";

const QS_OPTIONS = { arrayLimit: 100, parameterLimit: 1_000, depth: 3 } as const;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes one urlencoded key or value, or returns null when its escapes are not UTF-8. A `%`
 * that starts no escape (`100%`, typed into an address bar) stays a `%`, as qs always did.
 */
export function decodeComponent(raw: string): string | null {
  const text = raw.includes("+") ? raw.replace(/\+/g, " ") : raw;
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    // A stray `%`, or escapes that are not UTF-8: decode run by run to tell which.
  }
  let valid = true;
  const decoded = text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return utf8.decode(Buffer.from(run.replace(/%/g, ""), "hex"));
    } catch {
      valid = false;
      return run;
    }
  });
  return valid ? decoded : null;
}

export const invalidTextMessage = (field: string) => `${field}: is not valid UTF-8 text.`;

export const invalidText = (field: string) =>
  new HttpError(400, invalidTextMessage(field), { [field]: "is not valid UTF-8 text." });

/** What a field's name shows as in an error, however broken. */
const displayName = (rawKey: string) =>
  cleanInputText(decodeComponent(rawKey) ?? rawKey).replace(/\uFFFD/g, "?") || "(unnamed field)";

export type Fields = Record<string, unknown>;

/**
 * Parses `a=1&b[]=2` into fields. Returns the fields, or the name of the first field whose
 * text is not valid UTF-8.
 */
export function parseFields(text: string): { fields: Fields } | { invalid: string } {
  // qs decodes each pair's key just before its value: the key names the value's error.
  let key = "";
  let invalid: string | null = null;
  const fields = qs.parse(text, {
    ...QS_OPTIONS,
    decoder(raw: string, _default, _charset, type) {
      const decoded = decodeComponent(raw);
      if (type === "key") key = displayName(raw);
      if (decoded === null) {
        invalid ??= key;
        return "";
      }
      return cleanInputText(decoded);
    },
  });
  return invalid === null ? { fields } : { invalid };
}

/** The first field of a urlencoded body whose raw bytes are not UTF-8. */
function fieldWithInvalidBytes(body: Buffer): string {
  let start = 0;
  while (start < body.length) {
    let end = body.indexOf(0x26 /* & */, start);
    if (end === -1) end = body.length;
    const pair = body.subarray(start, end);
    if (!isUtf8(pair)) {
      const eq = pair.indexOf(0x3d /* = */);
      return displayName(pair.subarray(0, eq === -1 ? pair.length : eq).toString("utf8"));
    }
    start = end + 1;
  }
  return "(unnamed field)";
}

/** An `application/x-www-form-urlencoded` body; throws a 400 naming a field that is not UTF-8. */
export function parseFormBody(body: Buffer): Fields {
  if (!isUtf8(body)) throw invalidText(fieldWithInvalidBytes(body));
  const parsed = parseFields(body.toString("utf8"));
  if ("invalid" in parsed) throw invalidText(parsed.invalid);
  return parsed.fields;
}

/**
 * Where a query string's invalid field is kept until the request is answered (a query parser
 * runs inside the router, where throwing would not become a 400 page).
 */
export const INVALID_QUERY = Symbol("invalid query parameter");

/**
 * A query string. (Node's HTTP parser answers 400 itself to raw bytes above 0x7F in a URL, so
 * only percent-escapes can carry text that is not UTF-8.)
 */
export function parseQueryString(text: string): Fields {
  const parsed = parseFields(text);
  if ("invalid" in parsed) return { [INVALID_QUERY]: parsed.invalid };
  return parsed.fields;
}

/** A JSON body, every string in it cleaned like a form field's. */
export function cleanJson(value: unknown): unknown {
  if (typeof value === "string") return cleanInputText(value);
  if (Array.isArray(value)) return value.map(cleanJson);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[cleanInputText(k)] = cleanJson(v);
    return out;
  }
  return value;
}
