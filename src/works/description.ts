/**
 * A work page's meta description: its summary as plain text, shortened. Turning the summary
 * into text takes a sanitizer pass (some 5 % of a guest's work page), so the last few
 * hundred are kept, keyed by the summary itself: a changed summary is another key.
 */
import { htmlExcerpt, META_DESCRIPTION_LENGTH } from "../core/text/excerpt.ts";

const KEPT = 500;
/** Longer summaries are worked out each time (they would crowd the memory out). */
const MAX_KEY_LENGTH = 4096;
// A Map iterates in insertion order: the oldest goes first.
const descriptions = new Map<string, string>();

export function workDescription(summaryHtml: string): string {
  const known = descriptions.get(summaryHtml);
  if (known !== undefined) return known;
  const made = htmlExcerpt(summaryHtml, META_DESCRIPTION_LENGTH);
  if (summaryHtml.length <= MAX_KEY_LENGTH) {
    descriptions.set(summaryHtml, made);
    if (descriptions.size > KEPT) descriptions.delete(descriptions.keys().next().value!);
  }
  return made;
}
