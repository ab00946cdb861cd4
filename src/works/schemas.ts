import { z } from "zod";
import { limits } from "../core/limits.ts";
import { TEXT_FORMATS } from "../core/text/formats.ts";
import { charCount } from "../core/text/input-text.ts";
import { CATEGORIES, RATINGS, WARNINGS } from "../tags/fixed.ts";
import { splitTagList, tagNameProblem } from "../tags/names.ts";
import { isLanguage } from "./languages.ts";

/** At most `max` characters as a reader counts them (an emoji is one, not two). */
const atMost = (max: number, message: string) =>
  z.string().refine((t) => charCount(t) <= max, message);

const optionalText = (max: number, label: string) =>
  atMost(max, `${label} must be at most ${max.toLocaleString("en-US")} characters.`).default("");

/** A comma-separated field of tags, split into names; each name checked with a clear message. */
const tagField = (label: string) =>
  z
    .string()
    .default("")
    .transform((text, ctx) => {
      const names = splitTagList(text);
      for (const name of names) {
        const problem = tagNameProblem(name);
        if (problem) ctx.addIssue({ code: "custom", message: `${label}: ${problem}` });
      }
      return names;
    });

const checked = z
  .string()
  .optional()
  .transform((v) => v !== undefined && v !== "" && v !== "0");

const many = <T extends string>(values: readonly [T, ...T[]], message: string) =>
  z.preprocess(
    (v): unknown[] =>
      v === undefined || v === "" ? [] : Array.isArray(v) ? (v as unknown[]) : [v],
    z.array(z.enum(values, { message })),
  );

export const ChapterTextField = z
  .string()
  .refine((t) => charCount(t.trim()) >= limits.chapterText.min, {
    message: `Chapter text must be at least ${limits.chapterText.min} characters long.`,
  })
  .superRefine((t, ctx) => {
    const count = charCount(t);
    if (count <= limits.chapterText.max) return;
    ctx.addIssue({
      code: "custom",
      message: `Chapter text must be at most ${limits.chapterText.max.toLocaleString("en-US")} characters long; this has ${count.toLocaleString("en-US")}.`,
    });
  });

const ExpectedChapters = z
  .string()
  .trim()
  .default("")
  .refine(
    (v) => v === "" || v === "?" || /^\d{1,4}$/.test(v),
    "Enter a number of chapters, or leave it blank if you don't know.",
  )
  .transform((v) => (v === "" || v === "?" ? null : Number(v)))
  .refine(
    (n) => n === null || (n >= 1 && n <= limits.expectedChapters.max),
    "Expected chapters must be between 1 and 1,000.",
  );

/** The metadata of a work, as its form sends it (shared by posting and editing). */
export const WorkMetaInput = z
  .object({
    title: z
      .string()
      .trim()
      .min(limits.workTitle.min, "Please enter a title.")
      .pipe(
        atMost(limits.workTitle.max, `Titles must be at most ${limits.workTitle.max} characters.`),
      ),
    pseud_id: z.coerce.number().int().positive("Choose which pseud to post as.").optional(),
    summary: optionalText(limits.workSummary.max, "Summary"),
    notes: optionalText(limits.workNotes.max, "Notes"),
    end_notes: optionalText(limits.workNotes.max, "End notes"),
    rating: z.enum(RATINGS, { message: "Choose a rating." }),
    warnings: many(WARNINGS, "Choose archive warnings from the list.").refine(
      (w) => w.length > 0,
      "Choose at least one archive warning.",
    ),
    categories: many(CATEGORIES, "Choose categories from the list."),
    fandoms: tagField("Fandoms").refine((t) => t.length > 0, "Enter at least one fandom."),
    relationships: tagField("Relationships"),
    characters: tagField("Characters"),
    freeforms: tagField("Additional tags"),
    language: z.string().refine(isLanguage, "Choose a language from the list."),
    restricted: checked,
    expected_chapters: ExpectedChapters,
    complete: checked,
    comment_policy: z
      .enum(["registered", "everyone", "off"], {
        message: "Choose who can comment on this work.",
      })
      .default("registered"),
    moderated_comments: checked,
  })
  .superRefine((v, ctx) => {
    const count =
      v.fandoms.length + v.relationships.length + v.characters.length + v.freeforms.length;
    if (count > limits.userTagsPerWork) {
      ctx.addIssue({
        code: "custom",
        path: ["freeforms"],
        message: `Works can have at most ${limits.userTagsPerWork} fandom, relationship, character and additional tags in all (you have ${count}).`,
      });
    }
  });
