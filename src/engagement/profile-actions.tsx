/**
 * What a logged-in reader can do about another user, on that user's page: follow their new
 * works, mute them (their works, bookmarks and comments disappear for you) or block them
 * (they can no longer comment on or leave kudos on your works). Subscribing is the page's
 * primary action; muting and blocking are destructive (muting asks first, on its own page),
 * and undoing either is secondary. A muted user's page says so and offers Unmute itself
 * (works/routes/listings.tsx), so it is not repeated here.
 */
import type { ComponentChildren } from "preact";
import type { AppDeps } from "../core/http/route.tsx";
import { PostForm } from "../core/views/forms.tsx";
import type { Viewer } from "../core/viewer.ts";
import { isBlocked } from "./blocking/queries.ts";
import { followsAuthor } from "./subscriptions/queries.ts";

type Kind = "primary" | "secondary" | "danger";

function Button(props: {
  action: string;
  label: string;
  kind: Kind;
  fields?: Record<string, string>;
}) {
  return (
    <PostForm action={props.action} class="inline">
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={props.kind === "primary" ? undefined : props.kind}>
        {props.label}
      </button>
    </PostForm>
  );
}

/** The address of the page that asks before muting `login` (it works without script). */
export const confirmMuteUrl = (login: string) => `/users/${encodeURIComponent(login)}/mute`;

export async function profileActions(ctx: {
  deps: AppDeps;
  viewer: Viewer;
  user: { id: number; login: string };
}): Promise<ComponentChildren[]> {
  const me = ctx.viewer.user;
  const { user } = ctx;
  if (!me || me.id === user.id) return [];
  const [following, blocked] = await Promise.all([
    followsAuthor(ctx.deps.db, me.id, user.id),
    isBlocked(ctx.deps.db, me.id, user.id),
  ]);
  const muted = me.exclusions.userIds.includes(user.id);
  const here = `/users/${encodeURIComponent(user.login)}`;
  return [
    following ? (
      <Button
        action={`${here}/subscriptions`}
        label={`Unsubscribe from ${user.login}`}
        kind="secondary"
        fields={{ return_to: here }}
      />
    ) : (
      <Button
        action={`${here}/subscriptions`}
        label={`Subscribe to ${user.login}`}
        kind="primary"
        fields={{ return_to: here }}
      />
    ),
    ...(muted
      ? []
      : [
          <a class="button danger" href={confirmMuteUrl(user.login)}>
            Mute {user.login}
          </a>,
        ]),
    blocked ? (
      <Button
        action={`/preferences/blocked/${user.id}/delete`}
        label={`Unblock ${user.login}`}
        kind="secondary"
      />
    ) : (
      <Button
        action="/preferences/blocked"
        label={`Block ${user.login}`}
        kind="danger"
        fields={{ login: user.login, return_to: here }}
      />
    ),
  ];
}
