/**
 * Imports the AO3 data dump (issue 14): the OTW's works and tags CSV files (2021, about 7.3
 * million works and 14.5 million tags; `../shared/data/ao3-otw-dump-sample/` is a cut-down
 * copy) become this archive's tags, with AO3's canonical tags and synonyms, and metadata-only
 * works: their date, language, restriction, completeness, word count and tags, credited to
 * the reserved account `ao3_data_dump`, each with one chapter saying that the dump holds no
 * text. For benchmarks on real tagging data, and for migrations.
 *
 * Both files are streamed and written in batches, one transaction each. Tags are matched by
 * name: a tag this archive has already keeps its own wrangling, fixed tags (ratings, warnings,
 * categories, media) are only matched, under their current names. Synonym links are set once
 * every tag is known (a synonym often comes before its canonical tag in the file). A work's
 * tag ids that the tags file does not hold are skipped and counted. Importing tags again is
 * harmless; importing works into an archive that already has dump works is refused.
 */
import { performance } from "node:perf_hooks";
import type { Db, Engine } from "../../core/db/index.ts";
import type { TagType } from "../../core/db/schema.ts";
import { formatUserText, SANITIZER_VERSION } from "../../core/text/sanitize.ts";
import { analyzeTables } from "../../demo/queries.ts";
import { tagKey } from "../../tags/names.ts";
import { readCsvFile, type CsvRecord } from "./csv.ts";
import {
  countWorksOf,
  createDumpAccount,
  DUMP_LOGIN,
  findDumpAccount,
  insertDumpWorks,
  insertTags,
  refoldTags,
  setMergers,
  tagsByIds,
  tagsByKeys,
  type DumpWorkRow,
  type TagState,
} from "./queries.ts";
import {
  findColumns,
  FIXED_TYPES,
  parseTagRow,
  parseWorkRow,
  TAG_COLUMNS,
  WORK_COLUMNS,
  type DumpTag,
  type DumpWork,
} from "./rows.ts";

export interface Ao3DumpOptions {
  tagsFile: string;
  /** Without it, only tags are imported. */
  worksFile?: string;
  /** Import at most this many works (data rows). */
  limit?: number;
  /** Rows per transaction (default 1,000). */
  batch?: number;
  now?: number;
  /** Progress lines (the command line prints them on stderr). */
  progress?: (line: string) => void;
  /** How often a progress line is written while a file is read (default 2 s). */
  progressEveryMs?: number;
}

/** A refusal before anything was written, or a file that cannot be read. */
export class Ao3DumpError extends Error {}

/** Reasons rows were skipped, with how many and the first few lines. */
export type Skipped = Record<string, { count: number; lines: number[] }>;

export interface Ao3DumpSummary {
  tags: {
    rows: number;
    created: number;
    /** Matched to a tag this archive already had (the fixed tags, an earlier import…). */
    matched: number;
    canonical: number;
    skipped: Skipped;
    synonyms: {
      /** Links set by this run. */
      linked: number;
      /** Already a synonym of that tag (a second import). */
      already: number;
      /** Their canonical tag is not in the tags file (or was skipped). */
      unresolved: number;
      /** Left as this archive has wrangled them, with why. */
      kept: Skipped;
    };
    ms: number;
  };
  works: {
    rows: number;
    imported: number;
    skipped: Skipped;
    tagRefs: number;
    /** Tag ids the tags file does not hold (or that were skipped), left out of works. */
    unresolvedTagRefs: number;
    /** Resolved to a tag that cannot be a work's tag (a medium, a second rating). */
    unusableTagRefs: number;
    /** Works without a rating among their tags: stored as Not Rated. */
    withoutRating: number;
    ms: number;
  } | null;
  /** Refreshing the planner's statistics after the works. */
  finishMs: number;
}

const NOTE = formatUserText(
  "This work was imported from the AO3 data dump, which holds its date, language, word count and tags, but not its title, creators or text.",
);

/** Dump tag id → this archive's tag id and type, for up to tens of millions of ids. */
class TagMap {
  private ids = new Int32Array(1 << 16);
  private types = new Uint8Array(1 << 16);
  static readonly TYPES: readonly TagType[] = [
    "media",
    "rating",
    "warning",
    "category",
    "fandom",
    "relationship",
    "character",
    "freeform",
  ];
  private readonly typeCode = new Map(TagMap.TYPES.map((t, i) => [t, i + 1]));

