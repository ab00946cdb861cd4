/**
 * The column store: each work's sortable and range-filtered attributes in typed arrays indexed
 * by work id (sort orders compare them, range filters scan a result's members against them),
 * and bitmaps of all works, of restricted, complete, single-chapter and crossover works and of
 * the works in each language, which filters intersect or subtract.
 */
import roaring from "roaring";
import type { RoaringBitmap32 as Bitmap } from "roaring";
import type { BrowseQuery, SortKey, WorkDoc } from "./browse-types.ts";
import type { DocColumns } from "./doc-cache.ts";
import type { TagPool } from "./tag-pool.ts";

const { RoaringBitmap32 } = roaring;

const F_RESTRICTED = 1;
const F_COMPLETE = 2;
const F_SINGLE = 4;
const F_CROSSOVER = 8;

const MAX_ID = 2 ** 31 - 1;

interface RangeFilter {
  values: Int32Array | Float64Array;
  lo: number;
  hi: number;
}

export class WorkColumns {
  /** Work ids below this have a place in every column. */
  capacity = 0;
  /** Works present (restricted ones included). */
  size = 0;
  present = new Uint8Array(0);
  flags = new Uint8Array(0);
  lang = new Uint16Array(0);
  words = new Int32Array(0);
  chapters = new Int32Array(0);
  kudos = new Int32Array(0);
  hits = new Int32Array(0);
  comments = new Int32Array(0);
  bookmarks = new Int32Array(0);
  revised = new Float64Array(0);
  published = new Float64Array(0);
  title: string[] = [];
  creator: string[] = [];
  private creatorKeys = new Map<string, string>();
  private creatorKeysLimit = 1024;
  private readonly languageOf = new Map<string, number>();

  // Works by flag and language. New works join them in batches (addToSets).
  readonly all = new RoaringBitmap32();
  private readonly restricted = new RoaringBitmap32();
  private readonly completeSet = new RoaringBitmap32();
  private readonly singleSet = new RoaringBitmap32();
  private readonly crossoverSet = new RoaringBitmap32();
  private readonly languageSets: Bitmap[] = [];

  /** Scratch room for a result's members, used in turn by each step of a search. */
  members = new Uint32Array(0);
  private kept = new Uint32Array(0);

  has(id: number): boolean {
    return id >= 0 && id < this.capacity && this.present[id] === 1;
  }

  /** Makes room for work `id`; true when `capacity` grew (the caller grows what it keeps). */
  reserve(id: number): boolean {
    if (id < this.capacity) return false;
    const size = Math.max(id + 1, Math.ceil(this.capacity * 1.5), 1024);
    this.present = grown(this.present, size);
    this.flags = grown(this.flags, size);
    this.lang = grown(this.lang, size);
    this.words = grown(this.words, size);
    this.chapters = grown(this.chapters, size);
    this.kudos = grown(this.kudos, size);
    this.hits = grown(this.hits, size);
    this.comments = grown(this.comments, size);
    this.bookmarks = grown(this.bookmarks, size);
    this.revised = grown(this.revised, size);
    this.published = grown(this.published, size);
    for (let i = this.capacity; i < size; i++) {
      this.title.push("");
      this.creator.push("");
    }
    this.members = new Uint32Array(size);
    this.kept = new Uint32Array(size);
    this.capacity = size;
    return true;
  }

  /** A new work: in the columns at once, in the sets once `addToSets` is called. */
  add(id: number, doc: WorkDoc): void {
    this.present[id] = 1;
    this.size++;
    this.write(id, doc);
  }

  /** Adds new works (ids ascending) to the sets. */
  addToSets(ids: Int32Array): void {
    const n = ids.length;
    this.all.addMany(new Uint32Array(ids.buffer, ids.byteOffset, n));
    const byFlag = (flag: number, set: Bitmap) => {
      const members = ids.filter((id) => (this.flags[id]! & flag) !== 0);
      if (members.length > 0) set.addMany(new Uint32Array(members.buffer, 0, members.length));
    };
    byFlag(F_RESTRICTED, this.restricted);
    byFlag(F_COMPLETE, this.completeSet);
    byFlag(F_SINGLE, this.singleSet);
    byFlag(F_CROSSOVER, this.crossoverSet);
    const byLang = new Map<number, number[]>();
    for (let k = 0; k < n; k++) {
      const code = this.lang[ids[k]!]!;
      const list = byLang.get(code);
      if (list) list.push(ids[k]!);
      else byLang.set(code, [ids[k]!]);
    }
    for (const [code, members] of byLang) this.languageSets[code]!.addMany(members);
  }

