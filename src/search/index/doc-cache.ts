/**
 * A binary copy of the browse index's documents in the data directory, so that start-up at a
 * million works reads one file instead of scanning four tables (measured: ~20 s of SQL at 1M
 * works on SQLite). It is only a cache, so reading it never throws: a file that is not
 * exactly what this code writes (another format, a torn write, a flipped bit, values out of
 * range) is reported as bad and the catalog scans the database instead.
 *
 * Layout: one line `fanfold-browse-docs <format> <sha256 of the rest, hex>`, a JSON header
 * line, spaces to an 8-byte boundary, the columns (see COLUMNS; each zero-padded to 8 bytes,
 * so they are read in place, not copied), then the title and creator keys as UTF-16. The header names the archive and the change-log position the documents
 * reflect; the catalog checks both against the database (see catalog.ts).
 */
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { WorkDoc } from "./browse-types.ts";
// As many as the index accepts: a cache claiming more is damaged.
import { MAX_TAGS_PER_WORK } from "./tag-pool.ts";

const MAGIC = "fanfold-browse-docs";
const FORMAT = 2;
const DIGEST_HEX = 64;
/** `${MAGIC} ${FORMAT} ${digest}\n` */
const FIRST_LINE = MAGIC.length + 1 + String(FORMAT).length + 1 + DIGEST_HEX + 1;

const MAX_INT32 = 2 ** 31 - 1;
const ZEROS = new Uint8Array(8);
const MAX_LANGUAGES = 0x10000;
const MAX_LANGUAGE_LENGTH = 100;
/** The range of a JavaScript Date, in epoch milliseconds. */
const MAX_TIME = 8.64e15;
const FLAG_BITS = 0b111;

/** The change-log entry a cache reflects (every change up to it is in the cache). */
export interface CacheMark {
  changeId: number;
  entity: string;
  entityId: number;
  createdAt: number;
}

/** Which database state a cache describes. */
export interface CacheOrigin {
  /** The archive's random id (core/db/changes.ts archiveId). */
  archiveId: string;
  /** The newest change-log entry when the cache was written: every change the documents
   * reflect is at or below it, so a database without this very entry is not the one (or
   * not as new as the one) the cache was written from. */
  mark: CacheMark;
  /** Every change up to this id is in the documents; a reader replays the log after it. */
  from: number;
}

interface Header extends CacheOrigin {
  works: number;
  tags: number;
  languages: string[];
  titleChars: number;
  creatorChars: number;
}

type Column = Int32Array | Float64Array | Uint8Array | Uint16Array;

/** Bytes per work of each column, in file order (then the tags, 4 bytes each). */
const COLUMNS = [
  4, // ids
  8, // revised
  8, // published
  4, // chapters
  4, // words
  4, // kudos
  4, // hits
  4, // comments
  4, // bookmarks
  4, // tagEnds
  4, // titleLens
  4, // creatorLens
  2, // lang
  1, // flags
];
const pad8 = (bytes: number) => (8 - (bytes % 8)) % 8;

/**
 * The documents column by column, in ascending id order: what the file holds, and what the
 * index hands over without making a WorkDoc per work (a million of them took seconds).
 */
export interface DocColumns {
  ids: Int32Array;
  /** 1 restricted, 2 complete, 4 crossover (more than one fandom). */
  flags: Uint8Array;
  /** Codes into `languages`. */
  lang: Uint16Array;
  languages: string[];
  /** chapters, words, kudos, hits, comments, bookmarks. */
  ints: Int32Array[];
  revised: Float64Array;
  published: Float64Array;
  /** Where each work's tags end in `tags`. */
  tagEnds: Int32Array;
  tags: Int32Array;
  titles: string[];
  creators: string[];
}

