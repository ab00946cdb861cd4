/** What the spam pages' addresses and forms may carry. */
import { z } from "zod";
import { recordId } from "../../core/http/params.ts";

/** `/admin/spam?before=N`: held items older than event N (the next page). */
export const HeldQuery = z.object({
  before: z.preprocess((v) => (v === "" ? undefined : v), recordId("held item").optional()),
});

/** `/admin/spam/:type/:id/…`: a comment or a work. */
export const SubjectParams = z.object({
  type: z.enum(["comment", "work"], { message: 'must be "comment" or "work"' }),
  id: recordId("comment or work"),
});

const reason = z
  .string()
  .trim()
  .max(1000, "The reason is at most 1000 characters.")
  .optional()
  .transform((v) => v ?? "");

export const MarkInput = z.object({ reason });

export const LoginParams = z.object({
  login: z.string().min(1, "must be a username").max(100, "must be a username"),
});

/** Removing a spammer's content: the box must be ticked (the confirmation), a reason may be given. */
export const RemoveSpamInput = z.object({
  confirm: z.literal("1", {
    message:
      "Tick the box to confirm that this account's content should be hidden and the account banned.",
  }),
  reason,
});