  /** Rewrites a work already in the sets; returns the sort keys whose value changed. */
  replace(id: number, doc: WorkDoc): SortKey[] {
    const changed: SortKey[] = [];
    const compare = (key: SortKey, before: number | string, after: number | string) => {
      if (!Object.is(before, after)) changed.push(key);
    };
    compare("revised", this.revised[id]!, doc.revisedAt);
    compare("published", this.published[id]!, doc.publishedAt);
    compare("title", this.title[id]!, doc.titleKey);
    compare("creator", this.creator[id]!, doc.creatorKey);
    compare("words", this.words[id]!, doc.words);
    compare("kudos", this.kudos[id]!, doc.kudos);
    compare("hits", this.hits[id]!, doc.hits);
    compare("comments", this.comments[id]!, doc.comments);
    compare("bookmarks", this.bookmarks[id]!, doc.bookmarks);
    const oldLang = this.lang[id]!;
    this.write(id, doc);
    const flags = this.flags[id]!;
    setMember(this.restricted, id, (flags & F_RESTRICTED) !== 0);
    setMember(this.completeSet, id, (flags & F_COMPLETE) !== 0);
    setMember(this.singleSet, id, (flags & F_SINGLE) !== 0);
    setMember(this.crossoverSet, id, (flags & F_CROSSOVER) !== 0);
    if (this.lang[id] !== oldLang) {
      this.languageSets[oldLang]!.remove(id);
      this.languageSets[this.lang[id]!]!.add(id);
    }
    return changed;
  }

  /** Removes a work that is in the sets. */
  remove(id: number): void {
    this.all.remove(id);
    this.restricted.remove(id);
    this.completeSet.remove(id);
    this.singleSet.remove(id);
    this.crossoverSet.remove(id);
    this.languageSets[this.lang[id]!]?.remove(id);
    this.present[id] = 0;
    this.size--;
  }

  /** Language names by code, for `doc`. */
  languageNames(): string[] {
    const languages: string[] = [];
    for (const [name, code] of this.languageOf) languages[code] = name;
    return languages;
  }

  /** The work as the columns hold it (sort keys folded), with the given tags. */
  doc(id: number, tagIds: number[], languages: string[]): WorkDoc {
    const flags = this.flags[id]!;
    return {
      id,
      tagIds,
      fandomCount: flags & F_CROSSOVER ? 2 : 1,
      restricted: (flags & F_RESTRICTED) !== 0,
      complete: (flags & F_COMPLETE) !== 0,
      chapters: this.chapters[id]!,
      words: this.words[id]!,
      language: languages[this.lang[id]!] ?? "",
      revisedAt: this.revised[id]!,
      publishedAt: this.published[id]!,
      titleKey: this.title[id]!,
      creatorKey: this.creator[id]!,
      kudos: this.kudos[id]!,
      hits: this.hits[id]!,
      comments: this.comments[id]!,
      bookmarks: this.bookmarks[id]!,
    };
  }

