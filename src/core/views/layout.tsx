import { may } from "../permissions.ts";
import type { ComponentChildren } from "preact";
import { excerpt, META_DESCRIPTION_LENGTH } from "../text/excerpt.ts";
import { useRender, type SiteChrome } from "./context.ts";
import { PostForm } from "./forms.tsx";

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

const DEFAULT_SITE: SiteChrome = {
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
function Banner({ banner, path }: { banner: { text: string; id: number }; path: string }) {
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

export function Layout(props: {
  title: string;
  flash?: string | undefined;
  /** Plain text (a work's summary, what a tag lists); the archive's description otherwise. */
  description?: string | undefined;
  /** A class for `<main id="main">`: AO3's page class (see render.tsx). */
  mainClass?: string | undefined;
  /** `<link rel="alternate">` for feeds and the OPDS catalog (render.tsx `Page.alternates`). */
  alternates?: { href: string; type: string; title: string }[] | undefined;
  children: ComponentChildren;
}) {
  const { viewer, assetUrl, path } = useRender();
  const site = useSite();
  const user = viewer.user;
  const siteDescription = site.description.trim()
    ? excerpt(site.description, META_DESCRIPTION_LENGTH)
    : SITE_DESCRIPTION;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title ? `${props.title} | ${site.archiveName}` : site.archiveName}</title>
        <meta name="description" content={props.description || siteDescription} />
        <link rel="icon" href={assetUrl("favicon.svg")} type="image/svg+xml" />
        <link rel="stylesheet" href={assetUrl("site.css")} />
        {(props.alternates ?? []).map((a) => (
          <link key={a.href} rel="alternate" type={a.type} href={a.href} title={a.title} />
        ))}
        <script src={assetUrl("site.js")} defer />
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        {site.banner ? <Banner banner={site.banner} path={path} /> : null}
        <header class="site-header">
          <nav aria-label="Site">
            <a class="brand" href="/">
              {site.archiveName}
            </a>
            <ul class="nav">
              <li>
                <a href="/works">Works</a>
              </li>
              <li>
                <a href="/media">Fandoms</a>
              </li>
              <li>
                <a href="/collections">Collections</a>
              </li>
              <li>
                <a href="/works/search">Search</a>
              </li>
              {user ? (
                <>
                  <li>
                    <a href="/works/new">Post new work</a>
                  </li>
                  {may(user, "tags.wrangle") ? (
                    <li>
                      <a href="/wrangling">Wrangling</a>
                    </li>
                  ) : null}
                  {may(user, "admin.open") ? (
                    <li>
                      <a href="/admin">Admin</a>
                    </li>
                  ) : null}
                  <li>
                    <a
                      href={`/users/${user.login}/inbox`}
                      aria-label={`Inbox, ${user.unreadNotifications} unread`}
                    >
                      Inbox
                      {user.unreadNotifications > 0 ? ` (${user.unreadNotifications})` : ""}
                    </a>
                  </li>
                  <li class="user-menu">
                    {/* A disclosure: opens without script, by keyboard too. */}
                    <details>
                      <summary>{user.login}</summary>
                      <ul aria-label="Your pages">
                        {userPages(user.login).map(([label, href]) => (
                          <li key={href}>
                            <a href={href}>{label}</a>
                          </li>
                        ))}
                      </ul>
                    </details>
                  </li>
                  <li>
                    {/* AO3's link, which tools look for to know they are logged in; the page
                        it opens asks, and its form logs out (never a GET). */}
                    <a href="/users/logout">Log Out</a>
                  </li>
                </>
              ) : (
                <>
                  <li>
                    <a href={`/login?return_to=${encodeURIComponent(path)}`}>Log in</a>
                  </li>
                  {site.signupOpen ? (
                    <li>
                      <a href="/signup">Sign up</a>
                    </li>
                  ) : null}
                </>
              )}
            </ul>
          </nav>
        </header>
        <main id="main" class={props.mainClass} tabIndex={-1}>
          {props.flash ? (
            <p class="flash notice" role="status">
              {props.flash}
            </p>
          ) : null}
          {props.children}
        </main>
        <footer class="site-footer">
          <nav aria-label="Archive policies">
            <ul class="footer-links">
              {POLICY_LINKS.map(([label, href]) => (
                <li key={href}>
                  <a href={href}>{label}</a>
                </li>
              ))}
            </ul>
          </nav>
          <p>
            {site.archiveName === "Fanfold"
              ? "Fanfold, a self-hosted archive of fan works."
              : `${site.archiveName}, an archive of fan works running Fanfold.`}
          </p>
        </footer>
      </body>
    </html>
  );
}
