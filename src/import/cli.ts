/**
 * `fanfold import FILE… --user LOGIN` (issue 14): each file read by import/read and posted as
 * one work of the account's default pseud (or --pseud) through postWorkWithChapters, the
 * command the web import uses too, so what lands in the archive is the same. The file gives
 * the title, notes, summary, language and chapters; the command line gives what a file can't:
 * fandoms (required, as on the posting form), rating and warnings (defaults: "Not Rated" and
 * "Creator Chose Not To Use Archive Warnings", AO3's choices for works nobody has rated).
 *
 * A file that can't be read or posted is reported and the others still go in; the exit status
 * is then 1. Bad arguments exit 2 before anything is read.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { findPseud, findUserByLogin, pseudsOfUser } from "../accounts/queries.ts";
import type { Db } from "../core/db/index.ts";
import { limits } from "../core/limits.ts";
import { charCount } from "../core/text/input-text.ts";
import { refusalMessage } from "../core/result.ts";
import { RATINGS, WARNINGS } from "../tags/fixed.ts";
import { tagNameProblem } from "../tags/names.ts";
import { postWorkWithChapters } from "../works/commands.ts";
import { isLanguage } from "../works/languages.ts";
import { NewWorkInput } from "../works/schemas.ts";
import { readImportFile, parseSplit } from "./read/index.ts";
import { ImportError, type ChapterSplit, type ImportedWork } from "./types.ts";

export const IMPORT_USAGE =
  "usage: import FILE… --user LOGIN --fandom NAME [--fandom NAME…] [--pseud NAME] [--split auto|none|heading:N|marker:TEXT] [--encoding LABEL] [--rating RATING] [--warning WARNING…] [--language CODE] [--tag NAME…] [--draft]";

export interface ImportCommandIo {
  out: (line: string) => void;
  err: (line: string) => void;
  now: () => number;
  /** Where works are read at (FANFOLD_PUBLIC_URL), for the addresses printed. */
  publicUrl?: string | undefined;
}

/** Exit status: 0 all imported, 1 some file failed, 2 the arguments were refused. */
export type ImportStatus = 0 | 1 | 2;

