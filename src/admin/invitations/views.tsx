import { formatDate, pluralize } from "../../core/views/format.ts";
import { ErrorSummary, PostForm, TextInput, type FormState } from "../../core/views/forms.tsx";

export interface QueueRow {
  id: number;
  email: string;
  created_at: number;
}

/** `/admin/invitations`: the request queue, oldest first, and the two batch actions. */
export function AdminInvitationsView(props: {
  mode: string;
  waiting: number;
  queue: QueueRow[];
  sendForm: FormState;
  grantForm: FormState;
}) {
  const { mode, waiting, queue, sendForm, grantForm } = props;
  return (
    <section class="admin-invitations">
      <h1>Invitations</h1>
      <p>
        Sign-up is <strong>{mode === "invitation" ? "by invitation" : mode}</strong> (set in the
        site settings). {pluralize(waiting, "request")} waiting.
      </p>
      <h2>Invite the next people in the queue</h2>
      <ErrorSummary errors={sendForm.errors} />
      <PostForm action="/admin/invitations/send" once>
        <TextInput
          name="count"
          type="number"
          label="How many"
          form={sendForm}
          required
          min={1}
          max={500}
          hint="Each gets an invitation by email, valid once. The oldest requests go first."
        />
        <button type="submit">Send invitations</button>
      </PostForm>
      <h2>Give every account more invitations</h2>
      <ErrorSummary errors={grantForm.errors} />
      <PostForm action="/admin/invitations/grant" once>
        <TextInput
          name="count"
          type="number"
          label="Invitations per account"
          form={grantForm}
          required
          min={1}
          max={100}
          hint="Added to what each account (except banned ones) has left to share."
        />
        <button type="submit">Give invitations</button>
      </PostForm>
      <h2>The queue</h2>
      {queue.length === 0 ? (
        <p>Nobody is waiting.</p>
      ) : (
        <table class="stats-table invitation-queue">
          <caption>
            {queue.length < waiting ? `The first ${queue.length} of ${waiting}` : "Everyone"}{" "}
            waiting, oldest first
          </caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Email</th>
              <th scope="col">Asked on</th>
            </tr>
          </thead>
          <tbody>
            {queue.map((r, i) => (
              <tr key={r.id}>
                <td>{i + 1}</td>
                <td class="invitation-email">{r.email}</td>
                <td>{formatDate(r.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
