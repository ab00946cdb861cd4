import { may } from "../permissions.ts";
import type { ComponentChildren } from "preact";
import { excerpt, META_DESCRIPTION_LENGTH } from "../text/excerpt.ts";
import type { ViewerUser } from "../viewer.ts";
import { useRender, type SiteChrome } from "./context.ts";
import { PostForm } from "./forms.tsx";
import { escapeHtml } from "./trusted-html.tsx";

/** The signed-in reader's own pages, in the user menu. */
function userPages(login: string): [label: string, href: string][] {
  const base = `/users/${encodeURIComponent(login)}`;
  return [
    ["Dashboard", base],
    ["Works", `${base}/works`],
    ["Drafts", `${base}/works/drafts`],
    ["Bookmarks", `${base}/bookmarks`],
    ["History", `${base}/readings`],
    ["Marked for Later", `${base}/readings?show=to-read`],
    ["Subscriptions", `${base}/subscriptions`],
    ["Collections", `${base}/collection_items`],
    ["Statistics", `${base}/stats`],
    ["Saved searches", "/saved-searches"],
    ["Filters and muted users", "/preferences/exclusions"],
    ["Blocked users", "/preferences/blocked"],
    ["Email notifications", `${base}/preferences/notifications`],
    ["Preferences", `${base}/preferences`],
  ];
}

/** What the archive is, for search engines and link previews on pages without their own. */
export const SITE_DESCRIPTION =
  "Fanfold, an archive of fan works: stories written by fans, for fans, to read freely.";

/** The policy pages every footer links to (site-pages/routes.tsx serves them; AO3's addresses). */
const POLICY_LINKS: [label: string, href: string][] = [
  ["Terms of Service", "/tos"],
  ["Content Policy", "/content"],
  ["Privacy Policy", "/privacy"],
  ["FAQ", "/faq"],
];

export const DEFAULT_SITE: SiteChrome = {
  archiveName: "Fanfold",
  description: "",
  banner: null,
  signupOpen: true,
};

/** The site settings the layout shows (defaults when the request has none, e.g. early errors). */
export function useSite(): SiteChrome {
  return useRender().site ?? DEFAULT_SITE;
}

/** The archive's name, as the admin set it (core/settings.ts). */
export function ArchiveName() {
  return <>{useSite().archiveName}</>;
}

/** The archive's description as the admin wrote it, or `fallback` when there is none. */
export function ArchiveDescription(props: { fallback: ComponentChildren }) {
  const { description } = useSite();
  return <>{description.trim() ? description : props.fallback}</>;
}

/** An announcement atop every page; its form dismisses it without script (site-pages). */
export function Banner({ banner, path }: { banner: { text: string; id: number }; path: string }) {
  return (
    <aside class="site-banner" aria-label="Announcement">
      <p class="site-banner-text">{banner.text}</p>
      <PostForm action="/banner/dismiss" class="site-banner-dismiss">
        <input type="hidden" name="banner_id" value={String(banner.id)} />
        <input type="hidden" name="return_to" value={path} />
        <button type="submit">Dismiss</button>
      </PostForm>
    </aside>
  );
}

/**
 * The layout every page pays for (head, header, navigation, footer) is built from strings:
 * rendering its elements with Preact on every request made more garbage than a small page's
 * own body. What depends only on the site settings and the asset names is built once per
 * settings (`shellFor`); the rest is escaped as Preact escapes, so the markup is the same.
 */
interface Shell {
  /** From the icon to the stylesheet, after the description. */
  links: string;
  script: string;
  siteDescription: string;
  /** The guest navigation, split where the log-in link's `return_to` goes. */
  guestNav: [before: string, after: string];
  /** The signed-in navigation up to its first item. */
  navStart: string;
  navEnd: string;
  footer: string;
}

/** An attribute as Preact writes it: escaped, and bare when empty. */
const attr = (name: string, value: string) =>
  value === "" ? ` ${name}` : ` ${name}="${escapeHtml(value)}"`;

const li = (href: string, label: string) => `<li><a href="${href}">${label}</a></li>`;

