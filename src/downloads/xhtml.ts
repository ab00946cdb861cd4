/**
 * Sanitized chapter HTML, made fit for a file a reader keeps: well-formed XHTML for EPUBs (and
 * the same tree as HTML for the HTML download), with what HTML5 and EPUB 3 reject mapped to
 * valid equivalents that look the same. Formatting is never dropped: `<center>` becomes a
 * centred `<div>`, `<big>` and `<tt>` spans styled by the download's stylesheet, `<strike>`
 * `<s>`, `<acronym>` `<abbr>`, `align`/`width` attributes inline styles, `<a name>` an id; a
 * block inside a phrasing element (`<b><p>…</p></b>`, which the sanitizer keeps) becomes a
 * span displayed as a block, so the bold stays bold. Images are remote resources, which an
 * EPUB may not fetch: each becomes a link holding its alt text, and is counted.
 */
import { Parser } from "htmlparser2";

export interface El {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
}
export type Node = El | string;

export interface XhtmlContext {
  /** The archive's absolute address: relative links become absolute against it. */
  baseUrl: string;
  /** Ids already used in the document the fragment goes into (filled as ids are given). */
  ids: Set<string>;
  /** How many images were replaced by links (the title page says so). */
  images: { count: number };
}

const XML_INVALID =
  // eslint-disable-next-line no-control-regex -- these are exactly the characters XML forbids
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Drops what XML 1.0 cannot hold (controls, lone surrogates, U+FFFE/FFFF). */
export const xmlSafe = (s: string): string => s.replace(XML_INVALID, "");

