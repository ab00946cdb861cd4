/**
 * The one place where user-supplied markup becomes HTML we are willing to put on a page.
 *
 * `SanitizedHtml` is a branded string: only this module casts to it (and paragraphs.ts, which
 * adds ids to its output), the `*_html` columns store it (core/db/schema.ts), and the view
 * layer's `UserHtml` only accepts it, so nothing reaches the page without going through the
 * allowlist.
 */
import sanitize from "sanitize-html";
import type { IOptions, Attributes } from "sanitize-html";
import { addParagraphs } from "./paragraphs.ts";
import { cleanInputText } from "./input-text.ts";

/**
 * Stored next to every sanitized field. Bump it whenever the allowlist or the output format
 * changes, so rows sanitized under an older version can be found and re-cleaned.
 * 2: paragraph rules apply around HTML blocks too (rows at 1 may hold walls of text).
 */
export const SANITIZER_VERSION = 2;

export type SanitizedHtml = string & { readonly __sanitized: true };

/** No markup at all: what a deleted comment keeps, and what blank input formats to. */
export const EMPTY_HTML = "" as SanitizedHtml;

/** Roughly AO3's allowlist. */
const ALLOWED_TAGS = [
  "p",
  "br",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "s",
  "strike",
  "sub",
  "sup",
  "small",
  "big",
  "blockquote",
  "q",
  "cite",
  "abbr",
  "acronym",
  "dfn",
  "code",
  "kbd",
  "pre",
  "samp",
  "var",
  "tt",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
  "ul",
  "ol",
  "li",
  "dl",
  "dt",
  "dd",
  "a",
  "img",
  "table",
  "caption",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "th",
  "td",
  "col",
  "colgroup",
  "span",
  "div",
  "center",
  "address",
  "ins",
  "del",
  "ruby",
  "rt",
  "rp",
  "details",
  "summary",
  "figure",
  "figcaption",
] as const;

export const ALLOWED_TAG_NAMES: readonly string[] = ALLOWED_TAGS;

const SIZE = ["width", "height", "align"];

/** Attributes per tag; `*` applies to every allowed tag. */
const ALLOWED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  "*": ["class", "dir", "align", "lang", "title"],
  // `rel` is never taken from the input: the `a` transform below deletes it and sets its own.
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

const ALLOWED_SCHEMES = ["http", "https", "mailto"] as const;
const ALLOWED_SCHEMES_BY_TAG: Readonly<Record<string, readonly string[]>> = {
  img: ["http", "https"],
};
const URL_ATTRIBUTES = ["href", "src", "cite"] as const;

/**
 * The allowlist, for checks of what reaches a page (tests parse output and hold it to this).
 * Relative and protocol-relative URLs are allowed as well as these schemes.
 */
export const SANITIZER_ALLOWLIST = {
  tags: ALLOWED_TAG_NAMES,
  /** Per tag; `*` applies to every tag. */
  attributes: ALLOWED_ATTRIBUTES,
  schemes: ALLOWED_SCHEMES as readonly string[],
  /** Tags with their own list instead of `schemes`. */
  schemesByTag: ALLOWED_SCHEMES_BY_TAG,
  urlAttributes: URL_ATTRIBUTES as readonly string[],
};

/** Class tokens we keep (work skins will later restrict/namespace these further). */
const CLASS_TOKEN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/**
 * Disallowed tags whose *contents* are dropped too (for every other disallowed tag the tag goes
 * and its text stays). Besides the required ones this keeps sanitize-html's own defaults
 * (`option`, `xmp`) and adds the other elements browsers treat as raw text.
 */
export const DROP_CONTENT_TAGS = [
  "script",
  "style",
  "textarea",
  "noscript",
  "iframe",
  "object",
  "embed",
  "template",
  "title",
  "xmp",
  "option",
  "noembed",
  "noframes",
];

/** Strips what browsers ignore inside URLs (controls and spaces), as sanitize-html's check does. */
function cleanUrl(url: string): string {
  // eslint-disable-next-line no-control-regex
  return url.replace(/[\x00-\x20]+/g, "");
}

/** Absolute http(s) or protocol-relative (`//host`, which browsers resolve to http(s)). */
function isExternalHttpUrl(url: string): boolean {
  return /^(?:https?:|[\\/]{2})/i.test(cleanUrl(url));
}

