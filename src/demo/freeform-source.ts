/**
 * Freeform tag names and popularity weights for the demo corpus. When the shared AO3 tag
 * counts (2016-12, ISC licence, see ../shared/data/ao3-freeform-tag-counts/SOURCE.md) are
 * present next to the repository, their 36k real names and Zipf-like counts are used; in a
 * plain install they are not, and the built-in list with synthetic Zipf weights is used.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { tagNameProblem } from "../tags/names.ts";
import { BUILTIN_FREEFORMS } from "./vocabulary.ts";

export interface FreeformTags {
  names: string[];
  weights: number[];
}

const RELATIVE_FILE = join("ao3-freeform-tag-counts", "tags-2016-12.json.gz");

/** Characters a user tag may not contain (besides the comma). */

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  quot: '"',
  apos: "'",
  lt: "<",
  gt: ">",
  nbsp: " ",
};

/** Decodes the HTML entities the scrape left in tag names (one level, as an HTML parser would). */
export function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body.charCodeAt(0) === 35 /* # */) {
      const hex = body.charCodeAt(1) === 120 || body.charCodeAt(1) === 88;
      const code = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
      if (
        !Number.isFinite(code) ||
        code <= 0 ||
        code > 0x10ffff ||
        (code >= 0xd800 && code <= 0xdfff)
      ) {
        return whole;
      }
      return String.fromCodePoint(code);
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** True when `name` is acceptable as a user tag name. */
export function isValidTagName(name: string): boolean {
  return (
    name.length > 0 &&
    name.trim() === name &&
    !name.includes(",") &&
    tagNameProblem(name) === null &&
    !hasControlCharacter(name)
  );
}

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function builtin(): FreeformTags {
  const names = [...BUILTIN_FREEFORMS];
  // Synthetic Zipf curve shaped like the real one (top tag ≈ 320k uses, s ≈ 1).
  const weights = names.map((_, i) => Math.max(1, Math.round(320_000 / Math.pow(i + 1, 1.0))));
  return { names, weights };
}

function fromCounts(counts: Record<string, unknown>): FreeformTags {
  const best = new Map<string, { name: string; weight: number }>();
  for (const [raw, count] of Object.entries(counts)) {
    const name = decodeEntities(raw).replace(/\s+/g, " ").trim();
    if (!isValidTagName(name)) continue;
    const weight = Math.max(
      typeof count === "number" && Number.isFinite(count) ? Math.floor(count) : 0,
      1,
    );
    // Tag names are case-insensitively unique: keep the more popular spelling.
    const key = name.toLowerCase();
    const prev = best.get(key);
    if (prev === undefined || weight > prev.weight) best.set(key, { name, weight });
  }
  const entries = [...best.values()].sort(
    (a, b) => b.weight - a.weight || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return { names: entries.map((e) => e.name), weights: entries.map((e) => e.weight) };
}

const cache = new Map<string, FreeformTags>();

/**
 * Freeform tag names with Zipf-like weights, sorted by weight descending.
 *
 * @param sharedDir the shared-material directory (default `../shared` relative to the
 *   working directory). Its `data/ao3-freeform-tag-counts/tags-2016-12.json.gz` is used when
 *   present (a directory that directly contains `ao3-freeform-tag-counts/` works too);
 *   otherwise the built-in list.
 */
export function loadFreeformTags(sharedDir?: string): FreeformTags {
  const base = resolve(process.cwd(), sharedDir ?? "../shared");
  const candidates = [join(base, "data", RELATIVE_FILE), join(base, RELATIVE_FILE)];
  const file = candidates.find((f) => existsSync(f));
  const key = file ?? "";
  const hit = cache.get(key);
  if (hit !== undefined) return { names: hit.names.slice(), weights: hit.weights.slice() };
  let result: FreeformTags;
  if (file === undefined) {
    result = builtin();
  } else {
    try {
      const parsed: unknown = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8"));
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new Error("expected an object of tag name → count");
      }
      result = fromCounts(parsed as Record<string, unknown>);
      if (result.names.length === 0) result = builtin();
    } catch {
      // A damaged or unexpected file is no reason to fail a demo start.
      result = builtin();
    }
  }
  cache.set(key, result);
  return { names: result.names.slice(), weights: result.weights.slice() };
}
