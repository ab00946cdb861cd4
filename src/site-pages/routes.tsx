/**
 * The archive's own pages: the policy pages at AO3's addresses (/tos, /content, /privacy,
 * /faq), robots.txt, and dismissing the banner. What they say is set in /admin/settings
 * (admin/settings); here it is only read (core/settings.ts).
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { returnToField } from "../core/http/params.ts";
import { safeReturnTo } from "../core/http/return-to.ts";
import { redirect, route, type AppDeps } from "../core/http/route.tsx";
import { may } from "../core/permissions.ts";
import { BANNER_COOKIE, POLICY_PAGE_KEYS, POLICY_PAGES, siteSettings } from "../core/settings.ts";
import { htmlExcerpt } from "../core/text/excerpt.ts";
import { page } from "../core/views/render.tsx";
import { robotsTxt } from "./robots.ts";
import { PolicyPageView } from "./views.tsx";

const DismissInput = z.object({
  banner_id: z.coerce
    .number({ message: "must be a banner number" })
    .int("must be a banner number")
    .min(0, "must be a banner number")
    .max(2 ** 31 - 1, "must be a banner number"),
  return_to: returnToField,
});

/** A year: the cookie only matters until the next banner anyway. */
const DISMISS_SECONDS = 365 * 86_400;

export function registerSitePages(app: FastifyInstance, deps: AppDeps) {
  for (const key of POLICY_PAGE_KEYS) {
    const { path, slug, title } = POLICY_PAGES[key];
    // The description is the page's text, shortened: worked out again only when the text changes.
    let described = { html: "", description: "" };
    const descriptionOf = (html: string) => {
      if (described.html !== html) described = { html, description: htmlExcerpt(html, 160) };
      return described.description;
    };
    route(app, deps, {
      method: "GET",
      url: path,
      auth: "guest-ok",
      handler: async ({ deps, viewer }) => {
        const settings = await siteSettings(deps.db, deps.config, deps.now());
        const html = settings[key];
        return page(
          title,
          <PolicyPageView
            title={title}
            html={html}
            editHref={may(viewer.user, "settings.manage") ? `/admin/settings/pages/${slug}` : null}
          />,
          { description: descriptionOf(html) },
        );
      },
    });
  }

  route(app, deps, {
    method: "GET",
    url: "/robots.txt",
    auth: "guest-ok",
    handler: async ({ deps, reply }) => {
      const settings = await siteSettings(deps.db, deps.config, deps.now());
      return reply
        .header("cache-control", "public, max-age=300")
        .type("text/plain; charset=utf-8")
        .send(robotsTxt(settings));
    },
  });

  // A form, not a script: the banner goes away without JavaScript, for guests too (CSRF as
  // every POST). The cookie holds the id of the banner the reader saw; a new text gets a new id
  // (admin/settings) and shows again.
  route(app, deps, {
    method: "POST",
    url: "/banner/dismiss",
    auth: "guest-ok",
    body: DismissInput,
    handler: async ({ deps, reply, body }) => {
      reply.setCookie(BANNER_COOKIE, String(body.banner_id), {
        path: "/",
        httpOnly: true,
        sameSite: "lax",
        secure: deps.config.secureCookies,
        maxAge: DISMISS_SECONDS,
      });
      return redirect(safeReturnTo(body.return_to));
    },
  });
}
