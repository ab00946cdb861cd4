import type { SanitizedHtml } from "../core/text/sanitize.ts";
import { UserHtml } from "../core/views/trusted-html.tsx";

/** A policy page: its title and the admin's (sanitized) text. */
export function PolicyPageView(props: {
  title: string;
  html: SanitizedHtml;
  /** Admins get a link to the editor. */
  editHref: string | null;
}) {
  return (
    <article class="policy-page">
      <h1>{props.title}</h1>
      {props.editHref ? (
        <p class="policy-page-edit">
          <a href={props.editHref}>Edit this page</a>
        </p>
      ) : null}
      <UserHtml html={props.html} />
    </article>
  );
}
