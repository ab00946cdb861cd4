/** What the co-creator routes accept (issue 15). */
import { z } from "zod";
import { recordId } from "../../core/http/params.ts";
import { LoginParams } from "../../accounts/schemas.ts";
import { limits } from "../../core/limits.ts";
import { MAX_NAMES, NAMES_FIELD } from "./names.ts";

export const SeriesParams = z.object({ seriesId: recordId("series") });

/** The "Add co-creators" field: names of up to 40 characters, MAX_NAMES of them, with room. */
const namesText = z
  .string()
  .max(
    MAX_NAMES * (2 * limits.pseudName.max + 8),
    `Invite at most ${MAX_NAMES} co-creators at a time.`,
  );

export const InviteInput = z.object({ [NAMES_FIELD]: namesText.default("") });

export const RequestsParams = LoginParams;

/** Accept or reject one invitation (`invitation_id`) or all of them (`all=1`). */
export const AnswerInput = z
  .object({
    decision: z.enum(["accept", "reject"], { message: 'must be "accept" or "reject"' }),
    invitation_id: recordId("invitation").optional(),
    all: z.literal("1", { message: 'must be "1"' }).optional(),
  })
  .refine((v) => (v.invitation_id === undefined) !== (v.all === undefined), {
    message: "Choose one invitation, or all of them.",
    path: ["invitation_id"],
  });
