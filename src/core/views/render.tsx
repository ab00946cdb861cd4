import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { RenderCtx, type RenderContext } from "./context.ts";
import { Layout } from "./layout.tsx";

/** What a page handler returns: the body and its title; the route chain adds the layout. */
export interface Page {
  kind: "page";
  title: string;
  body: VNode;
  status?: number;
}

export const page = (title: string, body: VNode, status?: number): Page => ({
  kind: "page",
  title,
  body,
  ...(status ? { status } : {}),
});

export const isPage = (value: unknown): value is Page =>
  typeof value === "object" && value !== null && (value as Page).kind === "page";

export function renderPage(p: Page, ctx: RenderContext, flash?: string): string {
  return (
    "<!DOCTYPE html>" +
    renderToString(
      <RenderCtx.Provider value={ctx}>
        <Layout title={p.title} flash={flash}>
          {p.body}
        </Layout>
      </RenderCtx.Provider>,
    )
  );
}
