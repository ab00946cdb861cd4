import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { RenderCtx, type RenderContext } from "./context.ts";
import { Banner, DEFAULT_SITE, layoutEnd, layoutHeader, layoutStart } from "./layout.tsx";
import { PageBytes } from "./page-bytes.ts";

/** What a page handler returns: the body and its title; the route chain adds the layout. */
export interface Page {
  kind: "page";
  title: string;
  body: VNode;
  status?: number;
  /** Plain text for `<meta name="description">`; the archive's own description when absent. */
  description?: string;
  /** AO3's page class on `#main` (`works-navigate`, `tags-show`), which AO3 tools look for. */
  mainClass?: string;
  /** `<link rel="alternate">` in the head: the page's Atom feed, the OPDS catalog. */
  alternates?: Alternate[];
}

export interface Alternate {
  href: string;
  type: string;
  title: string;
}

/** A page; the third argument is its status, or `{ status, description }`. */
export const page = (
  title: string,
  body: VNode,
  opts?:
    | number
    | {
        status?: number | undefined;
        description?: string | undefined;
        mainClass?: string | undefined;
        alternates?: Alternate[] | undefined;
      },
): Page => {
  const { status, description, mainClass, alternates } =
    typeof opts === "number" ? { status: opts } : (opts ?? {});
  return {
    kind: "page",
    title,
    body,
    ...(status ? { status } : {}),
    ...(description ? { description } : {}),
    ...(mainClass ? { mainClass } : {}),
    ...(alternates?.length ? { alternates } : {}),
  };
};

export const isPage = (value: unknown): value is Page =>
  typeof value === "object" && value !== null && (value as Page).kind === "page";

/**
 * The page's body is rendered by Preact; the layout around it is built from strings
 * (layout.tsx), the same markup Preact made of it at a fraction of the garbage. A page that
 * embeds markup kept as UTF-8 (a chapter's text) comes back as bytes (page-bytes.ts). `ctx`
 * is this render's own (it gets the page's bytes; not copied, as its CSRF token is a getter
 * that makes the token only when a form reads it).
 */
export function renderPage(p: Page, ctx: RenderContext, flash?: string): string | Buffer {
  const bytes = new PageBytes();
  ctx.bytes = bytes;
  const site = ctx.site ?? DEFAULT_SITE;
  const banner = site.banner
    ? renderToString(
        <RenderCtx.Provider value={ctx}>
          <Banner banner={site.banner} path={ctx.path} />
        </RenderCtx.Provider>,
      )
    : "";
  const body = renderToString(<RenderCtx.Provider value={ctx}>{p.body}</RenderCtx.Provider>);
  return bytes.join(
    layoutStart(p, site, ctx.assetUrl) +
      banner +
      layoutHeader(p, site, ctx.assetUrl, ctx.viewer.user, ctx.path, flash) +
      body +
      layoutEnd(site, ctx.assetUrl),
  );
}
