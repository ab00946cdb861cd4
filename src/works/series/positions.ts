/**
 * Where works go in a series (issue 15), as plain functions over ids in order: the commands
 * store the result as positions 1..n, so "Part N" never skips or repeats.
 */

/** A part number as asked for, clamped as chapters are: past the end is last, below 1 first. */
export const clampPart = (wanted: number, count: number) =>
  Math.min(Math.max(wanted, 1), Math.max(count, 1));

/**
 * `ids` with `id` put at part `wanted` (1-based, clamped), or kept where it is, or last when
 * new, when `wanted` is null. Works it does not name keep their order.
 */
export function placed(ids: readonly number[], id: number, wanted: number | null): number[] {
  const present = ids.includes(id);
  if (wanted === null) return present ? [...ids] : [...ids, id];
  const rest = ids.filter((other) => other !== id);
  rest.splice(clampPart(wanted, rest.length + 1) - 1, 0, id);
  return rest;
}

/** `ids` without `id`: the works after it move up one part. */
export const without = (ids: readonly number[], id: number): number[] =>
  ids.filter((other) => other !== id);

/**
 * The series in the order its creator asked for on the edit page: `asked` maps work ids to
 * the part typed for them; the others ask for the part they have. When two works ask for one
 * part, the one moved there comes first if it moved up, after if it moved down (as chapters
 * reorder: moving part 3 to 1 puts it before the old part 1, part 1 to 3 after the old 3).
 */
export function reordered(ids: readonly number[], asked: ReadonlyMap<number, number>): number[] {
  const items = ids.map((id, i) => {
    const position = i + 1;
    const wants = asked.get(id) ?? position;
    const part = clampPart(wants, ids.length);
    return { id, position, wants, part, moved: Math.sign(part - position) };
  });
  return items
    .sort(
      (a, b) =>
        a.part - b.part || a.moved - b.moved || a.wants - b.wants || a.position - b.position,
    )
    .map((item) => item.id);
}

/**
 * A part number typed in a form: blank is null (last, or where it is); digits are the part.
 * Anything else is undefined, which the form refuses.
 */
export function partNumber(value: string | undefined): number | null | undefined {
  const text = (value ?? "").trim();
  if (text === "") return null;
  if (!/^\d{1,9}$/.test(text)) return undefined;
  return Number(text);
}
