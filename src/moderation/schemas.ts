/** What report forms and moderator forms may carry (zod), and the report vocabulary. */
import { z } from "zod";
import { recordId } from "../core/http/params.ts";
import type { ReportStatus, ReportSubjectType } from "../core/db/schema.ts";

export const SUBJECT_TYPES = [
  "work",
  "chapter",
  "comment",
  "bookmark",
  "tag",
  "user",
] as const satisfies readonly ReportSubjectType[];

export const REPORT_STATUSES = [
  "open",
  "dismissed",
  "actioned",
] as const satisfies readonly ReportStatus[];

/** Why something is reported; the queue filters and sorts nothing by it, moderators read it. */
export const CATEGORIES = {
  spam: "Spam",
  harassment: "Harassment",
  hate: "Hate speech",
  illegal: "Illegal content",
  plagiarism: "Plagiarism",
  misrated: "Mis-rated or mis-tagged",
  other: "Other",
} as const;
export type Category = keyof typeof CATEGORIES;
const CATEGORY_KEYS = Object.keys(CATEGORIES) as [Category, ...Category[]];

/** Content a moderator can hide and unhide (the tables with `hidden_reason`). */
export const HIDEABLE = ["work", "comment", "bookmark"] as const;
export type Hideable = (typeof HIDEABLE)[number];

export const LIMITS = { details: 2_000, reason: 1_000, message: 2_000, email: 254 } as const;

const subjectType = z.enum(SUBJECT_TYPES, {
  message: `must be one of ${SUBJECT_TYPES.join(", ")}`,
});

/** `/reports/new?type=work&id=12`. */
export const ReportTarget = z.object({
  type: subjectType,
  id: recordId("content"),
});
export type ReportTarget = z.infer<typeof ReportTarget>;

const text = (max: number, what: string) =>
  z.string().trim().max(max, `${what} must be at most ${max} characters.`);

/** The report form; a guest must also give an e-mail (checked in the handler, by viewer). */
export const ReportInput = z.object({
  category: z.enum(CATEGORY_KEYS, { message: "Choose what kind of problem this is." }),
  details: text(LIMITS.details, "Details").default(""),
  email: z
    .string()
    .trim()
    .max(LIMITS.email, "Email is too long.")
    .pipe(z.union([z.literal(""), z.email("Enter a valid email address.")]))
    .optional(),
});
export type ReportInput = z.infer<typeof ReportInput>;

/** The queue's filters: `?status=open&type=work&user=login`. */
export const QueueQuery = z.object({
  status: z
    .enum([...REPORT_STATUSES, "all"], { message: "must be open, dismissed, actioned or all" })
    .default("open"),
  type: z.union([z.literal(""), subjectType]).optional(),
  user: z.string().trim().max(100).optional(),
  page: z.coerce.number({ message: "must be a page number" }).int().min(1).max(1000).default(1),
});
export type QueueQuery = z.infer<typeof QueueQuery>;

export const ReportParams = z.object({ id: recordId("report") });
export const ContentParams = z.object({
  type: z.enum(HIDEABLE, { message: `must be one of ${HIDEABLE.join(", ")}` }),
  id: recordId("content"),
});
export const LoginParams = z.object({ login: z.string().trim().min(1).max(100) });

/** Which report an action came from (it is resolved with the action); optional. */
const reportId = z.union([z.literal(""), recordId("report")]).optional();
const reason = (what: string) =>
  text(LIMITS.reason, what).min(1, `${what}: please say why (the owner is told).`);

export const DismissInput = z.object({ note: text(LIMITS.reason, "Note").default("") });
export const HideInput = z.object({ reason: reason("Reason"), report_id: reportId });
export const UnhideInput = z.object({ report_id: reportId });
export const DeleteInput = z.object({
  reason: reason("Reason"),
  confirm: z.literal("1", { message: "Tick the box to confirm: deleting cannot be undone." }),
  report_id: reportId,
});
export const WarnInput = z.object({
  message: text(LIMITS.message, "Message").min(1, "Message: write the warning the user will read."),
  report_id: reportId,
});
export const SuspendInput = z.object({
  days: z.coerce
    .number({ message: "Days: enter a number of days from 1 to 365." })
    .int("Days: enter a whole number of days.")
    .min(1, "Days: at least 1.")
    .max(365, "Days: at most 365."),
  suspend_reason: reason("Reason"),
  report_id: reportId,
});
export const BanInput = z.object({
  ban_reason: reason("Reason"),
  confirm: z.literal("1", { message: "Tick the box to confirm the ban." }),
  report_id: reportId,
});
export const LiftInput = z.object({ reason: text(LIMITS.reason, "Reason").default("") });

/** An optional report id from a form: a number, or undefined. */
export const reportIdOf = (v: number | "" | undefined): number | undefined =>
  v === "" || v === undefined ? undefined : v;
