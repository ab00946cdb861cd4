/** What comment forms and addresses may carry; every message names its field. */
import { pageNumber, recordId } from "../../core/http/params.ts";
import { z } from "zod";
import { limits } from "../../core/limits.ts";

const id = recordId;

export const CommentParams = z.object({ id: id("comment") });
export const WorkParams = z.object({ workId: id("work") });

const max = limits.commentText.max;
export const CommentText = z
  .string({ message: "Comment: please write something before posting." })
  .refine((t) => t.trim() !== "", "Comment: please write something before posting.")
  .superRefine((t, ctx) => {
    if (t.length > max)
      ctx.addIssue({
        code: "custom",
        message: `Comment must be at most ${max.toLocaleString("en-US")} characters (yours has ${t.length.toLocaleString("en-US")}).`,
      });
  });

export const CommentInput = z.object({
  comment_content: CommentText,
  /** The chapter page the form was on; absent on the entire-work page. */
  chapter_id: z.preprocess((v) => (v === "" ? undefined : v), id("chapter").optional()),
  /** Which of a logged-in commenter's pseuds signs (default: their default pseud). */
  pseud_id: z.preprocess((v) => (v === "" ? undefined : v), id("pseud").optional()),
  // Checked by GuestInput when the commenter is a guest; ignored otherwise.
  name: z.string().optional(),
  email: z.string().optional(),
});

export const GuestInput = z.object({
  name: z
    .string({ message: "Name: please enter a name to sign your comment with." })
    .trim()
    .min(1, "Name: please enter a name to sign your comment with.")
    .max(
      limits.commentGuestName.max,
      `Name must be at most ${limits.commentGuestName.max} characters.`,
    ),
  email: z
    .string({ message: "Email: please enter your email address (it is never shown)." })
    .trim()
    .min(1, "Email: please enter your email address (it is never shown).")
    .max(limits.email.max, `Email must be at most ${limits.email.max} characters.`)
    .pipe(z.email("Email: please enter a valid email address, like name@example.org.")),
});

export const EditInput = z.object({ comment_content: CommentText });

export const PageQuery = z.object({
  page: pageNumber,
});
