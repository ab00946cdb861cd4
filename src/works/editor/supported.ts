/**
 * What the rich-text editor (editor.ts) can hold without changing it. Text with anything else
 * (a table, a class, an alignment) would lose it on the way through the editor, so such text
 * stays in the HTML textarea: the edit form starts in HTML for it (works/routes/chapters.tsx)
 * and the editor refuses to take it over. Shared by the browser bundle and the server, so the
 * two cannot disagree; it imports nothing.
 */

/** Elements the editor's schema parses back into the same element (or its twin: b → strong). */
const EDITOR_TAGS: ReadonlySet<string> = new Set([
  "p",
  "br",
  "strong",
  "b",
  "em",
  "i",
  "u",
  "s",
  "strike",
  "del",
  "code",
  "pre",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "ul",
  "ol",
  "li",
  "blockquote",
  "a",
  "hr",
]);

/** Attributes the editor keeps, per element (links are given their `rel` again on output). */
const EDITOR_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  a: ["href", "rel"],
  ol: ["start"],
};

/**
 * What the editor would drop from one element: its name (`table`), or its attributes
 * (`class attribute`); empty when it keeps the element whole.
 */
export function lostInEditor(tag: string, attributes: readonly string[]): string[] {
  const name = tag.toLowerCase();
  if (!EDITOR_TAGS.has(name)) return [name];
  const kept = EDITOR_ATTRIBUTES[name] ?? [];
  return attributes
    .map((a) => a.toLowerCase())
    .filter((a) => !kept.includes(a))
    .map((a) => `${a} attribute`);
}

/** "a table and a class attribute", for the message that keeps text in HTML. */
export function describeLost(lost: Iterable<string>): string {
  const names = [...new Set(lost)].map((what) =>
    /^[aeiou]/.test(what) ? `an ${what}` : `a ${what}`,
  );
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