function buildShell(site: SiteChrome, assetUrl: (name: string) => string): Shell {
  const name = escapeHtml(site.archiveName);
  const navStart =
    `<header class="site-header"><nav aria-label="Site"><a class="brand" href="/">${name}</a>` +
    `<ul class="nav">${li("/works", "Works")}${li("/media", "Fandoms")}` +
    `${li("/collections", "Collections")}${li("/works/search", "Search")}`;
  const navEnd = `</ul></nav></header>`;
  const footerText =
    site.archiveName === "Fanfold"
      ? "Fanfold, a self-hosted archive of fan works."
      : `${site.archiveName}, an archive of fan works running Fanfold.`;
  return {
    links:
      `<link rel="icon" href="${escapeHtml(assetUrl("favicon.svg"))}" type="image/svg+xml"/>` +
      `<link rel="stylesheet" href="${escapeHtml(assetUrl("site.css"))}"/>`,
    script: `<script src="${escapeHtml(assetUrl("site.js"))}" defer></script>`,
    siteDescription: site.description.trim()
      ? excerpt(site.description, META_DESCRIPTION_LENGTH)
      : SITE_DESCRIPTION,
    guestNav: [
      `${navStart}<li><a href="/login?return_to=`,
      `">Log in</a></li>${site.signupOpen ? li("/signup", "Sign up") : ""}${navEnd}`,
    ],
    navStart,
    navEnd,
    footer:
      `<footer class="site-footer"><nav aria-label="Archive policies"><ul class="footer-links">` +
      POLICY_LINKS.map(([label, href]) => li(href, escapeHtml(label))).join("") +
      `</ul></nav><p>${escapeHtml(footerText)}</p></footer>`,
  };
}

/** Shells by asset names (one per server) and site settings; a settings change makes a new key. */
const shells = new WeakMap<(name: string) => string, Map<string, Shell>>();
const SHELLS_KEPT = 32;

function shellFor(site: SiteChrome, assetUrl: (name: string) => string): Shell {
  let bySite = shells.get(assetUrl);
  if (!bySite) shells.set(assetUrl, (bySite = new Map<string, Shell>()));
  const key = `${site.signupOpen ? 1 : 0}${site.archiveName}\u0000${site.description}`;
  let shell = bySite.get(key);
  if (!shell) {
    if (bySite.size >= SHELLS_KEPT) bySite.clear();
    bySite.set(key, (shell = buildShell(site, assetUrl)));
  }
  return shell;
}

function userNav(shell: Shell, user: ViewerUser): string {
  const login = escapeHtml(user.login);
  const unread = user.unreadNotifications;
  let html = shell.navStart + li("/works/new", "Post new work");
  if (may(user, "tags.wrangle")) html += li("/wrangling", "Wrangling");
  if (may(user, "admin.open")) html += li("/admin", "Admin");
  html +=
    `<li><a href="/users/${login}/inbox" aria-label="Inbox, ${unread} unread">` +
    `Inbox${unread > 0 ? ` (${unread})` : ""}</a></li>` +
    // A disclosure: opens without script, by keyboard too.
    `<li class="user-menu"><details><summary>${login}</summary><ul aria-label="Your pages">`;
  for (const [label, href] of userPages(user.login)) html += li(escapeHtml(href), label);
  // AO3's link, which tools look for to know they are logged in; the page it opens asks, and
  // its form logs out (never a GET).
  return `${html}</ul></details></li>${li("/users/logout", "Log Out")}${shell.navEnd}`;
}

export interface LayoutProps {
  title: string;
  /** Plain text (a work's summary, what a tag lists); the archive's description otherwise. */
  description?: string | undefined;
  /** A class for `<main id="main">`: AO3's page class (see render.tsx). */
  mainClass?: string | undefined;
  /** `<link rel="alternate">` for feeds and the OPDS catalog (render.tsx `Page.alternates`). */
  alternates?: { href: string; type: string; title: string }[] | undefined;
}

/** The document up to the banner: doctype, head, and the opening of the body. */
export function layoutStart(
  props: LayoutProps,
  site: SiteChrome,
  assetUrl: (name: string) => string,
): string {
  const shell = shellFor(site, assetUrl);
  const title = props.title ? `${props.title} | ${site.archiveName}` : site.archiveName;
  let html =
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/>` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"/>` +
    `<title>${escapeHtml(title)}</title>` +
    `<meta name="description"${attr("content", props.description || shell.siteDescription)}/>` +
    shell.links;
  for (const a of props.alternates ?? [])
    html += `<link rel="alternate"${attr("type", a.type)}${attr("href", a.href)}${attr("title", a.title)}/>`;
  return `${html}${shell.script}</head><body><a class="skip-link" href="#main">Skip to content</a>`;
}

/** After the banner: the header and its navigation, and the opening of `<main>`. */
export function layoutHeader(
  props: LayoutProps,
  site: SiteChrome,
  assetUrl: (name: string) => string,
  user: ViewerUser | null,
  path: string,
  flash: string | undefined,
): string {
  const shell = shellFor(site, assetUrl);
  const nav = user
    ? userNav(shell, user)
    : shell.guestNav[0] + encodeURIComponent(path) + shell.guestNav[1];
  const mainClass = props.mainClass != null ? attr("class", props.mainClass) : "";
  const notice = flash ? `<p class="flash notice" role="status">${escapeHtml(flash)}</p>` : "";
  return `${nav}<main id="main"${mainClass} tabindex="-1">${notice}`;
}

/** After the page's body: the end of `<main>`, the footer and the end of the document. */
export function layoutEnd(site: SiteChrome, assetUrl: (name: string) => string): string {
  return `</main>${shellFor(site, assetUrl).footer}</body></html>`;
}
