/** What the collection pages accept (issue 15), one zod schema per form or address. */
import { z } from "zod";
import { limits } from "../core/limits.ts";
import { PageQuery, recordId } from "../core/http/params.ts";
import { charCount } from "../core/text/input-text.ts";
import { collectionNameProblem } from "./names.ts";

const atMost = (max: number, label: string) =>
  z
    .string()
    .refine(
      (t) => charCount(t) <= max,
      `${label} must be at most ${max.toLocaleString("en-US")} characters.`,
    );

const checked = z
  .string()
  .optional()
  .transform((v) => v !== undefined && v !== "" && v !== "0");

/**
 * A reveal date as the form's `datetime-local` field sends it ("2026-12-24T18:00"), or a day
 * alone ("2026-12-24", midnight), both read as UTC; blank is no date. Epoch milliseconds.
 */
export const RevealDate = z
  .string()
  .trim()
  .default("")
  .transform((v, ctx) => {
    if (v === "") return null;
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/.exec(v);
    const at = m
      ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0))
      : NaN;
    // Date.UTC rolls 2026-02-31 over into March: a date that reads back differently is wrong.
    if (!m || Number.isNaN(at) || !revealDateValue(at).startsWith(`${m[1]}-${m[2]}-${m[3]}`)) {
      ctx.addIssue({
        code: "custom",
        message: "Enter a date as YYYY-MM-DD, with a time if you like (UTC).",
      });
      return z.NEVER;
    }
    return at;
  });

/** A stored reveal time as the form's field shows it. */
export const revealDateValue = (at: number | null): string =>
  at === null ? "" : new Date(at).toISOString().slice(0, 16);

const settings = {
  title: z
    .string()
    .trim()
    .min(limits.collectionTitle.min, "Please enter a title.")
    .pipe(atMost(limits.collectionTitle.max, "Titles")),
  description: atMost(limits.collectionDescription.max, "The description").default(""),
  rules: atMost(limits.collectionRules.max, "The rules").default(""),
  /** The parent collection's name: this one becomes its subcollection. */
  parent_name: z
    .string()
    .trim()
    .max(limits.collectionName.max + 10)
    .default(""),
  moderated: checked,
  closed: checked,
  anonymous: checked,
  unrevealed: checked,
  reveal_works_at: RevealDate,
  reveal_creators_at: RevealDate,
};

export const CollectionSettingsInput = z.object(settings);
export type CollectionSettingsInput = z.infer<typeof CollectionSettingsInput>;

export const NewCollectionInput = z.object({
  name: z
    .string()
    .trim()
    .superRefine((name, ctx) => {
      const problem = collectionNameProblem(name);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  ...settings,
});
export type NewCollectionInput = z.infer<typeof NewCollectionInput>;

/** `/collections/:name`: looked up ignoring case; a name that cannot exist is simply not found. */
export const CollectionParams = z.object({
  name: z.string().min(1).max(limits.collectionName.max),
});

export const ItemParams = CollectionParams.extend({ workId: recordId("work") });

export const ParticipantParams = CollectionParams.extend({ userId: recordId("user") });

export const QueueQuery = PageQuery.extend({
  status: z
    .enum(["pending", "approved", "rejected"], {
      message: 'must be "pending", "approved" or "rejected"',
    })
    .default("pending"),
});

export const ParticipantInput = z.object({
  login: z.string().trim().min(1, "Enter the user name of the person to add.").max(100),
  role: z.enum(["owner", "moderator", "member"], {
    message: "Choose owner, moderator or member.",
  }),
});

export const RoleInput = z.object({
  role: z.enum(["owner", "moderator", "member"], {
    message: "Choose owner, moderator or member.",
  }),
});

/** "Add to collections" from a work's page: names, comma-separated, as the work form takes them. */
export const AddToCollectionsInput = z.object({
  collection_names: z
    .string()
    .max(4_000)
    .refine((v) => v.trim() !== "", "Enter the name of a collection."),
});

export const UserItemParams = z.object({
  login: z.string().max(100),
  collectionId: recordId("collection"),
  workId: recordId("work"),
});

export const LoginParams = z.object({ login: z.string().max(100) });
