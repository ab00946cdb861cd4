/**
 * What the sanitizer takes out of a piece of HTML, for previews ("removed: 1 script, 2 style
 * attributes"): writers see what will not survive before anything is posted. Read from the
 * input with the same allowlist the sanitizer uses (sanitize.ts), so the two cannot disagree
 * on what is allowed.
 */
import { Parser } from "htmlparser2";
import { DROP_CONTENT_TAGS, SANITIZER_ALLOWLIST } from "./sanitize.ts";

/** "script" → how many `<script>` elements; "style attribute" → how many style attributes. */
export type RemovedCounts = ReadonlyMap<string, number>;

const ALLOWED_TAGS = new Set(SANITIZER_ALLOWLIST.tags);
const DROPS_CONTENT = new Set(DROP_CONTENT_TAGS);
const UNSAFE_URL = /^\s*(?![a-z][a-z0-9+.-]*:)|^\s*(?:https?|mailto):/i;

function allowedAttribute(tag: string, name: string): boolean {
  const { attributes } = SANITIZER_ALLOWLIST;
  return (attributes["*"] ?? []).includes(name) || (attributes[tag] ?? []).includes(name);
}

/** Elements and attributes of `html` that the allowlist drops, counted by kind. */
export function removedByAllowlist(html: string): RemovedCounts {
  const counts = new Map<string, number>();
  const add = (what: string) => counts.set(what, (counts.get(what) ?? 0) + 1);
  let dropDepth = 0;
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (dropDepth > 0) return;
        if (!ALLOWED_TAGS.has(name)) {
          add(name);
          if (DROPS_CONTENT.has(name)) dropDepth++;
          return;
        }
        for (const [attr, value] of Object.entries(attribs)) {
          if (!allowedAttribute(name, attr)) add(`${attr} attribute`);
          else if (SANITIZER_ALLOWLIST.urlAttributes.includes(attr) && !UNSAFE_URL.test(value))
            add("unsafe link");
        }
      },
      onclosetag(name) {
        if (dropDepth > 0 && DROPS_CONTENT.has(name)) dropDepth--;
      },
      oncomment() {
        if (dropDepth === 0) add("comment");
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return counts;
}

const plural = (n: number, what: string) =>
  n === 1 ? `1 ${what}` : `${n.toLocaleString("en-US")} ${what}s`;

/** "removed: 1 script, 2 style attributes", or "" when nothing was removed. */
export function describeRemoved(counts: RemovedCounts): string {
  if (counts.size === 0) return "";
  const parts = [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([what, n]) => plural(n, what));
  return `removed: ${parts.join(", ")}`;
}

/** Adds up several reports (an import's chapters). */
export function mergeRemoved(reports: Iterable<RemovedCounts>): RemovedCounts {
  const out = new Map<string, number>();
  for (const r of reports) for (const [k, n] of r) out.set(k, (out.get(k) ?? 0) + n);
  return out;
}
