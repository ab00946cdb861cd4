/**
 * The one way every engagement feature tells a user something: an inbox row, plus an email
 * job when the user wants email for that kind.
 *
 * The email job is queued whatever the server's configuration, and the `notification.email`
 * handler does nothing when `SMTP_URL` is not set. This keeps notify() free of configuration
 * (no module-level switch shared by every app in a process), so tests run the same path as
 * production; the cost is one short-lived job row per notification on archives without mail.
 */
import type { Queryable } from "../../core/db/index.ts";
import type { NotificationKind } from "../../core/db/schema.ts";
import { enqueue } from "../../core/jobs/runner.ts";
import { insertNotification, wantsEmail, type NewNotification } from "./queries.ts";

export const EMAIL_JOB = "notification.email";

/** Stores the notification and queues its email; call it inside the caller's transaction. */
export async function notify(
  db: Queryable,
  n: {
    userId: number;
    kind: NotificationKind;
    workId?: number | null;
    chapterId?: number | null;
    commentId?: number | null;
    actorUserId?: number | null;
    /** Plain text, written now (names may change later); escaped wherever it is shown. */
    text: string;
    /** Site-relative link, e.g. `/works/12/chapters/34`. */
    url: string;
  },
  now: number,
): Promise<void> {
  await deliver(db, n, now);
}

/** notify() with the digest fields; returns false when that digest exists already. */
export async function deliver(db: Queryable, n: NewNotification, now: number): Promise<boolean> {
  // Links are shown in the inbox and mailed: only this site's own paths.
  if (!n.url.startsWith("/") || n.url.startsWith("//") || n.url.startsWith("/\\"))
    throw new Error(`A notification links to a path on this site, not "${n.url}"`);
  const notificationId = await insertNotification(db, n, now);
  if (notificationId === undefined) return false;
  if (await wantsEmail(db, n.userId, n.kind))
    await enqueue(db, { kind: EMAIL_JOB, payload: { notificationId } }, now);
  return true;
}