const SANITIZE_OPTIONS: IOptions = {
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: Object.fromEntries(
    Object.entries(ALLOWED_ATTRIBUTES).map(([tag, attrs]) => [tag, [...attrs]]),
  ),
  allowedClasses: { "*": [CLASS_TOKEN] },
  // Every attribute we emit carries a value (`open="open"`, never bare `open`), which keeps the
  // output XHTML-friendly. `alt=""` is the only empty value kept (sanitize-html's default
  // `allowedEmptyAttributes`, which @types/sanitize-html does not declare).
  nonBooleanAttributes: ["*"],
  allowedSchemes: [...ALLOWED_SCHEMES],
  allowedSchemesByTag: Object.fromEntries(
    Object.entries(ALLOWED_SCHEMES_BY_TAG).map(([tag, schemes]) => [tag, [...schemes]]),
  ),
  allowedSchemesAppliedToAttributes: [...URL_ATTRIBUTES],
  allowProtocolRelative: true,
  disallowedTagsMode: "discard",
  nonTextTags: DROP_CONTENT_TAGS,
  // `col` is a void element too; without it sanitize-html writes `<col></col>`.
  selfClosing: ["br", "hr", "img", "col"],
  parseStyleAttributes: false,
  transformTags: {
    a: (tagName: string, attribs: Attributes) => {
      const out: Attributes = { ...attribs };
      delete out.rel;
      if (out.href !== undefined && isExternalHttpUrl(out.href)) out.rel = "nofollow";
      return { tagName, attribs: out };
    },
    details: (tagName: string, attribs: Attributes) => {
      const out: Attributes = { ...attribs };
      if (out.open !== undefined) out.open = "open";
      return { tagName, attribs: out };
    },
  },
};

const ALLOWED_TAG_SET: ReadonlySet<string> = new Set(ALLOWED_TAGS);
const MAX_PASSES = 4;

/**
 * Cleans arbitrary HTML down to the allowlist. Idempotent: `sanitizeHtml(sanitizeHtml(x))` equals
 * `sanitizeHtml(x)`.
 *
 * One sanitize-html pass is not always idempotent: htmlparser2 decides implied end tags from the
 * element that is open at the time, and that may be a disallowed element that is then not written
 * out. `<p><font><p>` becomes `<p><p></p></p>`, which re-parses as two sibling paragraphs. So when a
 * pass dropped any element, the output is run again until it stops changing (re-parsing output
 * that holds only allowed elements reproduces the same tree, so this takes one extra pass).
 */
export function sanitizeHtml(input: string): SanitizedHtml {
  let html = input;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let droppedElement = false;
    const out = sanitize(html, {
      ...SANITIZE_OPTIONS,
      onOpenTag: (name) => {
        if (!ALLOWED_TAG_SET.has(name)) droppedElement = true;
      },
    });
    if (!droppedElement || out === html) return out as SanitizedHtml;
    html = out;
  }
  return html as SanitizedHtml;
}

// ---------------------------------------------------------------------------------------------
// Author-typed text
// ---------------------------------------------------------------------------------------------

/**
 * A `<` that the HTML parser would read as markup: a tag (`<x …>` or `</x …>`, with a closing
 * `>` before the next `<`), a comment, a doctype, CDATA or a processing instruction.
 */
const MARKUP_START = /<(?=\/?[A-Za-z][^<]*>|!--|!\[CDATA\[|!doctype|\?)/iy;

/**
 * Escapes every `<` that would not start markup, so `a<b then` or `I <3 you` stays visible text
 * instead of being swallowed as an unterminated tag. Also escapes an opening tag of a
 * drop-content element (`<script>`, `<style>`, `<textarea>`…) that is never closed: the parser
 * would otherwise throw away the whole rest of the chapter, and authors do type "<style>" in prose.
 */
function escapeStrayLessThan(text: string): string {
  if (!text.includes("<")) return text;
  // ASCII-only lowercasing keeps indices aligned with `text` (toLowerCase can change lengths: İ).
  const lower = text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
  const lastClose = new Map<string, number>();
  const lastCloseOf = (name: string): number => {
    let at = lastClose.get(name);
    if (at === undefined) {
      at = lower.lastIndexOf(`</${name}`);
      lastClose.set(name, at);
    }
    return at;
  };
  let out = "";
  let from = 0;
  for (let i = text.indexOf("<"); i !== -1; i = text.indexOf("<", i + 1)) {
    MARKUP_START.lastIndex = i;
    let markup = MARKUP_START.test(text);
    if (markup) {
      const open = /^<([a-z][a-z0-9]*)/.exec(lower.slice(i, i + 12));
      const name = open?.[1];
      if (name !== undefined && DROP_CONTENT_TAGS.includes(name) && lastCloseOf(name) < i) {
        markup = false;
      }
    }
    if (!markup) {
      out += text.slice(from, i) + "&lt;";
      from = i + 1;
    }
  }
  return out + text.slice(from);
}

/**
 * What every author-typed rich-text field (chapter text, summary, notes, comments) goes through:
 * the sanitizer, then AO3's paragraph rules (paragraphs.ts, `addParagraphs`). Plain text, HTML
 * and any mix of the two come out in paragraphs: blank lines separate `<p>`s and a single
 * newline becomes `<br />` wherever text is not already inside a paragraph, heading, list,
 * table or `pre`, so one `<blockquote>` in otherwise plain text no longer turns a chapter into
 * a wall of text. Text already in `<p>`s is kept as it is. Re-saving stored output is stable:
 * `formatUserText(formatUserText(x)) === formatUserText(x)`.
 *
 * Sanitizing first means the rules only ever see allowed elements, with entities decoded and
 * every element closed (an unclosed `<i>` runs to the end, and is reopened in each paragraph).
 */
export function formatUserText(input: string): SanitizedHtml {
  const format = (text: string) =>
    addParagraphs(sanitizeHtml(escapeStrayLessThan(text.replace(/\r\n?/g, "\n"))));
  let html = format(input);
  // Character references decode to characters: `&#1;` must not bring back a control character.
  // What is left is formatted again, so the result stays stable.
  const cleaned = cleanInputText(html);
  if (cleaned !== html) html = format(cleaned);
  if (!/\S/.test(html)) return EMPTY_HTML;
  // Whitespace around the outermost blocks means nothing (entities are written as characters,
  // so this never cuts into one).
  return html.replace(/^[ \t\n\f\r]+|[ \t\n\f\r]+$/g, "") as SanitizedHtml;
}

// ---------------------------------------------------------------------------------------------
// HTML → plain text
// ---------------------------------------------------------------------------------------------

/** Elements that start a new paragraph (a blank line) in plain text. */
const PARAGRAPH_TAGS = new Set([
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "blockquote",
  "ul",
  "ol",
  "dl",
  "table",
  "pre",
  "hr",
  "figure",
  "details",
  "address",
  "center",
  "article",
  "section",
  "aside",
  "header",
  "footer",
  "main",
  "nav",
  "form",
  "fieldset",
]);

/** Elements that start a new line in plain text. */
const LINE_TAGS = new Set([
  "div",
  "li",
  "dt",
  "dd",
  "tr",
  "caption",
  "figcaption",
  "summary",
  "thead",
  "tbody",
  "tfoot",
  "legend",
  "body",
]);

function unescapeSanitizerText(text: string): string {
  // With entity decoding on, sanitize-html hands textFilter decoded text re-escaped with exactly
  // these three entities.
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) =>
    name === "amp" ? "&" : name === "lt" ? "<" : ">",
  );
}

