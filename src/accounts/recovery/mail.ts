/**
 * Account mail (confirmation, password reset, change notices) and the `mail.send` job that
 * delivers it. Without SMTP_URL nothing is sent: the message, link included, goes to the
 * server log under MAIL_LOG_PREFIX, where the operator can find it and pass it on.
 */
import type { JobPayload } from "../../core/jobs/kinds.ts";
import type { JobHandler } from "../../core/jobs/runner.ts";
import { escapeHtml, type Mailer, type MailMessage } from "../../core/mail/mailer.ts";

/** What the log line of an unsent message starts with (grep the log for it). */
export const MAIL_LOG_PREFIX = "[fanfold mail, not sent: SMTP_URL is not set]";

export function mailJobHandler(
  mailer: Mailer | null,
  log: (line: string) => void,
): JobHandler<JobPayload<"mail.send">> {
  return async (message) => {
    if (mailer) return mailer.send(message);
    log(`${MAIL_LOG_PREFIX} To: ${message.to} | Subject: ${message.subject}\n${message.text}`);
  };
}

/** A message of a few paragraphs and at most one link, in plain text and in escaped HTML. */
function message(
  to: string,
  subject: string,
  paragraphs: string[],
  link?: { url: string; text: string },
): MailMessage {
  const text = [...paragraphs, ...(link ? [`${link.text}: ${link.url}`] : [])].join("\n\n");
  const html = [
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(link
      ? [
          `<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.text)}</a><br>${escapeHtml(link.url)}</p>`,
        ]
      : []),
  ].join("\n");
  return { to, subject: `[Fanfold] ${subject}`, text, html };
}

export const confirmationMail = (to: string, login: string, url: string) =>
  message(
    to,
    "Confirm your email address",
    [
      `Hi ${login},`,
      "Please confirm that this is your email address by following the link below. It works once, for 3 days.",
      "If you did not create an account, you can ignore this message.",
    ],
    { url, text: "Confirm my email address" },
  );

export const resetMail = (to: string, login: string, url: string) =>
  message(
    to,
    "Reset your password",
    [
      `Hi ${login},`,
      "Someone (we hope you) asked to reset the password of your account. Follow the link below to choose a new one. It works once, for one hour, and logs you out everywhere.",
      "If you did not ask for this, ignore this message: your password stays as it is.",
    ],
    { url, text: "Choose a new password" },
  );

export const changeEmailMail = (to: string, login: string, url: string) =>
  message(
    to,
    "Confirm your new email address",
    [
      `Hi ${login},`,
      "You asked to use this address for your account. Follow the link below to confirm it; until then your old address stays in use. The link works once, for 24 hours.",
      "If you did not ask for this, ignore this message.",
    ],
    { url, text: "Confirm my new email address" },
  );

export const emailChangeNotice = (to: string, login: string, newEmail: string, site: string) =>
  message(to, "Your email address is being changed", [
    `Hi ${login},`,
    `Someone logged in to your account asked to change its email address to ${newEmail}. The change applies once it is confirmed from that address.`,
    `If this wasn't you, log in at ${site}/login and change your password now; if you cannot log in, ask for a password reset at ${site}/users/password/new (the link goes to this address until the change is confirmed).`,
  ]);