  set(dumpId: number, id: number, type: TagType) {
    if (dumpId >= this.ids.length) {
      let size = this.ids.length;
      while (size <= dumpId) size *= 2;
      const ids = new Int32Array(size);
      ids.set(this.ids);
      const types = new Uint8Array(size);
      types.set(this.types);
      this.ids = ids;
      this.types = types;
    }
    this.ids[dumpId] = id;
    this.types[dumpId] = this.typeCode.get(type)!;
  }

  get(dumpId: number): { id: number; type: TagType } | null {
    const id = dumpId < this.ids.length ? this.ids[dumpId]! : 0;
    if (id === 0) return null;
    return { id, type: TagMap.TYPES[this.types[dumpId]! - 1]! };
  }
}

function note(skipped: Skipped, reason: string, line: number) {
  const s = (skipped[reason] ??= { count: 0, lines: [] });
  s.count++;
  if (s.lines.length < 5) s.lines.push(line);
}

/** Reads a file's header and checks its columns; the rest of the records follow. */
async function openDumpFile<C extends string>(
  path: string,
  wanted: readonly C[],
  what: string,
): Promise<{ columns: Record<C, number>; records: AsyncGenerator<CsvRecord> }> {
  const records = readCsvFile(path);
  let first;
  try {
    first = await records.next();
  } catch (err) {
    throw new Ao3DumpError(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (first.done) throw new Ao3DumpError(`${path}: the file is empty (expected the ${what} CSV)`);
  const found = findColumns(first.value.fields, wanted);
  if (!found.ok) {
    await records.return(undefined);
    throw new Ao3DumpError(
      `${path}: not the ${what} CSV of the AO3 data dump: no column ${found.missing.map((m) => `"${m}"`).join(", ")} in its first line`,
    );
  }
  return { columns: found.columns, records };
}

/** Iterates records, turning a CSV syntax error into a refusal naming the file. */
async function* recordsOf(path: string, records: AsyncGenerator<CsvRecord>) {
  try {
    yield* records;
  } catch (err) {
    if (err instanceof Ao3DumpError) throw err;
    throw new Ao3DumpError(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

class Progress {
  private last = performance.now();
  constructor(
    private readonly out: ((line: string) => void) | undefined,
    private readonly everyMs: number,
  ) {}
  tick(line: () => string) {
    const now = performance.now();
    if (!this.out || now - this.last < this.everyMs) return;
    this.last = now;
    this.out(line());
  }
  say(line: string) {
    this.out?.(line);
  }
}

const n = (x: number) => x.toLocaleString("en-US");
const rate = (count: number, ms: number) => n(Math.round(count / Math.max(ms / 1000, 1e-3)));

export async function importAo3Dump(
  db: Db,
  engine: Engine,
  opts: Ao3DumpOptions,
): Promise<Ao3DumpSummary> {
  const now = opts.now ?? Date.now();
  const batch = Math.max(1, opts.batch ?? 1000);
  const progress = new Progress(opts.progress, opts.progressEveryMs ?? 2000);

  // Everything that can be refused is checked before anything is written.
  const account = await findDumpAccount(db);
  if (account === "taken")
    throw new Ao3DumpError(
      `The name "${DUMP_LOGIN}" belongs to an ordinary account; dump works are credited to a reserved account of that name. Rename that account first.`,
    );
  if (opts.worksFile && account) {
    const existing = await countWorksOf(db, account.pseudId);
    if (existing > 0)
      throw new Ao3DumpError(
        `This archive already holds ${n(existing)} works imported from an AO3 data dump (credited to ${DUMP_LOGIN}); importing works again would add them twice. Nothing was changed. Import into an empty archive, or restore the backup taken before the first import.`,
      );
  }
  const tagsIn = await openDumpFile(opts.tagsFile, TAG_COLUMNS, "tags");
  let worksIn = null;
  try {
    if (opts.worksFile) worksIn = await openDumpFile(opts.worksFile, WORK_COLUMNS, "works");
    return await importBoth(db, engine, { ...opts, batch, now }, progress, tagsIn, worksIn);
  } finally {
    // Files left unread after a refusal or an error are closed.
    await tagsIn.records.return(undefined);
    await worksIn?.records.return(undefined);
  }
}

type DumpFile<C extends string> = Awaited<ReturnType<typeof openDumpFile<C>>>;

async function importBoth(
  db: Db,
  engine: Engine,
  opts: Ao3DumpOptions & { batch: number; now: number },
  progress: Progress,
  tagsIn: DumpFile<(typeof TAG_COLUMNS)[number]>,
  worksIn: DumpFile<(typeof WORK_COLUMNS)[number]> | null,
): Promise<Ao3DumpSummary> {
  const { batch, now } = opts;
  const map = new TagMap();
  const tags = await importTags(db, tagsIn, map, { path: opts.tagsFile, batch, now, progress });
  const summary: Ao3DumpSummary = { tags, works: null, finishMs: 0 };
  if (!worksIn || !opts.worksFile) return summary;

  // Fresh statistics: the tags table may have grown from nothing, and PostgreSQL plans the
  // filter-tag refresh of each batch badly for tables it thinks are empty.
  await analyzeTables(db, engine);
  summary.works = await importWorks(db, worksIn, map, {
    path: opts.worksFile,
    batch,
    now,
    progress,
    limit: opts.limit ?? Infinity,
  });
  const t0 = performance.now();
  // The tables grew: fresh statistics for the planner (see demo/bulk.ts).
  await analyzeTables(db, engine);
  summary.finishMs = performance.now() - t0;
  return summary;
}

interface PassOptions {
  path: string;
  batch: number;
  now: number;
  progress: Progress;
}

async function importTags(
  db: Db,
  file: DumpFile<(typeof TAG_COLUMNS)[number]>,
  map: TagMap,
  o: PassOptions,
): Promise<Ao3DumpSummary["tags"]> {
  const t0 = performance.now();
  const s: Ao3DumpSummary["tags"] = {
    rows: 0,
    created: 0,
    matched: 0,
    canonical: 0,
    skipped: {},
    synonyms: { linked: 0, already: 0, unresolved: 0, kept: {} },
    ms: 0,
  };
  /** Synonyms to link once every tag is known: our tag id and the dump id of its canonical. */
  const pending: { tagId: number; mergerId: number; line: number }[] = [];

  let rows: { tag: DumpTag; line: number }[] = [];
  const flush = async () => {
    const chunk = rows;
    rows = [];
    if (chunk.length === 0) return;
    await db.transaction().execute(async (tx) => {
      const keys = [...new Set(chunk.map((r) => tagKey(r.tag.name)))];
      const known = new Map((await tagsByKeys(tx, keys)).map((t) => [t.name_key, t]));
      const toCreate = new Map<
        string,
        { name: string; name_key: string; type: TagType; canonical: boolean }
      >();
      for (const { tag } of chunk) {
        const key = tagKey(tag.name);
        if (!known.has(key) && !FIXED_TYPES.has(tag.type) && !toCreate.has(key))
          toCreate.set(key, {
            name: tag.name,
            name_key: key,
            type: tag.type,
            canonical: tag.canonical,
          });
      }
      const created = new Set<number>();
      for (const t of await insertTags(tx, [...toCreate.values()], o.now)) {
        known.set(t.name_key, t);
        created.add(t.id);
      }
      // Names another process created meanwhile.
      const raced = [...toCreate.keys()].filter((k) => !known.has(k));
      for (const t of await tagsByKeys(tx, raced)) known.set(t.name_key, t);

      for (const { tag, line } of chunk) {
        const t = known.get(tagKey(tag.name));
        if (!t) {
          note(s.skipped, `not one of this archive's ${tag.type} tags`, line);
          continue;
        }
        if (t.type !== tag.type) {
          note(s.skipped, `the name belongs to a tag of another type here`, line);
          continue;
        }
        map.set(tag.id, t.id, t.type);
        if (created.has(t.id)) {
          created.delete(t.id); // a second dump row of the same name only matches it
          s.created++;
          if (tag.canonical) s.canonical++;
        } else s.matched++;
        if (tag.mergerId !== null && !tag.canonical)
          pending.push({ tagId: t.id, mergerId: tag.mergerId, line });
      }
    });
    o.progress.tick(
      () =>
        `tags: ${n(s.rows)} rows, ${n(s.created)} created (${rate(s.rows, performance.now() - t0)} rows/s)`,
    );
  };

  for await (const rec of recordsOf(o.path, file.records)) {
    s.rows++;
    const parsed = parseTagRow(rec.fields, file.columns);
    if (!parsed.ok) {
      note(s.skipped, parsed.reason, rec.line);
      continue;
    }
    rows.push({ tag: parsed.value, line: rec.line });
    if (rows.length >= o.batch) await flush();
  }
  await flush();

  // Synonym links, now that every canonical tag has an id here.
  for (let i = 0; i < pending.length; i += 500) {
    const chunk = pending.slice(i, i + 500);
    await db.transaction().execute(async (tx) => {
      const targets = new Map<number, number>();
      for (const p of chunk) {
        const target = map.get(p.mergerId);
        if (target) targets.set(p.tagId, target.id);
      }
      const ids = [...new Set([...chunk.map((p) => p.tagId), ...targets.values()])];
      const state = new Map<number, TagState>((await tagsByIds(tx, ids)).map((t) => [t.id, t]));
      const links: { tagId: number; mergerId: number }[] = [];
      const refold: number[] = [];
      const linked = new Set<number>();
      for (const p of chunk) {
        const targetId = targets.get(p.tagId);
        if (targetId === undefined) {
          s.synonyms.unresolved++;
          continue;
        }
        const tag = state.get(p.tagId);
        const into = state.get(targetId);
        if (!tag || !into) continue;
        if (tag.merger_id === targetId || linked.has(tag.id)) s.synonyms.already++;
        else if (tag.merger_id !== null)
          note(s.synonyms.kept, "already a synonym of another tag here", p.line);
        else if (tag.canonical) note(s.synonyms.kept, "a canonical tag here", p.line);
        else if (tag.id === into.id) note(s.synonyms.kept, "its own canonical tag", p.line);
        else if (into.type !== tag.type)
          note(s.synonyms.kept, "its canonical tag has another type here", p.line);
        else if (!into.canonical || into.merger_id !== null)
          note(s.synonyms.kept, "its canonical tag is not canonical here", p.line);
        else {
          links.push({ tagId: tag.id, mergerId: into.id });
          linked.add(tag.id);
          // A tag already in use (this archive had it): its works fold differently now.
          if (tag.taggings_count > 0) refold.push(tag.id);
        }
      }
      await setMergers(tx, links);
      await refoldTags(tx, refold, o.now);
      s.synonyms.linked += links.length;
    });
    o.progress.tick(() => `tags: synonyms ${n(i + chunk.length)} of ${n(pending.length)}`);
  }
  s.ms = performance.now() - t0;
  o.progress.say(
    `tags: ${n(s.rows)} rows in ${(s.ms / 1000).toFixed(1)} s (${rate(s.rows, s.ms)} rows/s)`,
  );
  return s;
}

async function importWorks(
  db: Db,
  file: DumpFile<(typeof WORK_COLUMNS)[number]>,
  map: TagMap,
  o: PassOptions & { limit: number },
): Promise<NonNullable<Ao3DumpSummary["works"]>> {
  const t0 = performance.now();
  const s: NonNullable<Ao3DumpSummary["works"]> = {
    rows: 0,
    imported: 0,
    skipped: {},
    tagRefs: 0,
    unresolvedTagRefs: 0,
    unusableTagRefs: 0,
    withoutRating: 0,
    ms: 0,
  };
  const notRated = (await tagsByKeys(db, [tagKey("Not Rated")]))[0];
  if (!notRated) throw new Ao3DumpError("The fixed tag Not Rated is missing: run migrate first.");
  const account = await db.transaction().execute(async (tx) => {
    const found = await findDumpAccount(tx);
    if (found === "taken") throw new Ao3DumpError(`The name "${DUMP_LOGIN}" is taken.`);
    return found ?? (await createDumpAccount(tx, o.now));
  });

  let rows: DumpWorkRow[] = [];
  const flush = async () => {
    const chunk = rows;
    rows = [];
    if (chunk.length === 0) return;
    await db.transaction().execute((tx) =>
      insertDumpWorks(tx, chunk, {
        pseudId: account.pseudId,
        chapterHtml: NOTE,
        sanitizerVersion: SANITIZER_VERSION,
        now: o.now,
      }),
    );
    s.imported += chunk.length;
    o.progress.tick(
      () =>
        `works: ${n(s.imported)} imported of ${n(s.rows)} rows (${rate(s.imported, performance.now() - t0)} works/s)`,
    );
  };

  const toRow = (w: DumpWork): DumpWorkRow => {
    s.tagRefs += w.tagIds.length + w.badTagRefs;
    s.unresolvedTagRefs += w.badTagRefs;
    let rating: number | null = null;
    const byKind: number[][] = [[], [], []];
    for (const dumpId of w.tagIds) {
      const t = map.get(dumpId);
      if (!t) {
        s.unresolvedTagRefs++;
        continue;
      }
      if (t.type === "rating") {
        if (rating === null) rating = t.id;
        else s.unusableTagRefs++;
      } else if (t.type === "media") s.unusableTagRefs++;
      else byKind[t.type === "warning" ? 0 : t.type === "category" ? 1 : 2]!.push(t.id);
    }
    if (rating === null) {
      s.withoutRating++;
      rating = notRated.id;
    }
    // Two dump ids may have matched one tag here (a fixed tag under its old and new name).
    const tagIds = [...new Set([rating, ...byKind.flat()])];
    return {
      title: `Untitled work (AO3 data dump, row ${w.row})`,
      language: w.language,
      restricted: w.restricted,
      complete: w.complete,
      words: w.words,
      createdAt: w.createdAt,
      ratingId: rating,
      tagIds,
    };
  };

  for await (const rec of recordsOf(o.path, file.records)) {
    if (s.rows >= o.limit) break;
    s.rows++;
    const parsed = parseWorkRow(rec.fields, file.columns, s.rows);
    if (!parsed.ok) {
      note(s.skipped, parsed.reason, rec.line);
      continue;
    }
    rows.push(toRow(parsed.value));
    if (rows.length >= o.batch) await flush();
  }
  await flush();
  s.ms = performance.now() - t0;
  o.progress.say(
    `works: ${n(s.imported)} in ${(s.ms / 1000).toFixed(1)} s (${rate(s.imported, s.ms)} works/s)`,
  );
  return s;
}

/** The summary as lines for people. */
export function describeSummary(s: Ao3DumpSummary): string[] {
  const out: string[] = [];
  const skippedLines = (skipped: Skipped, what: string) =>
    Object.entries(skipped).map(
      ([reason, { count, lines }]) =>
        `  ${n(count)} ${what} skipped: ${reason} (line ${lines.join(", ")}${count > lines.length ? ", …" : ""})`,
    );
  const t = s.tags;
  out.push(
    `Tags: ${n(t.rows)} rows, ${n(t.created)} created (${n(t.canonical)} canonical), ${n(t.matched)} matched to existing tags, in ${(t.ms / 1000).toFixed(1)} s.`,
  );
  out.push(...skippedLines(t.skipped, "tag rows"));
  out.push(
    `Synonyms: ${n(t.synonyms.linked)} linked to their canonical tag, ${n(t.synonyms.already)} already linked, ${n(t.synonyms.unresolved)} whose canonical tag is not in the tags file (left unwrangled).`,
  );
  out.push(...skippedLines(t.synonyms.kept, "synonym links"));
  if (s.works) {
    const w = s.works;
    out.push(
      `Works: ${n(w.imported)} of ${n(w.rows)} rows imported in ${(w.ms / 1000).toFixed(1)} s, metadata only, credited to ${DUMP_LOGIN}.`,
    );
    out.push(...skippedLines(w.skipped, "work rows"));
    out.push(
      `Work tags: ${n(w.tagRefs - w.unresolvedTagRefs - w.unusableTagRefs)} of ${n(w.tagRefs)} tag references kept; ${n(w.unresolvedTagRefs)} skipped because the tags file does not hold their tag ids${w.unusableTagRefs ? `, ${n(w.unusableTagRefs)} were media or extra ratings (skipped)` : ""}.`,
    );
    if (w.withoutRating)
      out.push(`  ${n(w.withoutRating)} works had no rating: stored as Not Rated.`);
  }
  return out;
}