/** Documents as columns (see DocColumns). */
export function docColumns(docs: Iterable<WorkDoc>): DocColumns {
  const list = [...docs];
  const n = list.length;
  const languages: string[] = [];
  const langIndex = new Map<string, number>();
  const ids = new Int32Array(n);
  const flags = new Uint8Array(n);
  const lang = new Uint16Array(n);
  const ints = Array.from({ length: 6 }, () => new Int32Array(n));
  const revised = new Float64Array(n);
  const published = new Float64Array(n);
  const tagEnds = new Int32Array(n);
  let tagCount = 0;
  for (const d of list) tagCount += d.tagIds.length;
  const tags = new Int32Array(tagCount);
  const titles: string[] = [];
  const creators: string[] = [];
  let t = 0;
  list.forEach((d, i) => {
    ids[i] = d.id;
    flags[i] = (d.restricted ? 1 : 0) | (d.complete ? 2 : 0) | (d.fandomCount > 1 ? 4 : 0);
    let code = langIndex.get(d.language);
    if (code === undefined) {
      code = languages.push(d.language) - 1;
      langIndex.set(d.language, code);
    }
    lang[i] = code;
    [d.chapters, d.words, d.kudos, d.hits, d.comments, d.bookmarks].forEach((v, k) => {
      ints[k]![i] = v;
    });
    revised[i] = d.revisedAt;
    published[i] = d.publishedAt;
    for (const tag of d.tagIds) tags[t++] = tag;
    tagEnds[i] = t;
    titles.push(d.titleKey);
    creators.push(d.creatorKey);
  });
  return {
    ids,
    flags,
    lang,
    languages,
    ints,
    revised,
    published,
    tagEnds,
    tags,
    titles,
    creators,
  };
}

/** Writes atomically (a temporary file renamed over the old one). */
export function writeDocCache(
  file: string,
  origin: CacheOrigin,
  docs: Iterable<WorkDoc> | DocColumns,
): number {
  const cols = "ids" in docs ? docs : docColumns(docs);
  const { ids, flags, lang, languages, ints, revised, published, tagEnds } = cols;
  const n = ids.length;
  const tagCount = n === 0 ? 0 : tagEnds[n - 1]!;
  const tags = cols.tags.subarray(0, tagCount);
  const titleLens = new Int32Array(n);
  const creatorLens = new Int32Array(n);
  const { titles, creators } = cols;
  for (let i = 0; i < n; i++) {
    titleLens[i] = titles[i]!.length;
    creatorLens[i] = creators[i]!.length;
  }
  const titleText = Buffer.from(titles.join(""), "utf16le");
  const creatorText = Buffer.from(creators.join(""), "utf16le");
  const header: Header = {
    archiveId: origin.archiveId,
    mark: origin.mark,
    from: origin.from,
    works: n,
    tags: tagCount,
    languages,
    titleChars: titleText.length / 2,
    creatorChars: creatorText.length / 2,
  };
  const columns: Column[] = [
    ids,
    revised,
    published,
    ...ints,
    tagEnds,
    titleLens,
    creatorLens,
    lang,
    flags,
    tags,
  ];
  const head = Buffer.from(`${JSON.stringify(header)}\n`);
  const pad = Buffer.alloc((8 - ((FIRST_LINE + head.length) % 8)) % 8, 0x20);
  const pieces: Uint8Array[] = [head, pad];
  for (const c of columns) {
    pieces.push(
      new Uint8Array(c.buffer, c.byteOffset, c.byteLength),
      ZEROS.subarray(0, pad8(c.byteLength)),
    );
  }
  pieces.push(titleText, creatorText);
  const hash = createHash("sha256");
  for (const p of pieces) hash.update(p);
  const first = Buffer.from(`${MAGIC} ${FORMAT} ${hash.digest("hex")}\n`);

  mkdirSync(dirname(file), { recursive: true });
  // Per process: two processes on one database may share a data directory.
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, first);
    for (const p of pieces) writeSync(fd, p);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return n;
}

export interface DocCache extends CacheOrigin {
  works: number;
  /** Calls `fn` with every document, in the order written (ascending id). */
  forEach(fn: (doc: WorkDoc) => void): void;
}

export type CacheRead =
  { status: "missing" } | { status: "bad"; problem: string } | { status: "ok"; cache: DocCache };

class BadCache extends Error {}
/** A file this code cannot trust: damaged, or not what it writes. */
const bad = (problem: string): never => {
  throw new BadCache(`damaged: ${problem}`);
};
/** A sound file of another version (an upgrade, a downgrade): not damage. */
const otherFormat = (format: string): never => {
  throw new BadCache(`written in format ${format}, this version reads ${FORMAT}`);
};

/**
 * Reads and checks a cache: its checksum, its header's shape and every value's range and
 * consistency. Never throws; a file that fails any check is "bad", with the reason.
 */
export function readDocCache(file: string): CacheRead {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { status: "missing" };
    return { status: "bad", problem: `unreadable: ${String(err)}` };
  }
  return parseDocCache(buf);
}

