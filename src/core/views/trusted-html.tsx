/**
 * The one audited exit for raw HTML. It only accepts `SanitizedHtml`, a type that only the
 * sanitizer in core/text produces, so user markup reaches a page only after the allowlist.
 * Lint forbids `dangerouslySetInnerHTML` anywhere else.
 */
import type { SanitizedHtml } from "../text/sanitize.ts";

interface Props {
  html: SanitizedHtml;
  /** AO3's markup puts summaries in `blockquote.userstuff` and text in `div.userstuff`. */
  as?: "div" | "blockquote";
  class?: string;
  id?: string;
  role?: "article";
  "aria-label"?: string;
}

export function UserHtml({ html, as = "div", class: extra, ...rest }: Props) {
  const Tag = as;
  const className = extra ? `userstuff ${extra}` : "userstuff";
  return <Tag class={className} {...rest} dangerouslySetInnerHTML={{ __html: html }} />;
}
