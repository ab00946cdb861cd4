import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Viewer } from "../viewer.ts";
import type { PageBytes } from "./page-bytes.ts";

/** What every component may know about the request it renders for. */
export interface RenderContext {
  viewer: Viewer;
  /** Token every state-changing form carries (checked server-side). */
  csrfToken: string;
  /** Path and query of the current request, for "log in and come back" links. */
  path: string;
  assetUrl: (name: string) => string;
  /** The archive's name, description and banner (core/settings.ts siteChrome); defaults if absent. */
  site?: SiteChrome | undefined;
  /** Where kept UTF-8 markup goes (page-bytes.ts); absent, it is rendered as text. */
  bytes?: PageBytes | undefined;
}

/** What the layout shows of the site settings on every page. */
export interface SiteChrome {
  archiveName: string;
  description: string;
  /** null when there is none, or this browser dismissed it. */
  banner: { text: string; id: number } | null;
  /** False when sign-up is closed: the header offers no "Sign up". */
  signupOpen: boolean;
}

export const RenderCtx = createContext<RenderContext | null>(null);

export function useRender(): RenderContext {
  const ctx = useContext(RenderCtx);
  if (!ctx) throw new Error("Component rendered outside renderPage()");
  return ctx;
}