/** Checks a cache's bytes (see readDocCache). Never throws. */
export function parseDocCache(buf: Buffer): Exclude<CacheRead, { status: "missing" }> {
  try {
    return { status: "ok", cache: parse(buf) };
  } catch (err) {
    // Anything else thrown while checking is a bad file too, never a failed start-up.
    return {
      status: "bad",
      problem: err instanceof BadCache ? err.message : `damaged: ${String(err)}`,
    };
  }
}

function parse(buf: Buffer): DocCache {
  const first = buf.subarray(0, FIRST_LINE).toString("latin1");
  const [magic, format, digest] = first.slice(0, -1).split(" ");
  // Format 1 began with a JSON header naming the magic.
  if (buf.subarray(0, 32).toString("latin1").startsWith(`{"magic":"${MAGIC}"`)) otherFormat("1");
  if (magic !== MAGIC) bad("not a document cache");
  if (format !== String(FORMAT) && /^\d{1,6}$/.test(format ?? "")) otherFormat(format!);
  if (format !== String(FORMAT)) bad("no format number");
  if (
    first.length !== FIRST_LINE ||
    first[FIRST_LINE - 1] !== "\n" ||
    !/^[0-9a-f]{64}$/.test(digest ?? "")
  ) {
    bad("damaged first line");
  }
  const actual = createHash("sha256").update(buf.subarray(FIRST_LINE)).digest("hex");
  if (actual !== digest) bad("checksum mismatch");

  const newline = buf.indexOf(0x0a, FIRST_LINE);
  if (newline < 0) bad("no header");
  let json: unknown;
  try {
    json = JSON.parse(buf.subarray(FIRST_LINE, newline).toString("utf8"));
  } catch {
    bad("header is not JSON");
  }
  const header = checkHeader(json);
  const n = header.works;
  let off = newline + 1;
  while (off % 8 !== 0) if (buf[off++] !== 0x20) bad("damaged padding");
  // Every length agrees with the file's size before anything is allocated from it.
  let expected = off + header.tags * 4 + pad8(header.tags * 4);
  for (const width of COLUMNS) expected += n * width + pad8(n * width);
  expected += header.titleChars * 2 + header.creatorChars * 2;
  if (expected !== buf.length) bad(`${buf.length} bytes where the header implies ${expected}`);

  const take = <T extends Column>(
    make: (b: ArrayBufferLike, offset: number, length: number) => T,
    length: number,
    width: number,
  ): T => {
    const bytes = length * width;
    const at = buf.byteOffset + off;
    off += bytes + pad8(bytes);
    // In place when aligned (a large file's buffer is its own), else copied to align it.
    if (at % width === 0) return make(buf.buffer, at, length);
    const copy = new ArrayBuffer(bytes);
    new Uint8Array(copy).set(buf.subarray(at - buf.byteOffset, at - buf.byteOffset + bytes));
    return make(copy, 0, length);
  };
  const i32 = (len: number) => take((b, o, l) => new Int32Array(b, o, l), len, 4);
  const f64 = (len: number) => take((b, o, l) => new Float64Array(b, o, l), len, 8);
  const ids = i32(n);
  const revised = f64(n);
  const published = f64(n);
  const ints = Array.from({ length: 6 }, () => i32(n));
  const tagEnds = i32(n);
  const titleLens = i32(n);
  const creatorLens = i32(n);
  const lang = take((b, o, l) => new Uint16Array(b, o, l), n, 2);
  const flags = take((b, o, l) => new Uint8Array(b, o, l), n, 1);
  const tags = i32(header.tags);
  const titleText = buf.subarray(off, (off += header.titleChars * 2)).toString("utf16le");
  const creatorText = buf.subarray(off, (off += header.creatorChars * 2)).toString("utf16le");

  // Column by column: tight loops over one typed array each.
  let prevId = 0;
  for (let i = 0; i < n; i++) {
    if (ids[i]! <= prevId) bad(`work ids out of order at ${i}`);
    prevId = ids[i]!;
  }
  for (const dates of [revised, published]) {
    for (let i = 0; i < n; i++) if (!isTime(dates[i]!)) bad(`bad date at ${i}`);
  }
  for (const col of [...ints, titleLens, creatorLens]) {
    if (firstBelow(col, 0) >= 0) bad(`negative count or length at ${firstBelow(col, 0)}`);
  }
  if (firstBelow(tags, 1) >= 0) bad(`bad tag id at ${firstBelow(tags, 1)}`);
  let prevEnd = 0;
  for (let i = 0; i < n; i++) {
    const end = tagEnds[i]!;
    if (end < prevEnd || end - prevEnd > MAX_TAGS_PER_WORK) bad(`bad tag list end at ${i}`);
    prevEnd = end;
  }
  if (prevEnd !== header.tags) bad("tag lists do not add up to the tag count");
  if (sum(titleLens) !== header.titleChars || sum(creatorLens) !== header.creatorChars) {
    bad("key lengths do not add up");
  }
  const languageCount = header.languages.length;
  for (let i = 0; i < n; i++) if (lang[i]! >= languageCount) bad(`language out of range at ${i}`);
  for (let i = 0; i < n; i++) if ((flags[i]! & ~FLAG_BITS) !== 0) bad(`bad flags at ${i}`);

  return {
    archiveId: header.archiveId,
    mark: header.mark,
    from: header.from,
    works: n,
    forEach(fn) {
      let t = 0;
      let ti = 0;
      let ci = 0;
      for (let i = 0; i < n; i++) {
        const end = tagEnds[i]!;
        const tagIds: number[] = [];
        for (; t < end; t++) tagIds.push(tags[t]!);
        const title = titleText.slice(ti, (ti += titleLens[i]!));
        const creator = creatorText.slice(ci, (ci += creatorLens[i]!));
        const f = flags[i]!;
        fn({
          id: ids[i]!,
          tagIds,
          fandomCount: f & 4 ? 2 : 1,
          restricted: (f & 1) !== 0,
          complete: (f & 2) !== 0,
          chapters: ints[0]![i]!,
          words: ints[1]![i]!,
          language: header.languages[lang[i]!]!,
          revisedAt: revised[i]!,
          publishedAt: published[i]!,
          titleKey: title,
          creatorKey: creator,
          kudos: ints[2]![i]!,
          hits: ints[3]![i]!,
          comments: ints[4]![i]!,
          bookmarks: ints[5]![i]!,
        });
      }
    },
  };
}

