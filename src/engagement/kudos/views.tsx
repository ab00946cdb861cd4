import { useRender } from "../../core/views/context.ts";
import { formatDate, formatNumber, pluralize } from "../../core/views/format.ts";
import { Honeypot, PostForm } from "../../core/views/forms.tsx";
import { Pagination } from "../../core/views/pagination.tsx";
import type { KudosPiece, KudosSummary } from "./summary.ts";
import { userUrl } from "./summary.ts";

function Sentence({ pieces }: { pieces: KudosPiece[] }) {
  if (pieces.length === 0) return <>Nobody has left kudos yet.</>;
  return <>{pieces.map((p) => (p.href ? <a href={p.href}>{p.text}</a> : p.text))}</>;
}

/**
 * What a reader may do here: leave kudos, log in first (guest kudos off), or nothing (their
 * own work).
 */
export type KudosAction = "give" | "give-as-guest" | "log-in" | "none";

/** Under the work text, before comments. kudos.js sends the form with fetch and updates it. */
export function KudosSection(props: {
  workId: number;
  summary: KudosSummary;
  action: KudosAction;
  /** Where the no-script form comes back to. */
  returnTo: string;
}) {
  const { assetUrl } = useRender();
  const { workId, summary, action, returnTo } = props;
  const canGive = action === "give" || action === "give-as-guest";
  return (
    <section id="kudos" class="kudos" aria-labelledby="kudos-heading" data-kudos>
      <h2 id="kudos-heading" class="heading">
        Kudos <span data-kudos-count>({formatNumber(summary.count)})</span>
      </h2>
      {canGive ? (
        <PostForm action={`/works/${workId}/kudos`} class="kudos-form" id="new_kudo">
          <input type="hidden" name="return_to" value={returnTo} />
          {action === "give-as-guest" ? <Honeypot form="kudos" /> : null}
          <button type="submit">Kudos ♥</button>
        </PostForm>
      ) : null}
      {action === "log-in" ? (
        <p class="kudos-login">
          <a class="button" href={`/login?return_to=${encodeURIComponent(returnTo)}`}>
            Log in to leave kudos ♥
          </a>{" "}
          Guests can't leave kudos on this archive.
        </p>
      ) : null}
      <p class="kudos-status" role="status" aria-live="polite" data-kudos-status></p>
      <p class="kudos-givers" data-kudos-summary>
        <Sentence pieces={summary.pieces} />
      </p>
      {canGive ? <script src={assetUrl("kudos.js")} defer /> : null}
    </section>
  );
}

/** A refused kudos, for the form sent without script. */
export function KudosRefusedView(props: { message: string; backUrl: string }) {
  return (
    <section class="error-page">
      <h1>No kudos left</h1>
      <p>{props.message}</p>
      <p>
        <a href={props.backUrl}>Back to the work</a>
      </p>
    </section>
  );
}

export function KudosListView(props: {
  work: { id: number; title: string; url: string };
  givers: { login: string; created_at: number }[];
  users: number;
  guests: number;
  page: number;
  pages: number;
}) {
  const { work, givers, users, guests, page, pages } = props;
  return (
    <section class="kudos-list">
      <h1 class="heading">
        Kudos on <a href={work.url}>{work.title}</a>
      </h1>
      <p>
        {pluralize(users, "user")} and {pluralize(guests, "guest")} left kudos on this work.
      </p>
      {givers.length === 0 ? (
        <p class="empty">No users have left kudos here yet.</p>
      ) : (
        <ul class="kudos-givers-list">
          {givers.map((g) => (
            <li key={g.login}>
              <a href={userUrl(g.login)}>{g.login}</a>{" "}
              <span class="datetime">({formatDate(g.created_at)})</span>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pages={pages} href={(n) => `/works/${work.id}/kudos?page=${n}`} />
    </section>
  );
}