  /**
   * Every work as the document cache's columns, in id order, its tags read from `pool` (by
   * slot) and named by `slotTag`.
   */
  docColumns(pool: TagPool, slotTag: Int32Array): DocColumns {
    const n = this.size;
    const ids = new Int32Array(n);
    const flags = new Uint8Array(n);
    const lang = new Uint16Array(n);
    const sources = [
      this.chapters,
      this.words,
      this.kudos,
      this.hits,
      this.comments,
      this.bookmarks,
    ];
    const ints = sources.map(() => new Int32Array(n));
    const revised = new Float64Array(n);
    const published = new Float64Array(n);
    const tagEnds = new Int32Array(n);
    const titles: string[] = new Array<string>(n);
    const creators: string[] = new Array<string>(n);
    let tags: Int32Array = new Int32Array(Math.max(1024, n * 16));
    let t = 0;
    let i = 0;
    for (let id = 0; id < this.capacity; id++) {
      if (this.present[id] !== 1) continue;
      ids[i] = id;
      const f = this.flags[id]!;
      flags[i] = (f & F_RESTRICTED ? 1 : 0) | (f & F_COMPLETE ? 2 : 0) | (f & F_CROSSOVER ? 4 : 0);
      lang[i] = this.lang[id]!;
      for (let k = 0; k < sources.length; k++) ints[k]![i] = sources[k]![id]!;
      revised[i] = this.revised[id]!;
      published[i] = this.published[id]!;
      const from = t;
      [tags, t] = pool.readInto(id, tags, t);
      for (let k = from; k < t; k++) tags[k] = slotTag[tags[k]!]!;
      tagEnds[i] = t;
      titles[i] = this.title[id]!;
      creators[i] = this.creator[id]!;
      i++;
    }
    const languages = this.languageNames();
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

  /**
   * Narrows `r` (owned) to the works the viewer may see that pass the query's flag, language
   * and range filters: the sets first, then one scan of the members against the columns.
   * Returns `r` itself or a new bitmap in its place (having disposed of `r`).
   */
  filter(r: Bitmap, q: BrowseQuery, loggedIn: boolean): Bitmap {
    if (!loggedIn) r.andNotInPlace(this.restricted);
    if (q.complete === true) r.andInPlace(this.completeSet);
    else if (q.complete === false) r.andNotInPlace(this.completeSet);
    if (q.singleChapter === true) r.andInPlace(this.singleSet);
    else if (q.singleChapter === false) r.andNotInPlace(this.singleSet);
    if (q.crossover === "only") r.andInPlace(this.crossoverSet);
    else if (q.crossover === "exclude") r.andNotInPlace(this.crossoverSet);
    if (q.language !== undefined) {
      const code = this.languageOf.get(q.language);
      if (code === undefined) r.clear();
      else r.andInPlace(this.languageSets[code]!);
    }

    const ranges: RangeFilter[] = [];
    const range = (values: Int32Array | Float64Array, lo?: number, hi?: number) => {
      if (lo !== undefined || hi !== undefined) {
        ranges.push({ values, lo: lo ?? -Infinity, hi: hi ?? Infinity });
      }
    };
    range(this.words, q.words?.min, q.words?.max);
    range(this.revised, q.revised?.from, q.revised?.to);
    range(this.published, q.published?.from, q.published?.to);
    range(this.kudos, q.kudos?.min, q.kudos?.max);
    range(this.hits, q.hits?.min, q.hits?.max);
    range(this.comments, q.comments?.min, q.comments?.max);
    range(this.bookmarks, q.bookmarks?.min, q.bookmarks?.max);
    if (ranges.length === 0 || r.isEmpty) return r;
    return this.scanRanges(r, ranges);
  }

  /** Keeps the members whose attributes fall in every range (one pass over the result). */
  private scanRanges(r: Bitmap, ranges: RangeFilter[]): Bitmap {
    const members = r.toUint32Array(this.members);
    const out = this.kept;
    let kept = 0;
    next: for (let i = 0; i < members.length; i++) {
      const id = members[i]!;
      for (const f of ranges) {
        const v = f.values[id]!;
        if (v < f.lo || v > f.hi) continue next;
      }
      out[kept++] = id;
    }
    if (kept === members.length) return r;
    r.dispose();
    return new RoaringBitmap32(out.subarray(0, kept));
  }

  private write(id: number, doc: WorkDoc): void {
    this.flags[id] =
      (doc.restricted ? F_RESTRICTED : 0) |
      (doc.complete ? F_COMPLETE : 0) |
      (doc.chapters === 1 ? F_SINGLE : 0) |
      (doc.fandomCount > 1 ? F_CROSSOVER : 0);
    this.lang[id] = this.languageCode(doc.language);
    this.words[id] = doc.words;
    this.chapters[id] = doc.chapters;
    this.kudos[id] = doc.kudos;
    this.hits[id] = doc.hits;
    this.comments[id] = doc.comments;
    this.bookmarks[id] = doc.bookmarks;
    this.revised[id] = doc.revisedAt;
    this.published[id] = doc.publishedAt;
    this.title[id] = doc.titleKey;
    this.creator[id] = this.intern(doc.creatorKey);
  }

  private languageCode(language: string): number {
    let code = this.languageOf.get(language);
    if (code === undefined) {
      code = this.languageSets.length;
      if (code > 0xffff) throw new RangeError("too many languages");
      this.languageOf.set(language, code);
      this.languageSets.push(new RoaringBitmap32());
    }
    return code;
  }

  /** One string per creator key, however many works it has (rows bring fresh copies). The
   * table forgets keys no work uses when it grows past twice the keys in use. */
  private intern(key: string): string {
    let kept = this.creatorKeys.get(key);
    if (kept === undefined) {
      if (this.creatorKeys.size >= this.creatorKeysLimit) {
        this.creatorKeys = new Map();
        for (let id = 0; id < this.capacity; id++) {
          if (this.present[id] === 1) this.creatorKeys.set(this.creator[id]!, this.creator[id]!);
        }
        this.creatorKeysLimit = Math.max(1024, this.creatorKeys.size * 2);
      }
      this.creatorKeys.set(key, key);
      kept = key;
    }
    return kept;
  }
}

const INT32_FIELDS = ["chapters", "words", "kudos", "hits", "comments", "bookmarks"] as const;

/** Throws unless every attribute fits its column. */
export function checkDoc(doc: WorkDoc): void {
  if (!Number.isInteger(doc.id) || doc.id < 1 || doc.id > MAX_ID) {
    throw new RangeError(`work id must be a positive integer below 2^31, not ${doc.id}`);
  }
  for (const field of INT32_FIELDS) {
    const v = doc[field];
    if (!Number.isInteger(v) || v < 0 || v > MAX_ID) {
      throw new RangeError(`work ${doc.id}: ${field} must be a whole number ≥ 0, not ${v}`);
    }
  }
  if (!Number.isFinite(doc.revisedAt) || !Number.isFinite(doc.publishedAt)) {
    throw new RangeError(`work ${doc.id}: dates must be finite`);
  }
}

function setMember(set: Bitmap, id: number, member: boolean): void {
  if (member) set.add(id);
  else set.remove(id);
}

type Column =
  | Uint8Array<ArrayBuffer>
  | Uint16Array<ArrayBuffer>
  | Int32Array<ArrayBuffer>
  | Float64Array<ArrayBuffer>;

/** A longer copy (zeros after the old values). */
function grown<C extends Column>(column: C, size: number): C {
  const next = new (column.constructor as new (length: number) => C)(size);
  next.set(column);
  return next;
}
