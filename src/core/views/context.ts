import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Viewer } from "../viewer.ts";

/** What every component may know about the request it renders for. */
export interface RenderContext {
  viewer: Viewer;
  /** Token every state-changing form carries (checked server-side). */
  csrfToken: string;
  /** Path and query of the current request, for "log in and come back" links. */
  path: string;
  assetUrl: (name: string) => string;
}

export const RenderCtx = createContext<RenderContext | null>(null);

export function useRender(): RenderContext {
  const ctx = useContext(RenderCtx);
  if (!ctx) throw new Error("Component rendered outside renderPage()");
  return ctx;
}