export const escapeXml = (s: string): string =>
  xmlSafe(s).replace(/[&<>"]/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;",
  );

const VOID = new Set(["br", "hr", "img", "col"]);

/** Elements whose content is phrasing (text-level) content only. */
const PHRASING_CONTAINERS = new Set([
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "pre",
  "dt",
  "th",
  "summary",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "s",
  "sub",
  "sup",
  "small",
  "span",
  "q",
  "cite",
  "abbr",
  "dfn",
  "code",
  "kbd",
  "samp",
  "var",
  "ruby",
  "rt",
  "rp",
]);
/** Phrasing elements (allowed where only text-level content is). */
const PHRASING = new Set([...PHRASING_CONTAINERS, "a", "ins", "del", "br", "img"]);
for (const block of ["p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dt", "th", "summary"]) {
  PHRASING.delete(block);
}

/** What obsolete elements become, and the class the stylesheet styles them by. */
const RENAMED: Record<string, { to: string; cls?: string; style?: string }> = {
  center: { to: "div", style: "text-align: center" },
  big: { to: "span", cls: "big" },
  tt: { to: "span", cls: "tt" },
  strike: { to: "s" },
  acronym: { to: "abbr" },
};

/** Attributes every element may keep (after mapping). */
const GLOBAL = new Set(["class", "dir", "lang", "title", "style", "id"]);

/** Per element, attributes that stay valid as they are (values checked below). */
const KEEP: Record<string, readonly string[]> = {
  a: ["href", "rel"],
  ol: ["start", "type"],
  td: ["colspan", "rowspan"],
  th: ["colspan", "rowspan"],
  col: ["span"],
  colgroup: ["span"],
  blockquote: ["cite"],
  q: ["cite"],
  ins: ["cite"],
  del: ["cite"],
  details: ["open"],
};

const LANG = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/;
const LENGTH = /^\s*(\d{1,5})(\.\d+)?\s*(%|px)?\s*$/i;
const ALIGN = new Set(["left", "right", "center", "justify"]);

/** Parses an HTML fragment into a plain tree (htmlparser2's HTML rules: implied end tags). */
export function parseFragment(html: string): Node[] {
  const root: El = { name: "#root", attrs: {}, children: [] };
  const stack: El[] = [root];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const el: El = { name, attrs: attribs, children: [] };
        stack[stack.length - 1]!.children.push(el);
        stack.push(el);
      },
      ontext(text) {
        const kids = stack[stack.length - 1]!.children;
        const last = kids.length - 1;
        if (typeof kids[last] === "string") kids[last] += text;
        else kids.push(text);
      },
      onclosetag() {
        if (stack.length > 1) stack.pop();
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return root.children;
}

function absoluteUrl(value: string, base: string): string | undefined {
  const v = value.trim();
  if (v === "") return undefined;
  try {
    const url = new URL(v.startsWith("//") ? `https:${v}` : v, `${base}/`);
    if (!["http:", "https:", "mailto:"].includes(url.protocol)) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

function cssLength(v: string | undefined): string | undefined {
  const m = v === undefined ? null : LENGTH.exec(v);
  if (!m) return undefined;
  return `${m[1]}${m[2] ?? ""}${m[3] === "%" ? "%" : "px"}`;
}

const addStyle = (attrs: Record<string, string>, rule: string) => {
  attrs.style = attrs.style ? `${attrs.style}; ${rule}` : rule;
};
const addClass = (attrs: Record<string, string>, cls: string) => {
  attrs.class = attrs.class ? `${attrs.class} ${cls}` : cls;
};

/** Maps one element's name and attributes to valid XHTML5 (children untouched). */
function mapElement(el: El, ctx: XhtmlContext): Node {
  const src = el.attrs;
  if (el.name === "img") {
    ctx.images.count += 1;
    const alt = (src.alt ?? "").trim();
    const label = alt ? `[Image: ${alt}]` : "[Image]";
    const href = src.src === undefined ? undefined : absoluteUrl(src.src, ctx.baseUrl);
    return href ? { name: "a", attrs: { href, class: "image" }, children: [label] } : label;
  }
  const renamed = RENAMED[el.name];
  const name = renamed?.to ?? el.name;
  const attrs: Record<string, string> = {};
  if (renamed?.cls) addClass(attrs, renamed.cls);
  if (renamed?.style) addStyle(attrs, renamed.style);
  if (src.class) addClass(attrs, src.class);
  if (src.title) attrs.title = src.title;
  if (src.dir && ["ltr", "rtl", "auto"].includes(src.dir.toLowerCase()))
    attrs.dir = src.dir.toLowerCase();
  if (src.lang !== undefined && (src.lang === "" || LANG.test(src.lang))) attrs.lang = src.lang;
  const align = src.align?.trim().toLowerCase();
  if (align && ALIGN.has(align)) {
    if (name === "table" && align === "center")
      addStyle(attrs, "margin-left: auto; margin-right: auto");
    else if (name === "table") addStyle(attrs, `float: ${align === "right" ? "right" : "left"}`);
    else addStyle(attrs, `text-align: ${align}`);
  }
  if (["table", "td", "th", "col", "colgroup"].includes(name)) {
    const width = cssLength(src.width);
    const height = cssLength(src.height);
    if (width) addStyle(attrs, `width: ${width}`);
    if (height) addStyle(attrs, `height: ${height}`);
  }
  if (name === "a" && src.name !== undefined) {
    const id = src.name.trim();
    if (/^[A-Za-z_][\w.-]*$/.test(id) && !ctx.ids.has(id)) {
      ctx.ids.add(id);
      attrs.id = id;
    }
  }
  if (name === "ul" && src.type) {
    const type = src.type.toLowerCase();
    if (["disc", "circle", "square"].includes(type)) addStyle(attrs, `list-style-type: ${type}`);
  }
  for (const key of KEEP[name] ?? []) {
    const value = src[key];
    if (value === undefined) continue;
    if (key === "href") {
      if (value.startsWith("#")) attrs.href = value;
      else {
        const url = absoluteUrl(value, ctx.baseUrl);
        if (url) attrs.href = url;
      }
    } else if (key === "cite") {
      const url = absoluteUrl(value, ctx.baseUrl);
      if (url) attrs.cite = url;
    } else if (key === "start") {
      if (/^-?\d{1,9}$/.test(value.trim())) attrs.start = value.trim();
    } else if (key === "type") {
      if (["1", "a", "A", "i", "I"].includes(value.trim())) attrs.type = value.trim();
    } else if (key === "colspan" || key === "rowspan" || key === "span") {
      const n = Number(value.trim());
      if (Number.isInteger(n) && n >= (key === "rowspan" ? 0 : 1) && n <= 1000)
        attrs[key] = String(n);
    } else if (key === "open") attrs.open = "open";
    else if (key === "rel") attrs.rel = value;
  }
  return { name, attrs, children: el.children };
}

/** Keeps only the global attributes (an element turned into a span or div). */
function demote(el: El, to: "span" | "div"): El {
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(el.attrs)) if (GLOBAL.has(k)) attrs[k] = v;
  addClass(attrs, `x-${el.name}`);
  return { name: to, attrs, children: el.children };
}

const isBlank = (n: Node) => typeof n === "string" && n.trim() === "";

/** Wraps runs of children that `fits` rejects into `wrap()` elements. */
function wrapStrays(children: Node[], fits: (n: Node) => boolean, wrap: () => El): Node[] {
  const out: Node[] = [];
  let run: El | null = null;
  for (const child of children) {
    if (fits(child) || (isBlank(child) && run === null)) {
      out.push(child);
      run = null;
    } else {
      if (!run) {
        run = wrap();
        out.push(run);
      }
      run.children.push(child);
    }
  }
  return out;
}

const named =
  (...names: string[]) =>
  (n: Node) =>
    typeof n !== "string" && names.includes(n.name);

/** Puts a table's parts in the order XHTML5 allows, wrapping loose content in rows. */
function orderTable(children: Node[]): Node[] {
  const parts = { caption: [] as Node[], colgroup: [] as Node[], head: [] as Node[] };
  const body: Node[] = [];
  const foot: Node[] = [];
  for (const c of children) {
    if (isBlank(c)) continue;
    if (typeof c !== "string" && c.name === "caption" && parts.caption.length === 0)
      parts.caption.push(c);
    else if (typeof c !== "string" && c.name === "colgroup") parts.colgroup.push(c);
    else if (typeof c !== "string" && c.name === "col")
      parts.colgroup.push({ name: "colgroup", attrs: {}, children: [c] });
    else if (typeof c !== "string" && c.name === "thead" && parts.head.length === 0)
      parts.head.push(c);
    else if (typeof c !== "string" && c.name === "tfoot" && foot.length === 0) foot.push(c);
    else body.push(c);
  }
  // Either tbody elements or rows, not both: loose rows and anything else go into a tbody.
  const bodies: Node[] = [];
  let loose: El | null = null;
  for (const c of body) {
    if (typeof c !== "string" && c.name === "tbody") {
      bodies.push(c);
      loose = null;
    } else {
      if (!loose) {
        loose = { name: "tbody", attrs: {}, children: [] };
        bodies.push(loose);
      }
      loose.children.push(c);
    }
  }
  for (const b of bodies) if (typeof b !== "string") b.children = rowsOf(b.children);
  return [...parts.caption, ...parts.colgroup, ...parts.head, ...bodies, ...foot];
}

const cell = (): El => ({ name: "td", attrs: {}, children: [] });
const emptyRow = (): El => ({ name: "tr", attrs: {}, children: [] });
/** A table section's children as rows: loose content goes into cells, cells into rows. */
const rowsOf = (children: Node[]): Node[] =>
  wrapStrays(wrapStrays(children, named("tr"), cell), named("tr"), emptyRow);

interface Where {
  /** Only phrasing content is allowed here. */
  phrasing: boolean;
  /** Inside an `a` (no nested links). */
  inLink: boolean;
  parent: string;
}

/** Fixes a list of children for their parent's content model, recursively. */
function fixChildren(nodes: Node[], where: Where, ctx: XhtmlContext): Node[] {
  const out: Node[] = [];
  for (const node of nodes) {
    if (typeof node === "string") {
      const text = xmlSafe(node);
      if (text) out.push(text);
      continue;
    }
    let el = mapElement(node, ctx);
    if (typeof el === "string") {
      out.push(el);
      continue;
    }
    const name = el.name;
    // Out of place: elements that only live inside a particular parent.
    const needs: Record<string, readonly string[]> = {
      li: ["ul", "ol"],
      dt: ["dl"],
      dd: ["dl"],
      tr: ["table", "thead", "tbody", "tfoot"],
      td: ["tr"],
      th: ["tr"],
      thead: ["table"],
      tbody: ["table"],
      tfoot: ["table"],
      caption: ["table"],
      colgroup: ["table"],
      col: ["colgroup"],
      rt: ["ruby"],
      rp: ["ruby"],
      summary: ["details"],
      figcaption: ["figure"],
    };
    const home = needs[name];
    if (home && !home.includes(where.parent)) {
      if (name === "col") continue;
      el = demote(el, where.phrasing || PHRASING.has(name) ? "span" : "div");
    } else if (where.phrasing && !PHRASING.has(name) && name !== "a") {
      el = demote(el, "span");
    } else if (name === "a" && where.inLink) {
      el = demote(el, "span");
    }
    const phrasing = where.phrasing || PHRASING_CONTAINERS.has(el.name);
    let children = fixChildren(
      el.children,
      { phrasing, inLink: where.inLink || el.name === "a", parent: el.name },
      ctx,
    );
    switch (el.name) {
      case "ul":
      case "ol":
        children = wrapStrays(children, named("li"), () => ({
          name: "li",
          attrs: { class: "x-loose" },
          children: [],
        }));
        break;
      case "dl":
        children = wrapStrays(children, named("dt", "dd"), () => ({
          name: "dd",
          attrs: {},
          children: [],
        }));
        break;
      case "table":
        children = orderTable(children);
        break;
      case "thead":
      case "tbody":
      case "tfoot":
        children = rowsOf(children);
        break;
      case "tr":
        children = wrapStrays(children, named("td", "th"), cell);
        break;
      case "colgroup":
        children = children.filter(named("col"));
        // A colgroup spans its columns' count, or `span` when it has none.
        if (children.length > 0) delete el.attrs.span;
        break;
      case "details": {
        // EPUB 3.2's schema wants a summary, first: the first one moves up (later ones become
        // blocks), or the browser's own word for it is put there.
        const at = children.findIndex(named("summary"));
        const summary =
          at >= 0 ? children[at]! : { name: "summary", attrs: {}, children: ["Details"] };
        children = children
          .filter((_, i) => i !== at)
          .map((c) => (typeof c !== "string" && c.name === "summary" ? demote(c, "div") : c));
        children.unshift(summary);
        break;
      }
      case "ruby": {
        // Base text, then each annotation as (rp, rt, rp): what the schema accepts. Text after
        // the last annotation leaves the ruby; a ruby without one is a span.
        const kept = children.filter((c) => !named("rp")(c));
        const last = kept.findLastIndex(named("rt"));
        if (last < 0) {
          out.push(demote({ name: "ruby", attrs: el.attrs, children: kept }, "span"));
          continue;
        }
        children = kept
          .slice(0, last + 1)
          .flatMap((c) =>
            named("rt")(c)
              ? [
                  { name: "rp", attrs: {}, children: ["("] },
                  c,
                  { name: "rp", attrs: {}, children: [")"] },
                ]
              : [c],
          );
        out.push({ name: "ruby", attrs: el.attrs, children }, ...kept.slice(last + 1));
        continue;
      }
      case "figure": {
        const real = children.filter((c) => !isBlank(c));
        const ok = new Set([real[0], real[real.length - 1]]);
        let seen = false;
        children = children.map((c) => {
          if (typeof c === "string" || c.name !== "figcaption") return c;
          if (ok.has(c) && !seen) {
            seen = true;
            return c;
          }
          return demote(c, "div");
        });
        break;
      }
    }
    out.push({ name: el.name, attrs: el.attrs, children });
  }
  return out;
}

/** Drops links to fragments that are not in the document (readers would land nowhere). */
function checkFragments(nodes: Node[], ids: ReadonlySet<string>) {
  for (const n of nodes) {
    if (typeof n === "string") continue;
    if (n.name === "a" && n.attrs.href?.startsWith("#") && !ids.has(n.attrs.href.slice(1)))
      delete n.attrs.href;
    checkFragments(n.children, ids);
  }
}

/** The fixed tree of a sanitized fragment, placed in flow content. */
export function fixFragment(html: string, ctx: XhtmlContext): Node[] {
  return fixChildren(parseFragment(html), { phrasing: false, inLink: false, parent: "div" }, ctx);
}

/** Call once a document's fragments are all fixed: fragment links need the final id set. */
export function dropDeadFragmentLinks(trees: readonly Node[][], ids: ReadonlySet<string>) {
  for (const t of trees) checkFragments(t, ids);
}

function attrsOf(attrs: Record<string, string>): string {
  let s = "";
  for (const [k, v] of Object.entries(attrs)) s += ` ${k}="${escapeXml(v)}"`;
  return s;
}

/** Serializes a tree: `xml` for XHTML (`<br/>`), otherwise HTML (`<br>`). */
export function serialize(nodes: readonly Node[], mode: "xml" | "html"): string {
  let out = "";
  for (const n of nodes) {
    if (typeof n === "string") {
      out += escapeXml(n);
      continue;
    }
    if (VOID.has(n.name)) {
      out += `<${n.name}${attrsOf(n.attrs)}${mode === "xml" ? "/" : ""}>`;
      continue;
    }
    out += `<${n.name}${attrsOf(n.attrs)}>${serialize(n.children, mode)}</${n.name}>`;
  }
  return out;
}

/** The stylesheet rules for what the mapping produced (shared by EPUB and HTML). */
export const MAPPED_CSS = `
.big { font-size: larger; }
.tt { font-family: monospace; }
.x-p, .x-div, .x-blockquote, .x-ul, .x-ol, .x-dl, .x-li, .x-dt, .x-dd, .x-pre, .x-address,
.x-details, .x-summary, .x-figure, .x-figcaption, .x-center, .x-caption { display: block; }
.x-p, .x-pre, .x-blockquote, .x-ul, .x-ol, .x-dl { margin: 1em 0; }
.x-blockquote { margin-left: 2em; }
.x-ul, .x-ol { padding-left: 2em; }
.x-li { display: list-item; }
.x-dd { margin-left: 2em; }
.x-pre { white-space: pre-wrap; font-family: monospace; }
.x-h1, .x-h2, .x-h3, .x-h4, .x-h5, .x-h6 { display: block; font-weight: bold; margin: 0.8em 0; }
.x-h1 { font-size: 2em; } .x-h2 { font-size: 1.5em; } .x-h3 { font-size: 1.17em; }
.x-table { display: table; } .x-tr { display: table-row; }
.x-td, .x-th { display: table-cell; padding: 0.2em; } .x-th { font-weight: bold; }
.x-thead { display: table-header-group; } .x-tbody { display: table-row-group; }
.x-tfoot { display: table-footer-group; }
.x-hr { display: block; border-top: 1px solid; margin: 1em 0; }
.x-loose { list-style: none; }
`;