/** The first index whose value is below `min`, or -1. */
function firstBelow(col: Int32Array, min: number): number {
  for (let i = 0; i < col.length; i++) if (col[i]! < min) return i;
  return -1;
}

function sum(col: Int32Array): number {
  let total = 0;
  for (let i = 0; i < col.length; i++) total += col[i]!;
  return total;
}

/** Whole epoch milliseconds within a Date's range (NaN fails too). */
const isTime = (v: number) => Math.abs(v) <= MAX_TIME && Math.floor(v) === v;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown, max = MAX_INT32): v is number =>
  Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= max;
const sameKeys = (o: Record<string, unknown>, keys: readonly string[]) => {
  const have = Object.keys(o);
  return have.length === keys.length && keys.every((k) => Object.hasOwn(o, k));
};

const HEADER_KEYS = [
  "archiveId",
  "mark",
  "from",
  "works",
  "tags",
  "languages",
  "titleChars",
  "creatorChars",
] as const;
const MARK_KEYS = ["changeId", "entity", "entityId", "createdAt"] as const;

/** The header's exact shape: these fields, of these types, in these ranges. */
function checkHeader(h: unknown): Header {
  if (!isRecord(h) || !sameKeys(h, HEADER_KEYS)) return bad("header fields");
  if (typeof h.archiveId !== "string" || h.archiveId.length === 0 || h.archiveId.length > 64) {
    bad("header archiveId");
  }
  const m = h.mark;
  if (!isRecord(m) || !sameKeys(m, MARK_KEYS)) return bad("header mark");
  if (!isCount(m.changeId, Number.MAX_SAFE_INTEGER) || m.changeId < 1) bad("header mark id");
  if (typeof m.entity !== "string" || m.entity.length === 0 || m.entity.length > 20) {
    bad("header mark entity");
  }
  if (!Number.isSafeInteger(m.entityId)) bad("header mark entityId");
  if (!isCount(m.createdAt, MAX_TIME)) bad("header mark time");
  if (!isCount(h.from, Number.MAX_SAFE_INTEGER) || h.from > (m.changeId as number)) {
    bad("header from");
  }
  for (const k of ["works", "tags", "titleChars", "creatorChars"] as const) {
    if (!isCount(h[k])) bad(`header ${k}`);
  }
  const langs = h.languages;
  if (
    !Array.isArray(langs) ||
    langs.length > MAX_LANGUAGES ||
    !langs.every((l) => typeof l === "string" && l.length <= MAX_LANGUAGE_LENGTH) ||
    new Set(langs).size !== langs.length
  ) {
    bad("header languages");
  }
  return h as unknown as Header;
}