/**
 * The text content of an HTML fragment, for word counts, snippets and plain-text exports.
 * Paragraph-like blocks are separated by a blank line, other blocks (`div`, `li`, `tr`…) and
 * `<br>` by a line break; table cells by a space. All entities are decoded; `&nbsp;` becomes a
 * plain space. Whitespace inside a line is collapsed and lines are trimmed (inside `<pre>` the
 * line breaks are kept). Content of script/style/etc. is dropped; attributes (alt text) are not
 * included.
 */
export function htmlToPlainText(html: string): string {
  const parts: string[] = [];
  let atLineStart = true; // nothing but breaks emitted since the last newline (or the start)
  let lastWasSpace = false;
  let pendingBreaks = 0; // <br>s (and newlines in <pre>) since the last text
  let pendingBlock = 0; // 1 = line break, 2 = blank line
  let preDepth = 0;

  const flushBreaks = () => {
    const newlines = Math.max(pendingBreaks, pendingBlock);
    pendingBreaks = 0;
    pendingBlock = 0;
    if (newlines === 0) return;
    if (lastWasSpace) {
      const last = parts.length - 1;
      parts[last] = (parts[last] ?? "").trimEnd();
    }
    if (parts.length > 0) parts.push("\n".repeat(newlines)); // no breaks before the first text
    atLineStart = true;
    lastWasSpace = false;
  };

  const appendText = (text: string) => {
    let t = text.replace(/\s+/g, " ");
    if (t === " " || t === "") {
      // Whitespace between blocks or at a line start means nothing.
      if (t === "" || atLineStart || lastWasSpace || pendingBreaks + pendingBlock > 0) return;
    } else {
      flushBreaks();
    }
    if (atLineStart || lastWasSpace) t = t.trimStart();
    if (t === "") return;
    parts.push(t);
    atLineStart = false;
    lastWasSpace = t.endsWith(" ");
  };

  const blockBoundary = (name: string) => {
    if (PARAGRAPH_TAGS.has(name)) pendingBlock = 2;
    else if (LINE_TAGS.has(name)) pendingBlock = Math.max(pendingBlock, 1);
    else if (name === "td" || name === "th") appendText(" ");
  };

  sanitize(html, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: DROP_CONTENT_TAGS,
    disallowedTagsMode: "discard",
    parseStyleAttributes: false,
    onOpenTag: (name) => {
      if (name === "br") pendingBreaks++;
      else blockBoundary(name);
      if (name === "pre") preDepth++;
    },
    onCloseTag: (name) => {
      blockBoundary(name);
      if (name === "pre" && preDepth > 0) preDepth--;
    },
    textFilter: (escaped) => {
      const text = unescapeSanitizerText(escaped);
      if (preDepth === 0) {
        appendText(text);
      } else {
        text.split(/\r\n?|\n/).forEach((line, i) => {
          if (i > 0) pendingBreaks++;
          appendText(line);
        });
      }
      return "";
    },
  });
  if (lastWasSpace) {
    const last = parts.length - 1;
    parts[last] = (parts[last] ?? "").trimEnd();
  }
  return parts.join("");
}
