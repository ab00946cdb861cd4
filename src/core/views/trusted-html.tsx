/**
 * The one audited exit for raw HTML. It only accepts `SanitizedHtml`, a type that only the
 * sanitizer in core/text produces, so user markup reaches a page only after the allowlist.
 * Lint forbids `dangerouslySetInnerHTML` anywhere else.
 */
import { useContext } from "preact/hooks";
import type { SanitizedHtml } from "../text/sanitize.ts";
import { RenderCtx } from "./context.ts";

interface Props {
  html: SanitizedHtml;
  /** `html` as UTF-8, when kept so: the page sends these bytes instead (page-bytes.ts). */
  utf8?: Buffer | undefined;
  /** AO3's markup puts summaries in `blockquote.userstuff` and text in `div.userstuff`. */
  as?: "div" | "blockquote";
  class?: string;
  id?: string;
  role?: "article";
  "aria-label"?: string;
}

/** The markup, or where its kept UTF-8 goes in the page being rendered (page-bytes.ts). */
function useInner(html: string, utf8: Buffer | undefined): string {
  const pageBytes = useContext(RenderCtx)?.bytes;
  return pageBytes && utf8 ? pageBytes.add(utf8) : html;
}

export function UserHtml({ html, utf8, as = "div", class: extra, ...rest }: Props) {
  const Tag = as;
  const className = extra ? `userstuff ${extra}` : "userstuff";
  return (
    <Tag class={className} {...rest} dangerouslySetInnerHTML={{ __html: useInner(html, utf8) }} />
  );
}

/**
 * Markup a view assembled as a string from escaped parts, faster than rendering the same
 * elements (works/views/blurb-html.ts builds listings' blurbs so). Only such builders cast
 * to it, every text and attribute through `escapeHtml`, user markup only as SanitizedHtml.
 */
export type BuiltHtml = string & { readonly __built: true };

/** Escapes as Preact's renderer does (`"`, `&`, `<`), so built markup matches rendered. */
export function escapeHtml(text: string): string {
  if (!/["&<]/.test(text)) return text;
  return text.replace(/["&<]/g, (c) => (c === '"' ? "&quot;" : c === "&" ? "&amp;" : "&lt;"));
}

/**
 * The same string, flattened: V8 keeps a string built by concatenation as a tree of its
 * pieces until it is read whole, and a page that embeds a kept one copies every piece again
 * each time it is sent (a kept blurb is ~150 pieces). Reading it as a number flattens it once.
 */
export function flattened<T extends string>(text: T): T {
  void Number(text);
  return text;
}

/** An element whose content is built markup. */
export function BuiltHtmlIn(props: {
  as: "ol" | "ul" | "div" | "details" | "select";
  class?: string;
  id?: string;
  name?: string;
  open?: boolean;
  html: BuiltHtml;
  /** `html` as UTF-8, when kept so: the page sends these bytes instead (page-bytes.ts). */
  utf8?: Buffer | undefined;
}) {
  const { as: Tag, html, utf8, ...rest } = props;
  return <Tag {...rest} dangerouslySetInnerHTML={{ __html: useInner(html, utf8) }} />;
}
