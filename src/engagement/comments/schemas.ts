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

/** An id a form may leave empty: `""` means none was chosen. */
const optionalId = (what: string) =>
  z.preprocess((v) => (v === "" ? undefined : v), id(what).optional());

export const GUEST_NAME_MISSING = "Name: please enter a name to sign your comment with.";
export const GUEST_EMAIL_MISSING = "Email: please enter your email address (it is never shown).";

const commentFields = {
  comment_content: CommentText,
  /** The chapter page the form was on; absent on the entire-work page (and ignored on replies). */
  chapter_id: optionalId("chapter"),
};

/** A guest signs with a name, shown on the comment, and an email address, never shown. */
const GuestComment = z.object({
  ...commentFields,
  signed_as: z.literal("guest"),
  name: z
    .string({ message: GUEST_NAME_MISSING })
    .trim()
    .min(1, GUEST_NAME_MISSING)
    .max(
      limits.commentGuestName.max,
      `Name must be at most ${limits.commentGuestName.max} characters.`,
    ),
  email: z
    .string({ message: GUEST_EMAIL_MISSING })
    .trim()
    .min(1, GUEST_EMAIL_MISSING)
    .max(limits.email.max, `Email must be at most ${limits.email.max} characters.`)
    .pipe(z.email("Email: please enter a valid email address, like name@example.org.")),
});

/** A logged-in commenter signs with one of their pseuds (default: their default pseud). */
const AccountComment = z.object({
  ...commentFields,
  signed_as: z.literal("account"),
  pseud_id: optionalId("pseud"),
});

/**
 * A new comment or a reply, from the one comment form. Its variant follows what the form
 * carries: the guest form has name and email fields, the account form has none. Whether the
 * sender is a guest is the session's to say, not the form's, so postComment refuses a guest
 * whose form came without them (and signs a logged-in reader with their pseud, whatever the form).
 */
export const CommentInput = z.preprocess(
  (form) =>
    typeof form === "object" && form !== null
      ? {
          ...form,
          signed_as:
            Object.hasOwn(form, "name") || Object.hasOwn(form, "email") ? "guest" : "account",
        }
      : form,
  z.discriminatedUnion("signed_as", [GuestComment, AccountComment]),
);
export type CommentInput = z.output<typeof CommentInput>;

export const EditInput = z.object({ comment_content: CommentText });

export const PageQuery = z.object({
  page: pageNumber,
});
