/** The settings form and the policy page editor (admin/settings/routes.tsx). */
import {
  formatRate,
  POLICY_PAGES,
  type PolicyPage,
  type SiteSettings,
} from "../../core/settings.ts";
import {
  Checkbox,
  ErrorSummary,
  PostForm,
  Select,
  TextArea,
  TextInput,
  type FormState,
  type FormValues,
} from "../../core/views/forms.tsx";
import { AdminPage } from "../views.tsx";

const flag = (on: boolean) => (on ? "1" : "");

/** The form's fields as the settings hold them now. */
export function settingsValues(s: SiteSettings): FormValues {
  return {
    archive_name: s.archiveName,
    description: s.description,
    signup_mode: s.signupMode,
    minimum_age: String(s.minimumAge),
    guest_comments: flag(s.guestComments),
    guest_kudos: flag(s.guestKudos),
    limit_comments: formatRate(s.rateLimits.comments),
    limit_kudos: formatRate(s.rateLimits.kudos),
    limit_bookmarks: formatRate(s.rateLimits.bookmarks),
    limit_signups: formatRate(s.rateLimits.signups),
    banner_text: s.banner.text,
    refuse_ai_crawlers: flag(s.robots.refuseAiCrawlers),
    robots_extra: s.robots.extraRules,
  };
}

const SIGNUP_OPTIONS = [
  { value: "open", label: "Open" },
  { value: "invitation", label: "By invitation" },
  { value: "closed", label: "Closed" },
] as const;

const RATE_HINT =
  "COUNT/WINDOW, e.g. 20/10m: at most 20 in 10 minutes (s, m, h or d), per account and per address.";

const PAGE_KEYS = Object.keys(POLICY_PAGES) as PolicyPage[];

export function SettingsView({ form }: { form: FormState }) {
  return (
    <AdminPage title="Site settings">
      <ErrorSummary errors={form.errors} />
      <PostForm action="/admin/settings" class="admin-settings">
        <fieldset>
          <legend>Name and description</legend>
          <TextInput
            name="archive_name"
            label="Archive name"
            form={form}
            required
            maxLength={100}
            hint="Shown in the header, the footer and every page's title."
          />
          <TextArea
            name="description"
            label="Description"
            form={form}
            rows={3}
            maxLength={2000}
            hint="Plain text, on the home page and for search engines."
          />
        </fieldset>
        <fieldset>
          <legend>Sign-up</legend>
          <Select
            name="signup_mode"
            label="Who may sign up"
            form={form}
            options={SIGNUP_OPTIONS}
            hint="Open: anyone may create an account. By invitation: people ask for an invitation and admins send them in batches. Closed: no new accounts."
          />
          <TextInput
            name="minimum_age"
            label="Minimum age"
            type="number"
            min={13}
            max={21}
            form={form}
            required
            hint="Sign-up states it and asks people to confirm they are at least this old."
          />
        </fieldset>
        <fieldset>
          <legend>Guests</legend>
          <Checkbox
            name="guest_comments"
            label="Guests may comment (on works that take comments from everyone)"
            form={form}
          />
          <Checkbox name="guest_kudos" label="Guests may leave kudos" form={form} />
        </fieldset>
        <fieldset>
          <legend>Rate limits</legend>
          <TextInput name="limit_comments" label="Comments" form={form} required hint={RATE_HINT} />
          <TextInput name="limit_kudos" label="Kudos" form={form} required hint={RATE_HINT} />
          <TextInput
            name="limit_bookmarks"
            label="Bookmarks"
            form={form}
            required
            hint={RATE_HINT}
          />
          <TextInput
            name="limit_signups"
            label="Sign-ups"
            form={form}
            required
            hint="COUNT/WINDOW per address, e.g. 10/1h."
          />
        </fieldset>
        <fieldset>
          <legend>Banner</legend>
          <TextArea
            name="banner_text"
            label="Banner text"
            form={form}
            rows={3}
            maxLength={1000}
            hint="Plain text shown atop every page until a reader dismisses it; a new text shows again to everyone. Leave empty for no banner."
          />
        </fieldset>
        <fieldset>
          <legend>Crawlers (robots.txt)</legend>
          <Checkbox
            name="refuse_ai_crawlers"
            label="Refuse known AI crawlers (GPTBot, ClaudeBot, CCBot, Google-Extended and others)"
            form={form}
          />
          <TextArea
            name="robots_extra"
            label="Extra rules"
            form={form}
            rows={4}
            hint="Added at the end of robots.txt: lines such as “User-agent: ExampleBot” and “Disallow: /”, or comments starting with #."
          />
          <p>
            <a href="/robots.txt">See robots.txt as crawlers get it</a>
          </p>
        </fieldset>
        <p>
          <button type="submit">Save settings</button>
        </p>
      </PostForm>
      <section aria-labelledby="policy-pages">
        <h2 id="policy-pages">Policy pages</h2>
        <ul class="admin-policy-pages">
          {PAGE_KEYS.map((key) => {
            const p = POLICY_PAGES[key];
            return (
              <li key={key}>
                <a href={`/admin/settings/pages/${p.slug}`}>Edit the {p.title}</a> (
                <a href={p.path}>view</a>)
              </li>
            );
          })}
        </ul>
      </section>
    </AdminPage>
  );
}

export function PageEditorView({ page, form }: { page: PolicyPage; form: FormState }) {
  const { title, path } = POLICY_PAGES[page];
  return (
    <AdminPage title={`Edit the ${title}`} trail={[["Site settings", "/admin/settings"]]}>
      <ErrorSummary errors={form.errors} />
      <p>
        Shown at <a href={path}>{path}</a> and linked from every page's footer.
      </p>
      <PostForm action={`/admin/settings/pages/${POLICY_PAGES[page].slug}`}>
        <TextArea
          name="html"
          label="Page text (HTML)"
          form={form}
          rows={24}
          required
          hint="Headings, paragraphs, lists, links and the other markup works allow. Anything else, scripts included, is removed when you save."
        />
        <p>
          <button type="submit">Save page</button>
        </p>
      </PostForm>
    </AdminPage>
  );
}
