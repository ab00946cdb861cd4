/**
 * How titles and creator names sort: case- and accent-insensitive, leading articles ignored
 * ("The Long Way Round" sorts under L), as AO3's title_to_sort_on does.
 */
export function sortKey(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/^[\s\p{P}]+/u, "")
    .replace(/^(the|a|an)\s+/, "")
    .trim();
}
