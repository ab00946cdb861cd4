import { formatDate } from "../../core/views/format.ts";
import { ErrorSummary, PostForm, TextInput, type FormState } from "../../core/views/forms.tsx";

export function BlockedUsersView(props: {
  users: { id: number; login: string; created_at: number }[];
  form: FormState;
}) {
  const { users, form } = props;
  return (
    <section class="blocked-users">
      <h1>Blocked users</h1>
      <p>
        A user you block can't leave kudos on your works, comment on them, reply to your comments
        anywhere, or edit their old comments on your works (they can still delete them). They are
        not told until they try. To stop seeing someone's works, bookmarks and comments instead,
        mute them in <a href="/preferences/exclusions">your filters</a>.
      </p>
      {users.length === 0 ? (
        <p class="empty">You have blocked nobody.</p>
      ) : (
        <ul class="exclusion-list">
          {users.map((u) => (
            <li key={u.id}>
              <a href={`/users/${encodeURIComponent(u.login)}`}>{u.login}</a>{" "}
              <span class="datetime">(blocked {formatDate(u.created_at)})</span>{" "}
              <PostForm action={`/preferences/blocked/${u.id}/delete`} class="inline">
                <button type="submit" class="secondary small">
                  Unblock<span class="landmark"> {u.login}</span>
                </button>
              </PostForm>
            </li>
          ))}
        </ul>
      )}
      <h2>Block a user</h2>
      <PostForm action="/preferences/blocked" aria-label="Block a user">
        <ErrorSummary errors={form.errors} />
        <TextInput name="login" label="User name" form={form} maxLength={100} />
        <button type="submit" class="danger">
          Block
        </button>
      </PostForm>
    </section>
  );
}
