/**
 * The one way every engagement feature tells a user something: an inbox row, plus an email
 * job when the user wants email for that kind.
 *
 * The email job is queued whatever the server's configuration, and the `notification.email`
 * handler does nothing when `SMTP_URL` is not set. This keeps notify() free of configuration
 * (no module-level switch shared by every app in a process), so tests run the same path as
 * production; the cost is one short-lived job row per notification on archives without mail.
 *
 * Email jobs run after every in-site job (EMAIL_PRIORITY): a mail backlog never delays inbox
 * entries. Each email is a job of its own, so a failed send retries that message alone.
 */
import type { Queryable } from "../../core/db/index.ts";
import { enqueue, enqueueMany, type AppJob } from "../../core/jobs/kinds.ts";
import {
  emailOffAmong,
  insertNotification,
  insertNotificationsFor,
  wantsEmail,
  type NewNotification,
} from "./queries.ts";

export const EMAIL_JOB = "notification.email";
/** Lower runs first; in-site jobs have 0. */
export const EMAIL_PRIORITY = 10;

type Notice = Omit<NewNotification, "userId" | "count" | "digestDay">;

const emailJob = (notificationId: number): AppJob => ({
  kind: EMAIL_JOB,
  payload: { notificationId },
  priority: EMAIL_PRIORITY,
});

// Links are shown in the inbox and mailed: only this site's own paths.
function checkUrl(url: string) {
  if (!url.startsWith("/") || url.startsWith("//") || url.startsWith("/\\"))
    throw new Error(`A notification links to a path on this site, not "${url}"`);
}

/** Stores the notification and queues its email; call it inside the caller's transaction. */
export async function notify(
  db: Queryable,
  n: Notice & {
    userId: number;
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
  checkUrl(n.url);
  const notificationId = await insertNotification(db, n, now);
  if (notificationId === undefined) return false;
  if (await wantsEmail(db, n.userId, n.kind)) await enqueue(db, emailJob(notificationId), now);
  return true;
}

/**
 * notify() for a fan-out (a new chapter to every subscriber): the same notice to each user, in
 * a few multi-row statements whatever their number, with their email jobs queued in bulk.
 */
export async function notifyMany(
  db: Queryable,
  userIds: readonly number[],
  n: Notice,
  now: number,
): Promise<number> {
  if (userIds.length === 0) return 0;
  checkUrl(n.url);
  const rows = await insertNotificationsFor(db, userIds, n, now);
  const off = await emailOffAmong(db, userIds, n.kind);
  const mail = rows.filter((r) => !off.has(r.userId)).map((r) => emailJob(r.id));
  await enqueueMany(db, mail, now);
  return rows.length;
}
