/**
 * Runs public XSS corpora (../shared/data, see each folder's SOURCE.md) through the sanitizer and
 * checks the *structure* of the output: which tags and attributes it contains after parsing it
 * again, not substrings of its text (text like "onerror=" may legitimately appear, escaped),
 * then the same for what reading pages make of it (paragraph ids). The checks here use their own
 * copy of the allowlist; test/support/html-allowlist.ts holds output to the sanitizer's.
 */
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import sanitize from "sanitize-html";
import { ALLOWED_TAG_NAMES, formatUserText, sanitizeHtml } from "./sanitize.ts";
import { chapterPrefix, withParagraphIds } from "./paragraphs.ts";
import { skipUnless } from "../../../test/support/skip.ts";
import { allowlistProblems } from "../../../test/support/html-allowlist.ts";

const DATA = join(process.cwd(), "..", "shared", "data");
const HTML5SEC = join(DATA, "xss-html5sec");
const DOMPURIFY = join(DATA, "xss-dompurify-fixtures");

const ALLOWED_TAGS = new Set(ALLOWED_TAG_NAMES);
const GLOBAL_ATTRIBUTES = ["class", "dir", "align", "lang", "title"];
const SIZE = ["width", "height", "align"];
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ["href", "name", "title", "rel"],
  img: ["src", "alt", "title", "width", "height", "align"],
  table: SIZE,
  td: [...SIZE, "colspan", "rowspan"],
  th: [...SIZE, "colspan", "rowspan"],
  col: [...SIZE, "span"],
  colgroup: [...SIZE, "span"],
  ol: ["start", "type"],
  ul: ["type"],
  blockquote: ["cite"],
  q: ["cite"],
  ins: ["cite"],
  del: ["cite"],
  abbr: ["title"],
  acronym: ["title"],
  details: ["open"],
};
const URL_ATTRIBUTES = new Set(["href", "src", "cite"]);
const FORBIDDEN_TAGS = [
  "script",
  "iframe",
  "object",
  "embed",
  "svg",
  "math",
  "form",
  "input",
  "style",
  "link",
  "meta",
  "base",
  "frame",
  "frameset",
  "applet",
  "template",
  "textarea",
  "button",
  "foreignobject",
  "use",
];

/** The scheme a browser would see (WHATWG URL parsing strips C0/space at the ends, tab/LF/CR inside). */
function urlScheme(value: string): string | null {
  // eslint-disable-next-line no-control-regex
  const cleaned = value.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, "").replace(/[\t\n\r]/g, "");
  return /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(cleaned)?.[1]?.toLowerCase() ?? null;
}

/** The ids withParagraphIds adds, allowed after it. */
const PARAGRAPH_ID = /^chapter-\d+-p\d+$/;

/** Everything wrong with `html` as sanitizer output; empty when it is safe. */
function problems(html: string, ids = false): string[] {
  const found: string[] = [];

  // 1. Lexically: every "<" must open or close an allowed tag (text "<" is always escaped).
  for (const m of html.matchAll(/<(\/?)([^\s/>]*)/g)) {
    const name = (m[2] ?? "").toLowerCase();
    if (!ALLOWED_TAGS.has(name)) found.push(`markup other than an allowed tag: ${m[0]}`);
    if (FORBIDDEN_TAGS.includes(name)) found.push(`forbidden tag <${name}>`);
  }
  // Inside tag openings only (attribute values cannot contain "<" or ">": they are escaped).
  // Quoted values are blanked first: `alt="&gt;&lt;img onerror=x"` is text, not an attribute.
  for (const m of html.matchAll(/<[A-Za-z][^<>]*>/g)) {
    const names = m[0].replace(/"[^"]*"|'[^']*'/g, '""');
    if (/\son[a-z0-9_-]*\s*=/i.test(names)) found.push(`event handler in ${m[0]}`);
    if (/\sstyle\s*=/i.test(names)) found.push(`style attribute in ${m[0]}`);
  }
  if (/<!|<\?/.test(html)) found.push("comment, doctype, CDATA or processing instruction");

  // 2. Structurally: parse again with the same parser and inspect every element and attribute.
  sanitize(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    onOpenTag: (name, attribs) => {
      if (!ALLOWED_TAGS.has(name)) found.push(`re-parsed element <${name}>`);
      const allowed = [...GLOBAL_ATTRIBUTES, ...(ALLOWED_ATTRIBUTES[name] ?? [])];
      for (const [attr, value] of Object.entries(attribs)) {
        const ourId = ids && attr === "id" && PARAGRAPH_ID.test(value);
        if (!allowed.includes(attr) && !ourId) found.push(`attribute ${attr} on <${name}>`);
        if (/^on/i.test(attr)) found.push(`event handler ${attr} on <${name}>`);
        if (attr === "style") found.push(`style on <${name}>`);
        if (URL_ATTRIBUTES.has(attr)) {
          const scheme = urlScheme(value);
          const ok = name === "img" ? ["http", "https"] : ["http", "https", "mailto"];
          if (scheme !== null && !ok.includes(scheme)) {
            found.push(`${scheme}: URL in ${attr} on <${name}>: ${value}`);
          }
        }
      }
    },
  });
  return found;
}

