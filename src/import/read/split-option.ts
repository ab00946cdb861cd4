/**
 * ChapterSplit as people type it: `auto`, `none`, `heading:N`, `marker:TEXT` (the command
 * line's `--split`, and the web form's values). Unknown values are a 422 naming the field.
 */
import { ImportError, type ChapterSplit } from "../types.ts";

export function parseSplit(value: string | undefined): ChapterSplit {
  const v = (value ?? "auto").trim();
  if (v === "" || v === "auto") return { kind: "auto" };
  if (v === "none") return { kind: "none" };
  const heading = /^heading:([1-6])$/.exec(v);
  if (heading) return { kind: "heading", level: Number(heading[1]) };
  if (v.startsWith("marker:") && v.slice(7).trim() !== "")
    return { kind: "marker", marker: v.slice(7) };
  throw new ImportError(
    422,
    `split: "${value}" is not one of auto, none, heading:1 to heading:6, marker:TEXT.`,
  );
}

export function describeSplit(split: ChapterSplit): string {
  switch (split.kind) {
    case "auto":
      return "auto";
    case "none":
      return "none";
    case "heading":
      return `heading:${split.level}`;
    case "marker":
      return `marker:${split.marker}`;
  }
}
