/** Co-creators' pages and fields (issue 15): requests, "Remove me", a series' creators. */
import { ErrorSummary, PostForm, TextInput, type FormState } from "../../core/views/forms.tsx";
import { LinkList } from "../views/links.tsx";
import type { CreatorLink } from "../present.ts";
import { MAX_NAMES, NAMES_FIELD } from "./names.ts";

const NAMES_HINT = `Pseud names, separated by commas, as bylines show them: "pseud (username)", or a username for that user's default pseud. Up to ${MAX_NAMES} at a time.`;

/**
 * AO3's "Add co-creators" field. A name is invited, not credited: it shows in the byline once
 * its user accepts. On an edit form the field lists the pending invitations; taking a name out
 * withdraws that invitation.
 */
export function CoCreatorsField({ form, editing }: { form: FormState; editing: boolean }) {
  const hint = editing
    ? `${NAMES_HINT} Listed here: invitations not answered yet; take a name out to withdraw it. Names show in the byline once they accept.`
    : `${NAMES_HINT} Each is invited, and their name shows in the byline once they accept.`;
  return <TextInput name={NAMES_FIELD} label="Add co-creators" form={form} hint={hint} />;
}

/** One pending invitation, as the requests page lists it. */
export interface RequestItem {
  id: number;
  /** "Work", "Chapter" or "Series". */
  kind: string;
  /** What the request is for, linked: the work, the chapter in its work, the series. */
  title: string;
  url: string;
  /** The invited pseud, as bylines show it. */
  pseud: string;
  inviter: string | null;
  date: string;
}

/** `/users/:login/creatorships`: AO3's "Co-Creator Requests". */
export function RequestsView({ login, items }: { login: string; items: readonly RequestItem[] }) {
  const action = `/users/${login}/creatorships`;
  return (
    <section class="creatorship-requests">
      <h1>Co-Creator Requests</h1>
      <p>
        Other creators invited you to share credit for these. Accepting adds your pseud to the
        byline and lets you edit; rejecting leaves the work as it is. You can turn invitations off
        in your <a href={`/users/${login}/preferences`}>preferences</a>.
      </p>
      {items.length === 0 ? (
        <p class="empty">You have no co-creator requests.</p>
      ) : (
        <>
          <ul class="requests">
            {items.map((i) => (
              <li key={i.id} class="request">
                <p class="request-line">
                  <span class="kind">{i.kind}:</span> <a href={i.url}>{i.title}</a>
                </p>
                <p class="request-detail">
                  As <strong>{i.pseud}</strong>
                  {i.inviter ? (
                    <>
                      , invited by <a href={`/users/${i.inviter}`}>{i.inviter}</a>
                    </>
                  ) : null}{" "}
                  <span class="datetime">{i.date}</span>
                </p>
                <PostForm action={action} class="inline">
                  <input type="hidden" name="invitation_id" value={String(i.id)} />
                  <ul class="actions row-actions">
                    <li>
                      <button type="submit" name="decision" value="accept" class="small">
                        Accept<span class="landmark"> co-creator request: {i.title}</span>
                      </button>
                    </li>
                    <li>
                      <button type="submit" name="decision" value="reject" class="danger small">
                        Reject<span class="landmark"> co-creator request: {i.title}</span>
                      </button>
                    </li>
                  </ul>
                </PostForm>
              </li>
            ))}
          </ul>
          {items.length > 1 ? (
            <PostForm action={action} class="all-requests">
              <input type="hidden" name="all" value="1" />
              <ul class="actions">
                <li>
                  <button type="submit" name="decision" value="accept">
                    Accept all
                  </button>
                </li>
                <li>
                  <button type="submit" name="decision" value="reject" class="danger">
                    Reject all
                  </button>
                </li>
              </ul>
            </PostForm>
          ) : null}
        </>
      )}
    </section>
  );
}

/** "Remove me as co-creator": asks first, as every removal does; says so when it can't be done. */
export function ConfirmRemoveMe(props: {
  heading: string;
  message: string;
  action: string;
  cancelUrl: string;
  /** Why it can't be done (the last creator): no button then. */
  error?: string | undefined;
}) {
  return (
    <section class="confirm-delete confirm-remove-me">
      <h1>{props.heading}</h1>
      {props.error ? (
        <p class="error-summary" role="alert">
          {props.error}
        </p>
      ) : (
        <p>{props.message}</p>
      )}
      {props.error ? (
        <p>
          <a href={props.cancelUrl}>Go back</a>
        </p>
      ) : (
        <PostForm action={props.action}>
          <button type="submit" class="danger">
            Yes, remove me
          </button>{" "}
          <a href={props.cancelUrl}>No, cancel</a>
        </PostForm>
      )}
    </section>
  );
}

/** `/series/:id/creators`: who is credited, who is invited, invite more, remove me. */
export function SeriesCreatorsView(props: {
  seriesId: number;
  title: string;
  creators: CreatorLink[];
  pending: string[];
  canRemoveMe: boolean;
  form: FormState;
}) {
  const base = `/series/${props.seriesId}`;
  return (
    <section class="series-creators work-form">
      <h1>
        Co-creators of <a href={base}>{props.title}</a>
      </h1>
      <dl class="meta">
        <dt>Creators:</dt>
        <dd class="byline">
          <LinkList links={props.creators} rel="author" />
        </dd>
        <dt>Invited:</dt>
        <dd class="pending">{props.pending.length ? props.pending.join(", ") : "Nobody"}</dd>
      </dl>
      <ErrorSummary errors={props.form.errors} />
      <PostForm action={`${base}/creators`}>
        <CoCreatorsField form={props.form} editing={false} />
        <button type="submit">Invite</button>
      </PostForm>
      {props.canRemoveMe ? (
        <p>
          <a href={`${base}/creators/remove_me`}>Remove me as co-creator</a>
        </p>
      ) : null}
    </section>
  );
}
