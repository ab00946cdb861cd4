import { z } from "zod";

export const TagNameParams = z.object({ name: z.string().min(1).max(1_000) });
export const TagParentParams = TagNameParams.extend({
  parentId: z.coerce
    .number({ message: "must be a tag number" })
    .int()
    .positive("must be a tag number"),
});

const name = (label: string) =>
  z.string().trim().min(1, `Enter ${label}.`).max(1_000, `${label} is too long.`);

export const CanonicalInput = z.object({ canonical: z.string().optional() });
export const SynonymInput = z.object({ canonical: name("the canonical tag") });
export const ParentInput = z.object({ parent: name("the parent tag") });
export const RenameInput = z.object({ name: name("the new name") });

export const WrangleQuery = z.object({
  type: z.enum(["character", "relationship", "freeform"]).default("character"),
});

export const MassWrangleInput = z
  .object({
    tag_ids: z.preprocess(
      (v): unknown[] => (v === undefined ? [] : Array.isArray(v) ? (v as unknown[]) : [v]),
      z.array(z.coerce.number().int().positive()).min(1, "Choose at least one tag.").max(500),
    ),
    fandom: z.string().trim().max(1_000).default(""),
    canonical: z.string().trim().max(1_000).default(""),
  })
  .refine((v) => (v.fandom === "") !== (v.canonical === ""), {
    path: ["fandom"],
    message:
      "Give either a fandom to assign or a canonical tag to make them synonyms of (one, not both).",
  });