export type WorkMetaInput = z.infer<typeof WorkMetaInput>;

const ChapterParts = {
  chapter_title: z
    .string()
    .trim()
    .pipe(
      atMost(
        limits.chapterTitle.max,
        `Chapter titles must be at most ${limits.chapterTitle.max} characters.`,
      ),
    )
    .default(""),
  text: ChapterTextField,
  /**
   * The format the text (and, on these forms, the summary and notes) was typed in
   * (core/text/formats.ts). Absent — a script, a tool written for AO3 — is HTML, which is what
   * the forms took before there was a choice.
   */
  text_format: z
    .enum(TEXT_FORMATS, {
      message: "Choose a text format: Rich text, HTML, Markdown or Plain text.",
    })
    .default("html"),
};

/** Posting a new work: its metadata and the first chapter. */
export const NewWorkInput = z.intersection(
  WorkMetaInput,
  z.object({ ...ChapterParts, action: z.enum(["post", "draft"]).default("post") }),
);
export type NewWorkInput = z.infer<typeof NewWorkInput>;

/**
 * A chapter number as typed, read as AO3 (Ruby's `to_i`) reads it: leading digits, so "3rd" is
 * 3 and "two" or "-1" is at most 0, which puts the chapter first; commands clamp it to the
 * chapters there are, so 2000 puts it last. Blank or absent is null: where it was (or, for a
 * new chapter, last).
 */
export function chapterPosition(value: unknown): number | null {
  if (typeof value !== "string" || value.trim() === "") return null;
  const digits = /^\s*([+-]?\d+)/.exec(value)?.[1];
  return digits === undefined ? 0 : Number(digits);
}

export const ChapterInput = z.object({
  ...ChapterParts,
  position: z.unknown().optional().transform(chapterPosition),
  summary: optionalText(limits.chapterSummary.max, "Chapter summary"),
  notes: optionalText(limits.chapterNotes.max, "Chapter notes"),
  end_notes: optionalText(limits.chapterNotes.max, "Chapter end notes"),
  action: z.enum(["post", "draft"]).default("post"),
});
export type ChapterInput = z.infer<typeof ChapterInput>;

export const WorkParams = z.object({
  workId: z.coerce
    .number({ message: "must be a work number" })
    .int()
    .positive("must be a work number"),
});
export const ChapterParams = WorkParams.extend({
  chapterId: z.coerce
    .number({ message: "must be a chapter number" })
    .int()
    .positive("must be a chapter number"),
});

const flag = z
  .enum(["true", "false", "1", "0"])
  .optional()
  .transform((v) => v === "true" || v === "1");

export const ReadQuery = z.object({
  view_adult: flag,
  view_full_work: flag,
});

/** AO3's short chapter address, `/chapters/:chapterId`. */
export const ChapterIdParams = z.object({ chapterId: ChapterParams.shape.chapterId });

/** The chapter menu on a work page (`/works/ID/chapters?selected_id=C`, AO3's form). */
export const ChapterSelectQuery = z.object({
  selected_id: z.coerce
    .number({ message: "must be a chapter number" })
    .int()
    .positive("must be a chapter number")
    .optional(),
});

export { PageQuery } from "../core/http/params.ts";

/**
 * `position_<chapterId>` fields from the reorder form: chapter id → wanted position, read as
 * chapterPosition reads it (a blank field leaves its chapter where it is).
 */
export const ReorderInput = z.record(z.string(), z.unknown()).transform((values) => {
  const positions = new Map<number, number>();
  for (const [key, value] of Object.entries(values)) {
    const m = /^position_(\d{1,12})$/.exec(key);
    if (!m) continue;
    const wanted = chapterPosition(value);
    if (wanted !== null) positions.set(Number(m[1]), wanted);
  }
  return positions;
});
