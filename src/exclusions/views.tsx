import type { TagType } from "../core/db/schema.ts";
import { ErrorSummary, PostForm, TextInput, type FormState } from "../core/views/forms.tsx";
import { TAG_TYPE_NOUN } from "../tags/fixed.ts";
import { tagWorksPath } from "../tags/names.ts";

export function ExclusionsView(props: {
  tags: { id: number; name: string; type: TagType }[];
  users: { id: number; login: string }[];
  tagForm: FormState;
  userForm: FormState;
}) {
  const { tags, users } = props;
  return (
    <section class="exclusions">
      <h1>Your filters</h1>
      <p>
        Works with these tags, and works by these users, never appear in your listings, searches or
        tag pages; counts and pages leave them out. A listing that hid something says so and lets
        you show it for one search. <a href="/saved-searches">Your saved searches</a>
      </p>
      <h2>Hidden tags</h2>
      {tags.length === 0 ? (
        <p class="empty">You hide no tags.</p>
      ) : (
        <ul class="exclusion-list">
          {tags.map((t) => (
            <li>
              <a href={tagWorksPath(t.name)}>{t.name}</a>{" "}
              <span class="type">({TAG_TYPE_NOUN[t.type]})</span>{" "}
              <PostForm action={`/preferences/exclusions/tags/${t.id}/delete`} class="inline">
                <button type="submit" class="secondary small">
                  Show again<span class="landmark">: {t.name}</span>
                </button>
              </PostForm>
            </li>
          ))}
        </ul>
      )}
      <PostForm action="/preferences/exclusions/tags" aria-label="Hide a tag">
        <ErrorSummary errors={props.tagForm.errors} />
        <TextInput
          name="tag"
          label="Hide works tagged"
          form={props.tagForm}
          hint="Any tag: a warning, a relationship, a fandom… Its synonyms and subtags are hidden too."
          suggest="freeform"
        />
        <button type="submit">Hide tag</button>
      </PostForm>
      <h2>Muted users</h2>
      {users.length === 0 ? (
        <p class="empty">You have muted nobody.</p>
      ) : (
        <ul class="exclusion-list">
          {users.map((u) => (
            <li>
              <a href={`/users/${u.login}`}>{u.login}</a>{" "}
              <PostForm action={`/preferences/exclusions/users/${u.id}/delete`} class="inline">
                <button type="submit" class="secondary small">
                  Unmute<span class="landmark"> {u.login}</span>
                </button>
              </PostForm>
            </li>
          ))}
        </ul>
      )}
      <PostForm action="/preferences/exclusions/users" aria-label="Mute a user">
        <ErrorSummary errors={props.userForm.errors} />
        <TextInput name="login" label="Mute user" form={props.userForm} />
        <button type="submit" class="danger">
          Mute
        </button>
      </PostForm>
    </section>
  );
}

/**
 * Asks before muting (AO3 does too): what muting does and does not do, then Mute, which
 * posts, or Cancel, back to their page. Nothing here needs script.
 */
export function ConfirmMuteView(props: {
  user: { id: number; login: string };
  alreadyMuted: boolean;
}) {
  const { login, id } = props.user;
  const profile = `/users/${encodeURIComponent(login)}`;
  return (
    <section class="confirm-mute">
      <h1>Mute {login}?</h1>
      {props.alreadyMuted ? (
        <>
          <p>You have already muted {login}.</p>
          <ul class="actions">
            <li>
              <PostForm action={`/preferences/exclusions/users/${id}/delete`} class="inline">
                <input type="hidden" name="return_to" value={profile} />
                <button type="submit" class="secondary">
                  Unmute {login}
                </button>
              </PostForm>
            </li>
            <li>
              <a href={profile}>Back to {login}</a>
            </li>
          </ul>
        </>
      ) : (
        <>
          <p>Muting {login} changes what you see; nothing changes for them.</p>
          <ul>
            <li>
              Their works leave your listings, searches, tag pages and counts; their page says how
              many are hidden and lets you look at them once.
            </li>
            <li>Their bookmarks and comments are hidden from you, and so are their kudos.</li>
            <li>You get no notifications about their comments.</li>
          </ul>
          <p>
            They are not told, and they can still read your works and comment on them: to stop that,
            block them instead. You can unmute {login} at any time, from their page or from{" "}
            <a href="/preferences/exclusions">your filters</a>.
          </p>
          <PostForm action="/preferences/exclusions/users" aria-label={`Mute ${login}`}>
            <input type="hidden" name="login" value={login} />
            <input type="hidden" name="return_to" value={profile} />
            <ul class="actions">
              <li>
                <button type="submit" class="danger">
                  Mute {login}
                </button>
              </li>
              <li>
                <a class="button secondary" href={profile}>
                  Cancel
                </a>
              </li>
            </ul>
          </PostForm>
        </>
      )}
    </section>
  );
}
