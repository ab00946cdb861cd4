/**
 * The "Feeds" section of a reader's preferences: their personal catalog address for e-reader
 * apps (shown every time: the token is derived, only its hash is stored, tokens.ts) and a
 * reset, asked for on a page of its own so that it is never one click away.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { ownAccount } from "../accounts/lookup.ts";
import { publicBaseUrl } from "../core/http/public-url.ts";
import { redirect, route, type AppDeps } from "../core/http/route.tsx";
import { PostForm } from "../core/views/forms.tsx";
import { page } from "../core/views/render.tsx";
import { OPDS_ROOT } from "./opds-routes.ts";
import { feedTokenFor, resetFeedToken } from "./tokens.ts";

const LoginParams = z.object({ login: z.string().max(100) });

const resetPath = (login: string) => `/users/${encodeURIComponent(login)}/preferences/feeds/reset`;

export function FeedsSection(props: { login: string; personal: string; base: string }) {
  return (
    <section class="feeds-preferences" aria-labelledby="feeds-heading">
      <h2 id="feeds-heading">Feeds</h2>
      <p>
        Your personal catalog for e-reader apps (KOReader, Foliate, Thorium and other OPDS readers)
        lists what you may see here — restricted works, minus your filters and muted users, adult
        works only if you chose to see them above — and your bookmarks and Marked for Later. Keep it
        to yourself: anyone with the address can read those lists (it cannot change anything).
      </p>
      <label for="personal-opds-address">Your personal catalog address</label>
      <input
        id="personal-opds-address"
        class="feed-address"
        type="text"
        readOnly
        value={props.personal}
        aria-describedby="personal-opds-hint"
      />
      <p id="personal-opds-hint" class="hint">
        Add it to your app as an OPDS catalog.
      </p>
      <p>
        <a href={resetPath(props.login)}>Reset your catalog address</a> if it was shared by mistake:
        the old address stops working.
      </p>
      <p>
        Without an account, apps can use the public catalog at{" "}
        <a href={OPDS_ROOT} class="feed-address">
          {`${props.base}${OPDS_ROOT}`}
        </a>
        ; feed readers follow any tag, writer or work through the feed links on their pages.
      </p>
    </section>
  );
}

/** The section, for the preferences page (accounts/routes.tsx `preferences` add-ons). */
export async function feedsPreferences(deps: AppDeps, account: { id: number; login: string }) {
  const token = await feedTokenFor(deps, account.id);
  const base = publicBaseUrl(deps.config);
  return (
    <FeedsSection login={account.login} base={base} personal={`${base}${OPDS_ROOT}/u/${token}`} />
  );
}

export function registerFeedAccountRoutes(app: FastifyInstance, deps: AppDeps) {
  route(app, deps, {
    method: "GET",
    url: "/users/:login/preferences/feeds/reset",
    auth: "user",
    params: LoginParams,
    handler: async ({ deps, user, params }) => {
      const account = await ownAccount(deps, user, params.login);
      return page(
        "Reset your catalog address",
        <section class="account-form">
          <h1>Reset your catalog address?</h1>
          <p>
            Your personal catalog address will change. Apps that use the old one will stop seeing
            your catalog until you give them the new address, shown on your preferences page.
          </p>
          <PostForm action={resetPath(account.login)}>
            <button type="submit" class="danger">
              Reset the address
            </button>{" "}
            <a href={`/users/${encodeURIComponent(account.login)}/preferences`}>Cancel</a>
          </PostForm>
        </section>,
      );
    },
  });

  route(app, deps, {
    method: "POST",
    url: "/users/:login/preferences/feeds/reset",
    auth: "user",
    params: LoginParams,
    handler: async ({ deps, user, params }) => {
      const account = await ownAccount(deps, user, params.login);
      await resetFeedToken(deps, account.id);
      return redirect(
        `/users/${encodeURIComponent(account.login)}/preferences#feeds-heading`,
        "Your catalog address was reset: the old one no longer works.",
      );
    },
  });
}