const plural = (n: number, one: string) =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : `${one}s`}`;

/** The file's subjects plus --tag names, as many as a work may carry, valid names only. */
function additionalTags(
  work: ImportedWork,
  extra: string[],
  room: number,
  io: ImportCommandIo,
  file: string,
) {
  const tags: string[] = [];
  for (const name of [...extra, ...work.tags]) {
    const clean = name
      .replace(/[,，、]/gu, " ")
      .replace(/\s+/g, " ")
      .trim();
    if (clean === "" || tags.includes(clean)) continue;
    const problem = tagNameProblem(clean);
    if (problem) io.err(`${file}: left out a tag: ${problem}`);
    else if (tags.length < room) tags.push(clean);
  }
  return tags;
}

/**
 * A summary longer than a work's summary may be (an EPUB's description can be) goes to the
 * beginning notes when they have room, else it is left out, saying so; notes too long for the
 * work are left out too. The text is imported either way.
 */
function fitNotes(work: ImportedWork, say: (line: string) => void) {
  let summary: string = work.summary;
  let notes: string = work.notes;
  if (charCount(summary) > limits.workSummary.max) {
    const joined = notes === "" ? summary : `${summary}\n${notes}`;
    if (charCount(joined) <= limits.workNotes.max) {
      notes = joined;
      say("The description is longer than a summary may be: it is in the beginning notes.");
    } else say("The description is longer than a summary may be: it was left out.");
    summary = "";
  }
  if (charCount(notes) > limits.workNotes.max) {
    say("The beginning notes are longer than notes may be: they were left out.");
    notes = "";
  }
  let endNotes: string = work.endNotes;
  if (charCount(endNotes) > limits.workNotes.max) {
    say("The end notes are longer than notes may be: they were left out.");
    endNotes = "";
  }
  return { summary, notes, endNotes };
}

export async function importCommand(
  db: Db,
  args: string[],
  io: ImportCommandIo,
): Promise<ImportStatus> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        user: { type: "string" },
        pseud: { type: "string" },
        split: { type: "string", default: "auto" },
        encoding: { type: "string" },
        draft: { type: "boolean", default: false },
        fandom: { type: "string", multiple: true, default: [] },
        rating: { type: "string", default: "Not Rated" },
        warning: { type: "string", multiple: true, default: [] },
        language: { type: "string" },
        tag: { type: "string", multiple: true, default: [] },
      },
    });
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    io.err(IMPORT_USAGE);
    return 2;
  }
  const { values, positionals: files } = parsed;
  const refuse = (message: string): ImportStatus => {
    io.err(message);
    return 2;
  };
  if (files.length === 0 || !values.user) return refuse(IMPORT_USAGE);
  if (values.fandom.length === 0)
    return refuse(
      "--fandom is required: every work needs at least one fandom (repeat it for more).",
    );
  const rating = RATINGS.find((r) => r.toLowerCase() === values.rating.toLowerCase());
  if (!rating) return refuse(`--rating must be one of: ${RATINGS.join(", ")}.`);
  const warnings =
    values.warning.length === 0 ? ["Creator Chose Not To Use Archive Warnings"] : values.warning;
  for (const w of warnings)
    if (!WARNINGS.some((k) => k.toLowerCase() === w.toLowerCase()))
      return refuse(`--warning must be one of: ${WARNINGS.join(", ")}.`);
  if (values.language !== undefined && !isLanguage(values.language))
    return refuse(
      `--language: "${values.language}" is not a language code the archive knows (e.g. en, fr).`,
    );
  let split: ChapterSplit;
  try {
    split = parseSplit(values.split);
  } catch (err) {
    return refuse(err instanceof ImportError ? `--${err.message}` : String(err));
  }
  if (values.encoding !== undefined) {
    try {
      new TextDecoder(values.encoding);
    } catch {
      return refuse(`--encoding: "${values.encoding}" is not a known character set.`);
    }
  }
  const user = await findUserByLogin(db, values.user);
  if (!user) return refuse(`No account is named "${values.user}".`);
  const pseud = values.pseud
    ? await findPseud(db, user.id, values.pseud)
    : (await pseudsOfUser(db, user.id))[0];
  if (!pseud) return refuse(`${user.login} has no pseud named "${values.pseud ?? ""}".`);

  let failed = 0;
  for (const file of files) {
    const started = performance.now();
    let work: ImportedWork;
    try {
      const bytes = await readFile(file);
      work = await readImportFile(bytes, file, {
        split,
        ...(values.encoding !== undefined ? { encoding: values.encoding } : {}),
      });
    } catch (err) {
      failed++;
      if (err instanceof ImportError)
        io.err(`${file}: not imported (${err.status}): ${err.message}`);
      else if (err instanceof Error && "code" in err)
        io.err(`${file}: not imported: cannot read it (${String(err.code)}).`);
      else throw err;
      continue;
    }
    const [first, ...more] = work.chapters;
    if (!first) continue; // readImportFile refuses files without chapters
    const { summary, notes, endNotes } = fitNotes(work, (line) => io.out(`  ${line}`));
    const fandoms = values.fandom;
    const room = limits.userTagsPerWork - fandoms.length;
    const input = NewWorkInput.safeParse({
      title: work.title,
      summary,
      notes,
      end_notes: endNotes,
      rating,
      warnings: warnings.map((w) => WARNINGS.find((k) => k.toLowerCase() === w.toLowerCase())),
      categories: [],
      fandoms: fandoms.join(","),
      freeforms: additionalTags(work, values.tag, room, io, file).join(","),
      language:
        values.language ?? (work.language && isLanguage(work.language) ? work.language : "en"),
      expected_chapters: String(work.chapters.length),
      complete: "1",
      chapter_title: first.title,
      text: first.html,
      action: values.draft ? "draft" : "post",
    });
    if (!input.success) {
      failed++;
      const reasons = input.error.issues.map((i) => `${i.path.join(".") || "work"}: ${i.message}`);
      io.err(`${file}: not imported: ${reasons.join("; ")}`);
      continue;
    }
    const posted = await postWorkWithChapters(db, {
      pseudId: pseud.id,
      input: input.data,
      now: io.now(),
      moreChapters: more.map((c) => ({ title: c.title, html: c.html })),
    });
    if (!posted.ok) {
      failed++;
      io.err(`${file}: not imported: ${refusalMessage(posted)}`);
      continue;
    }
    const words = work.chapters.reduce((n, c) => n + c.words, 0);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const address = `${(io.publicUrl ?? "").replace(/\/$/, "")}/works/${posted.value.workId}`;
    io.out(
      `${file}: ${values.draft ? "saved as a draft" : "posted"} "${work.title}" (${work.format}): ${plural(work.chapters.length, "chapter")}, ${plural(words, "word")}, ${seconds} s — ${address}`,
    );
    for (const notice of work.notices) io.out(`  ${notice}`);
  }
  if (failed > 0) io.err(`${plural(failed, "file")} of ${files.length} not imported.`);
  return failed > 0 ? 1 : 0;
}
