/**
 * The `notification.email` job: one notification, mailed to its recipient. Queued by notify();
 * a send failure throws so the job queue retries it with backoff.
 */
import type { Config } from "../../core/config.ts";
import type { Queryable } from "../../core/db/index.ts";
import type { JobHandler } from "../../core/jobs/runner.ts";
import type { JobPayload } from "../../core/jobs/kinds.ts";
import { publicBaseUrl } from "../../core/http/public-url.ts";
import { escapeHtml, type Mailer, type MailMessage } from "../../core/mail/mailer.ts";
import { notificationForEmail } from "./queries.ts";

export function emailJobHandler(
  db: Queryable,
  config: Pick<Config, "publicUrl" | "port" | "host">,
  mailer: Mailer | null,
): JobHandler<JobPayload<"notification.email">> {
  return async ({ notificationId }) => {
    // Without SMTP the inbox is the only delivery (see notify.ts).
    if (!mailer) return;
    const n = await notificationForEmail(db, notificationId);
    // Deleted since, or the reader turned this kind off after it was queued.
    if (!n || n.email_off !== null) return;
    await mailer.send(notificationMail(n, publicBaseUrl(config)));
  };
}

export function notificationMail(
  n: { email: string; login: string; text: string; url: string },
  base: string,
): MailMessage {
  const link = new URL(n.url, `${base}/`).toString();
  const prefs = `${base}/users/${encodeURIComponent(n.login)}/preferences/notifications`;
  const subject = n.text.length > 120 ? `${n.text.slice(0, 117)}…` : n.text;
  return {
    to: n.email,
    subject: `[Fanfold] ${subject}`,
    text: [`Hi ${n.login},`, "", n.text, link, "", `Choose which emails you get: ${prefs}`].join(
      "\n",
    ),
    html: [
      `<p>Hi ${escapeHtml(n.login)},</p>`,
      `<p>${escapeHtml(n.text)}<br><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`,
      `<p><small><a href="${escapeHtml(prefs)}">Choose which emails you get</a></small></p>`,
    ].join("\n"),
  };
}
