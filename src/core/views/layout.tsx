import type { ComponentChildren } from "preact";
import { useRender } from "./context.ts";
import { PostForm } from "./forms.tsx";

export function Layout(props: {
  title: string;
  flash?: string | undefined;
  children: ComponentChildren;
}) {
  const { viewer, assetUrl, path } = useRender();
  const user = viewer.user;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title ? `${props.title} | Fanfold` : "Fanfold"}</title>
        <link rel="stylesheet" href={assetUrl("site.css")} />
        <script src={assetUrl("site.js")} defer />
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <nav aria-label="Site">
            <a class="brand" href="/">
              Fanfold
            </a>
            <ul class="nav">
              <li>
                <a href="/works">Works</a>
              </li>
              <li>
                <a href="/media">Fandoms</a>
              </li>
              <li>
                <a href="/works/search">Search</a>
              </li>
              {user ? (
                <>
                  <li>
                    <a href="/works/new">Post new work</a>
                  </li>
                  {user.roles.has("wrangler") || user.roles.has("admin") ? (
                    <li>
                      <a href="/wrangling">Wrangling</a>
                    </li>
                  ) : null}
                  <li>
                    <a href={`/users/${user.login}`}>{user.login}</a>
                  </li>
                  <li>
                    <a
                      href={`/users/${user.login}/inbox`}
                      aria-label={`Inbox, ${user.unreadNotifications} unread`}
                    >
                      Inbox
                      {user.unreadNotifications > 0 ? ` (${user.unreadNotifications})` : ""}
                    </a>
                  </li>
                  <li>
                    <a href="/preferences/exclusions">Filters</a>
                  </li>
                  <li>
                    <a href={`/users/${user.login}/preferences`}>Preferences</a>
                  </li>
                  <li>
                    <PostForm action="/logout" class="inline">
                      <button type="submit" class="link">
                        Log out
                      </button>
                    </PostForm>
                  </li>
                </>
              ) : (
                <>
                  <li>
                    <a href={`/login?return_to=${encodeURIComponent(path)}`}>Log in</a>
                  </li>
                  <li>
                    <a href="/signup">Sign up</a>
                  </li>
                </>
              )}
            </ul>
          </nav>
        </header>
        <main id="main" tabIndex={-1}>
          {props.flash ? (
            <p class="flash notice" role="status">
              {props.flash}
            </p>
          ) : null}
          {props.children}
        </main>
        <footer class="site-footer">
          <p>Fanfold, a self-hosted archive of fan works.</p>
        </footer>
      </body>
    </html>
  );
}
