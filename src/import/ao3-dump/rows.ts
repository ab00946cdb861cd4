/**
 * The rows of the AO3 data dump (the OTW's "selective data dump for fan statisticians", data
 * as of 2021-02-26) as Fanfold understands them. Pure functions: nothing here touches the
 * database.
 *
 *   tags:  id,type,name,canonical,cached_count,merger_id
 *   works: creation date,language,restricted,complete,word_count,tags   (tags: `+`-joined ids)
 */
import type { TagType } from "../../core/db/schema.ts";
import { limits } from "../../core/limits.ts";
import { normalizeTagName } from "../../tags/names.ts";

/** Columns each file must have (by name, in any order; others are ignored). */
export const TAG_COLUMNS = ["id", "type", "name", "canonical", "merger_id"] as const;
export const WORK_COLUMNS = [
  "creation date",
  "language",
  "restricted",
  "complete",
  "word_count",
  "tags",
] as const;

export type Columns<C extends string> = Record<C, number>;

/** Where each wanted column is, or the names of those missing. */
export function findColumns<C extends string>(
  header: readonly string[],
  wanted: readonly C[],
): { ok: true; columns: Columns<C> } | { ok: false; missing: C[] } {
  const at = new Map(header.map((h, i) => [h.trim().toLowerCase(), i]));
  const missing = wanted.filter((c) => !at.has(c));
  if (missing.length > 0) return { ok: false, missing };
  return {
    ok: true,
    columns: Object.fromEntries(wanted.map((c) => [c, at.get(c)!])) as Columns<C>,
  };
}

/** AO3's tag classes. `UnsortedTag`s are tags nobody has typed yet: additional tags here. */
const TYPES: Record<string, TagType> = {
  Media: "media",
  Rating: "rating",
  ArchiveWarning: "warning",
  Category: "category",
  Fandom: "fandom",
  Relationship: "relationship",
  Character: "character",
  Freeform: "freeform",
  UnsortedTag: "freeform",
};

/** Types whose tags this archive fixes (tags/fixed.ts): dump rows only map onto them. */
export const FIXED_TYPES: ReadonlySet<TagType> = new Set([
  "media",
  "rating",
  "warning",
  "category",
]);

/** Fixed tags the 2021 dump names as AO3 did then (see tags/fixed.ts FORMER_FIXED_NAMES). */
const FIXED_NAMES: ReadonlyMap<string, string> = new Map([
  ["choose not to use archive warnings", "Creator Chose Not To Use Archive Warnings"],
  ["underage", "Underage Sex"],
]);

export interface DumpTag {
  id: number;
  type: TagType;
  /** The name this archive gives it (fixed tags under their current names). */
  name: string;
  canonical: boolean;
  /** The canonical tag a synonym folds into (an id in the dump), or null. */
  mergerId: number | null;
}

export type RowResult<T> = { ok: true; value: T } | { ok: false; reason: string };

const skip = (reason: string) => ({ ok: false as const, reason });

/** A positive whole number written in decimal digits, or null. */
export function parseId(text: string): number | null {
  const t = text.trim();
  if (!/^[0-9]{1,15}$/.test(t)) return null;
  const n = Number(t);
  return n > 0 && Number.isSafeInteger(n) ? n : null;
}

export function parseFlag(text: string): boolean | null {
  switch (text.trim().toLowerCase()) {
    case "true":
    case "1":
      return true;
    case "false":
    case "0":
      return false;
    default:
      return null;
  }
}

export function parseTagRow(fields: readonly string[], c: Columns<(typeof TAG_COLUMNS)[number]>) {
  const id = parseId(fields[c.id] ?? "");
  if (id === null) return skip("the id is not a whole number");
  const typeName = (fields[c.type] ?? "").trim();
  const type = TYPES[typeName];
  if (!type) return skip(`tags of type "${typeName.slice(0, 40)}" are not imported`);
  let name = normalizeTagName(fields[c.name] ?? "");
  if (!name) return skip("the name is empty");
  if (name.length > limits.tagName.max)
    return skip(`the name is longer than ${limits.tagName.max} characters`);
  if (FIXED_TYPES.has(type)) name = FIXED_NAMES.get(name.toLowerCase()) ?? name;
  const canonical = parseFlag(fields[c.canonical] ?? "");
  if (canonical === null) return skip("canonical is neither TRUE nor FALSE");
  const mergerText = (fields[c.merger_id] ?? "").trim();
  const mergerId = mergerText === "" ? null : parseId(mergerText);
  if (mergerText !== "" && mergerId === null) return skip("merger_id is not a whole number");
  return { ok: true as const, value: { id, type, name, canonical, mergerId } satisfies DumpTag };
}

export interface DumpWork {
  /** The data row's number in its file (1 = the first row after the header). */
  row: number;
  createdAt: number;
  language: string;
  restricted: boolean;
  complete: boolean;
  words: number;
  /** Tag ids in the dump, in the file's order, without repeats. */
  tagIds: number[];
  /** Entries of the tag list that are not ids at all. */
  badTagRefs: number;
}

/** `M/D/YYYY` (the dump's form) or `YYYY-MM-DD`, as midnight UTC; null if not a real date. */
export function parseDumpDate(text: string): number | null {
  const t = text.trim();
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  let y: number, mo: number, d: number;
  if (m) [mo, d, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t)))
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else return null;
  const at = Date.UTC(y, mo - 1, d);
  const back = new Date(at);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return null;
  return at;
}

/** The dump's language codes as BCP 47 ("ptBR" → "pt-BR"); "und" when there is none. */
export function dumpLanguage(text: string): string | null {
  const t = text.trim();
  if (t === "") return "und";
  const m = /^([a-z]{2,3})(?:[-_]?([A-Z]{2}|[A-Za-z]{4}))?$/.exec(t);
  if (!m) return null;
  return m[2] ? `${m[1]}-${m[2]}` : m[1]!;
}

/** Words beyond what any chapter could hold are a broken row, not a long work. */
const MAX_WORDS = 100_000_000;

export function parseWorkRow(
  fields: readonly string[],
  c: Columns<(typeof WORK_COLUMNS)[number]>,
  row: number,
): RowResult<DumpWork> {
  const createdAt = parseDumpDate(fields[c["creation date"]] ?? "");
  if (createdAt === null) return skip("the creation date is not a date (M/D/YYYY)");
  const language = dumpLanguage(fields[c.language] ?? "");
  if (language === null) return skip("the language is not a language code");
  const restricted = parseFlag(fields[c.restricted] ?? "");
  if (restricted === null) return skip("restricted is neither TRUE nor FALSE");
  const complete = parseFlag(fields[c.complete] ?? "");
  if (complete === null) return skip("complete is neither TRUE nor FALSE");
  const wordText = (fields[c.word_count] ?? "").trim();
  const words = wordText === "" ? 0 : (parseId(wordText) ?? (wordText === "0" ? 0 : null));
  if (words === null || words > MAX_WORDS) return skip("word_count is not a whole number");
  const tagIds: number[] = [];
  const seen = new Set<number>();
  let badTagRefs = 0;
  for (const part of (fields[c.tags] ?? "").split("+")) {
    if (part.trim() === "") continue;
    const id = parseId(part);
    if (id === null) badTagRefs++;
    else if (!seen.has(id)) {
      seen.add(id);
      tagIds.push(id);
    }
  }
  return {
    ok: true,
    value: { row, createdAt, language, restricted, complete, words, tagIds, badTagRefs },
  };
}