/** Guards against a checker that passes everything: most raw payloads must be flagged. */
function assertCheckerHasTeeth(payloads: { html: string }[]): void {
  const flagged = payloads.filter(({ html }) => problems(html).length > 0).length;
  assert.ok(
    flagged / payloads.length > 0.8,
    `checker flagged only ${flagged}/${payloads.length} raw payloads`,
  );
}

function checkAll(payloads: { id: string; html: string }[]): string[] {
  const failures: string[] = [];
  for (const { id, html } of payloads) {
    const sanitized = sanitizeHtml(html);
    const formatted = formatUserText(html);
    // Then what reading pages do to it: give paragraphs their ids.
    for (const [fn, out, ids] of [
      ["sanitizeHtml", sanitized, false],
      ["formatUserText", formatted, false],
      ["sanitizeHtml + withParagraphIds", withParagraphIds(sanitized, chapterPrefix(3)), true],
      ["formatUserText + withParagraphIds", withParagraphIds(formatted, chapterPrefix(3)), true],
    ] as const) {
      const found = [...problems(out, ids), ...allowlistProblems(out, ids ? PARAGRAPH_ID : null)];
      if (found.length > 0) {
        failures.push(`${id} via ${fn}: ${found.join("; ")}\n  input:  ${html}\n  output: ${out}`);
      }
      // Re-saving must not change anything (and must stay safe).
      if (fn === "formatUserText" && formatUserText(out) !== out) {
        failures.push(`${id}: formatUserText not idempotent\n  output: ${out}`);
      }
    }
  }
  return failures;
}

describe("the structural checker itself", () => {
  test("flags what it should", () => {
    assert.notDeepEqual(problems("<script>x</script>"), []);
    assert.notDeepEqual(problems('<img src="x" onerror="alert(1)" />'), []);
    assert.notDeepEqual(problems('<a href=" jav&#x09;ascript:alert(1)">x</a>'), []);
    assert.notDeepEqual(problems('<img src="data:image/svg+xml,x" />'), []);
    assert.notDeepEqual(problems('<p style="x">y</p>'), []);
    assert.notDeepEqual(problems("<svg></svg>"), []);
    assert.notDeepEqual(problems("<!-- x -->"), []);
    assert.notDeepEqual(problems('<img alt="x" onerror=alert(1) />'), []);
  });

  test("accepts escaped look-alikes in text", () => {
    assert.deepEqual(problems("<p>&lt;script&gt; onerror=alert(1) javascript:x style=y</p>"), []);
    assert.deepEqual(problems('<img alt="&gt;&lt;img src=x onerror=alert(1)" />'), []);
    assert.deepEqual(
      problems('<a href="https://e.example/?q=javascript:x" rel="nofollow">x</a>'),
      [],
    );
  });
});

describe("XSS corpora", () => {
  test("html5sec.org vectors are neutralized", (t) => {
    const file = join(HTML5SEC, "html5sec-items.json");
    if (skipUnless(t, existsSync(file), `${file} not found (../shared/data is optional)`)) return;
    const data = JSON.parse(readFileSync(file, "utf8")) as {
      items: { id: number; name: string; vector: string }[];
    };
    assert.ok(data.items.length > 100, "expected the full corpus");
    const payloads = data.items.map((item) => ({
      id: `html5sec #${item.id} (${item.name})`,
      html: item.vector,
    }));
    assertCheckerHasTeeth(payloads);
    assert.deepEqual(checkAll(payloads), []);
  });

  test("html5sec.org rendered vectors.txt is neutralized as one document", (t) => {
    const file = join(HTML5SEC, "vectors.txt");
    if (skipUnless(t, existsSync(file), `${file} not found (../shared/data is optional)`)) return;
    assert.deepEqual(checkAll([{ id: "vectors.txt", html: readFileSync(file, "utf8") }]), []);
  });

  test("DOMPurify fixture payloads are neutralized", (t) => {
    const file = join(DOMPURIFY, "dompurify-expect.json");
    if (skipUnless(t, existsSync(file), `${file} not found (../shared/data is optional)`)) return;
    const data = JSON.parse(readFileSync(file, "utf8")) as { title?: string; payload: string }[];
    assert.ok(data.length > 200, "expected the full corpus");
    const payloads = data.map((entry, i) => ({
      id: `dompurify #${i}${entry.title ? ` (${entry.title})` : ""}`,
      html: entry.payload,
    }));
    assertCheckerHasTeeth(payloads);
    assert.deepEqual(checkAll(payloads), []);
  });
});
