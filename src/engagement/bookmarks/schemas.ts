/** What the bookmark form and the bookmark addresses accept. */
import { MAX_RECORD_ID, pageNumber, recordId } from "../../core/http/params.ts";
import { z } from "zod";
import type { JobPayload } from "../../core/jobs/kinds.ts";
import { limits } from "../../core/limits.ts";
import { splitTagList, tagNameProblem } from "../../tags/names.ts";

export const BookmarkParams = z.object({
  id: recordId("bookmark"),
});

export { LoginParams as UserParams } from "../../accounts/schemas.ts";

const checked = z
  .string()
  .optional()
  .transform((v) => v !== undefined && v !== "" && v !== "0");

/** The bookmarker's own tags: comma separated, each checked like any tag name. */
const BookmarkTags = z
  .string()
  .default("")
  .transform((text, ctx) => {
    const names = splitTagList(text);
    for (const name of names) {
      const problem = tagNameProblem(name);
      if (problem) ctx.addIssue({ code: "custom", message: `Your tags: ${problem}` });
    }
    if (names.length > limits.bookmarkTags) {
      ctx.addIssue({
        code: "custom",
        message: `Your tags: a bookmark can have at most ${limits.bookmarkTags} tags (you have ${names.length}).`,
      });
    }
    return names;
  });

export const BookmarkInput = z.object({
  // A form with one pseud sends none; the default pseud is used.
  pseud_id: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce
      .number({ message: "Choose which pseud to bookmark as." })
      .int("Choose which pseud to bookmark as.")
      .positive("Choose which pseud to bookmark as.")
      .max(MAX_RECORD_ID, "Choose which pseud to bookmark as.")
      .optional(),
  ),
  notes: z
    .string()
    .max(
      limits.bookmarkNotes.max,
      `Notes must be at most ${limits.bookmarkNotes.max.toLocaleString("en-US")} characters.`,
    )
    .default(""),
  tags: BookmarkTags,
  private: checked,
  rec: checked,
});
export type BookmarkInput = z.infer<typeof BookmarkInput>;

export const BookmarkListQuery = z.object({
  page: pageNumber,
  tag: z
    .string()
    .trim()
    .max(limits.tagName.max, `must be at most ${limits.tagName.max} characters`)
    .optional()
    .transform((v) => (v === "" ? undefined : v)),
  recs: z
    .enum(["1", "0", "true", "false"], { message: "must be 1 or 0" })
    .optional()
    .transform((v) => v === "1" || v === "true"),
});
export type BookmarkListQuery = z.infer<typeof BookmarkListQuery>;

/**
 * The `work.deleted` event (works/commands.ts): what was known of the work, kept on its
 * bookmarks. Its schema is in core/jobs/kinds.ts with every other job's.
 */
export type WorkDeleted = JobPayload<"work.deleted">;
