/**
 * What a logged-in reader can do about another user, on that user's page: follow their new
 * works, mute them (their works, bookmarks and comments disappear for you) or block them
 * (they can no longer comment on or leave kudos on your works).
 */
import type { ComponentChildren } from "preact";
import type { AppDeps } from "../core/http/route.tsx";
import { PostForm } from "../core/views/forms.tsx";
import type { Viewer } from "../core/viewer.ts";
import { isBlocked } from "./blocking/queries.ts";
import { followsAuthor } from "./subscriptions/queries.ts";
import { SubscribeButton } from "./subscriptions/views.tsx";

function Button(props: { action: string; label: string; fields?: Record<string, string> }) {
  return (
    <PostForm action={props.action} class="inline">
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit">{props.label}</button>
    </PostForm>
  );
}

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
    <SubscribeButton
      action={`${here}/subscriptions`}
      label={following ? `Unsubscribe from ${user.login}` : `Subscribe to ${user.login}`}
      returnTo={here}
    />,
    muted ? (
      <Button
        action={`/preferences/exclusions/users/${user.id}/delete`}
        label={`Unmute ${user.login}`}
      />
    ) : (
      <Button
        action="/preferences/exclusions/users"
        label={`Mute ${user.login}`}
        fields={{ login: user.login, return_to: here }}
      />
    ),
    blocked ? (
      <Button action={`/preferences/blocked/${user.id}/delete`} label={`Unblock ${user.login}`} />
    ) : (
      <Button
        action="/preferences/blocked"
        label={`Block ${user.login}`}
        fields={{ login: user.login, return_to: here }}
      />
    ),
  ];
}
