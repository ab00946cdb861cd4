import { z } from "zod";
import { limits } from "../../core/limits.ts";
import { recordId } from "../../core/http/params.ts";
import { charCount } from "../../core/text/input-text.ts";
import { partNumber } from "./positions.ts";

/** `/series/:seriesId/…` (the address part every series route shares). */
export const SeriesParams = z.object({ seriesId: recordId("series") });

/** A series' title, summary and notes take a work's lengths (AO3's are the same). */
const atMost = (max: number, label: string) =>
  z
    .string()
    .refine(
      (t) => charCount(t) <= max,
      `${label} must be at most ${max.toLocaleString("en-US")} characters.`,
    );

const SeriesText = z.object({
  title: z
    .string()
    .trim()
    .min(1, "Please enter a title.")
    .pipe(atMost(limits.workTitle.max, "Titles")),
  summary: atMost(limits.workSummary.max, "Summary").default(""),
  notes: atMost(limits.workNotes.max, "Notes").default(""),
});

/** The field of the part typed for a work on the edit page. */
export const partField = (workId: number) => `part_${workId}`;

/**
 * `part_<workId>` fields of the edit page: work id → the part typed (blank leaves the work
 * where it is; anything but digits is refused at its field).
 */
const Parts = z.record(z.string(), z.unknown()).transform((values, ctx) => {
  const parts = new Map<number, number>();
  for (const [key, value] of Object.entries(values)) {
    const m = /^part_(\d{1,10})$/.exec(key);
    if (!m) continue;
    const part = partNumber(typeof value === "string" ? value : undefined);
    if (part === undefined)
      ctx.addIssue({ code: "custom", path: [key], message: "Enter a part number." });
    else if (part !== null) parts.set(Number(m[1]), part);
  }
  return { parts };
});

export const SeriesInput = z.intersection(SeriesText, Parts);
export type SeriesInput = z.infer<typeof SeriesInput>;
