/**
 * /admin/settings: the site settings form and the policy page editors, for those the
 * permission table lets manage settings (core/permissions.ts "settings.manage").
 */
import type { FastifyInstance } from "fastify";
import { redirect, refusedForm, route, type AppDeps } from "../../core/http/route.tsx";
import { may } from "../../core/permissions.ts";
import { POLICY_PAGES, readSettings, type SettingKey } from "../../core/settings.ts";
import { emptyForm } from "../../core/views/forms.tsx";
import { page } from "../../core/views/render.tsx";
import { updateSettings } from "./commands.ts";
import { PageInput, PageParams, SettingsInput } from "./schemas.ts";
import { PageEditorView, settingsValues, SettingsView } from "./views.tsx";

const allow = (u: Parameters<typeof may>[0]) => may(u, "settings.manage");

const LABELS: Partial<Record<SettingKey, string>> = {
  archiveName: "name",
  description: "description",
  signupMode: "sign-up mode",
  minimumAge: "minimum age",
  guestComments: "guest comments",
  guestKudos: "guest kudos",
  rateLimits: "rate limits",
  banner: "banner",
  robots: "robots.txt",
};

const savedFlash = (changed: SettingKey[], what: string) =>
  changed.length === 0
    ? "Nothing changed."
    : `${what} saved (${changed.map((k) => LABELS[k] ?? "page text").join(", ")}).`;

export function registerSiteSettingsRoutes(app: FastifyInstance, deps: AppDeps) {
  const settingsPage = (form: Parameters<typeof SettingsView>[0]["form"]) =>
    page("Site settings", <SettingsView form={form} />);

  route(app, deps, {
    method: "GET",
    url: "/admin/settings",
    auth: "user",
    allow,
    // Read fresh, not from the per-process cache: the form must show what is stored.
    handler: async ({ deps }) =>
      settingsPage(emptyForm(settingsValues(await readSettings(deps.db, deps.config)))),
  });

  route(app, deps, {
    method: "POST",
    url: "/admin/settings",
    auth: "user",
    allow,
    body: SettingsInput,
    onInvalid: (ctx, errors) => settingsPage({ values: ctx.body, errors }),
    handler: async ({ req, deps, user, body }) => {
      const result = await updateSettings(deps.db, {
        actor: { id: user.id, login: user.login },
        config: deps.config,
        now: deps.now(),
        changes: {
          archiveName: body.archive_name,
          description: body.description,
          signupMode: body.signup_mode,
          minimumAge: body.minimum_age,
          guestComments: body.guest_comments,
          guestKudos: body.guest_kudos,
          rateLimits: {
            comments: body.limit_comments,
            kudos: body.limit_kudos,
            bookmarks: body.limit_bookmarks,
            signups: body.limit_signups,
          },
          bannerText: body.banner_text,
          robots: { refuseAiCrawlers: body.refuse_ai_crawlers, extraRules: body.robots_extra },
        },
      });
      if (!result.ok) return refusedForm(req, result, settingsPage);
      return redirect("/admin/settings", savedFlash(result.value.changed, "Settings"));
    },
  });

  route(app, deps, {
    method: "GET",
    url: "/admin/settings/pages/:page",
    auth: "user",
    allow,
    params: PageParams,
    handler: async ({ deps, params }) => {
      const settings = await readSettings(deps.db, deps.config);
      return page(
        `Edit the ${POLICY_PAGES[params.page].title}`,
        <PageEditorView page={params.page} form={emptyForm({ html: settings[params.page] })} />,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/admin/settings/pages/:page",
    auth: "user",
    allow,
    params: PageParams,
    body: PageInput,
    onInvalid: (ctx, errors) =>
      page(
        `Edit the ${POLICY_PAGES[ctx.params.page].title}`,
        <PageEditorView page={ctx.params.page} form={{ values: ctx.body, errors }} />,
      ),
    handler: async ({ req, deps, user, params, body }) => {
      const result = await updateSettings(deps.db, {
        actor: { id: user.id, login: user.login },
        config: deps.config,
        now: deps.now(),
        changes: { pages: { [params.page]: body.html } },
      });
      const { title, slug } = POLICY_PAGES[params.page];
      if (!result.ok)
        return refusedForm(req, result, (form) =>
          page(`Edit the ${title}`, <PageEditorView page={params.page} form={form} />),
        );
      return redirect(
        `/admin/settings/pages/${slug}`,
        result.value.changed.length ? `${title} saved.` : "Nothing changed.",
      );
    },
  });
}
