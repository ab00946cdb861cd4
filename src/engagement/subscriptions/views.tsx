import { PostForm } from "../../core/views/forms.tsx";
import { Pagination } from "../../core/views/pagination.tsx";
import { useRender } from "../../core/views/context.ts";

export interface SubscriptionItem {
  id: number;
  type: "work" | "user" | "series";
  targetId: number;
  workTitle: string | null;
  login: string | null;
  seriesTitle: string | null;
}

export function SubscriptionsView(props: {
  login: string;
  items: readonly SubscriptionItem[];
  page: number;
  pages: number;
}) {
  const base = `/users/${props.login}/subscriptions`;
  return (
    <section class="subscriptions">
      <h1>Subscriptions</h1>
      <p>
        You get a notification in your <a href={`/users/${props.login}/inbox`}>inbox</a> when a work
        you subscribe to gets a new chapter, an author you subscribe to posts a new work or chapter,
        or a series you subscribe to gets a new work.
      </p>
      {props.items.length === 0 ? (
        <p class="empty">You have no subscriptions.</p>
      ) : (
        <ul class="subscription-list">
          {props.items.map((s) => {
            const name =
              s.type === "work"
                ? (s.workTitle ?? "")
                : s.type === "series"
                  ? (s.seriesTitle ?? "")
                  : (s.login ?? "");
            return (
              <li key={s.id}>
                {s.type === "work" ? (
                  <>
                    Work: <a href={`/works/${s.targetId}`}>{name}</a>
                  </>
                ) : s.type === "series" ? (
                  <>
                    Series: <a href={`/series/${s.targetId}`}>{name}</a>
                  </>
                ) : (
                  <>
                    Author: <a href={`/users/${name}`}>{name}</a>
                  </>
                )}{" "}
                <PostForm action={`${base}/${s.id}/delete`} class="inline">
                  <button type="submit" class="secondary small">
                    Unsubscribe<span class="landmark"> from {name}</span>
                  </button>
                </PostForm>
              </li>
            );
          })}
        </ul>
      )}
      <Pagination
        page={props.page}
        pages={props.pages}
        href={(p) => (p > 1 ? `${base}?page=${p}` : base)}
      />
    </section>
  );
}

/** A one-button form that toggles a subscription and comes back to the page it was on. */
export function SubscribeButton(props: { action: string; label: string; returnTo: string }) {
  return (
    <PostForm action={props.action} class="inline">
      <input type="hidden" name="return_to" value={props.returnTo} />
      <button type="submit">{props.label}</button>
    </PostForm>
  );
}

export function LogInToSubscribe() {
  const { path } = useRender();
  return <a href={`/login?return_to=${encodeURIComponent(path)}`}>Log in to subscribe</a>;
}
