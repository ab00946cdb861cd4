/**
 * How titles and creator names sort: case- and accent-insensitive, leading articles ignored
 * ("The Long Way Round" sorts under L), as AO3's title_to_sort_on does.
 */
export function sortKey(text: string): string {
  // Printable ASCII has no decompositions and no marks: normalizing it (a third of a
  // start-up's key making, a million titles) changes nothing.
  return (PRINTABLE_ASCII.test(text) ? text : text.normalize("NFKD").replace(/\p{M}+/gu, ""))
    .toLowerCase()
    .replace(/^[\s\p{P}]+/u, "")
    .replace(/^(the|a|an)\s+/, "")
    .trim();
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
