/**
 * Outgoing mail over SMTP (`SMTP_URL`), through nodemailer. A failed send throws: callers run
 * inside the job queue, which retries with backoff, so nothing is lost while the server is down.
 */
import { createTransport, type Transporter } from "nodemailer";
import type { Config } from "../config.ts";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Built by the caller with every value escaped (`escapeHtml`). */
  html: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** A mailer when `SMTP_URL` is set; null when the archive sends no mail. */
export function createMailer(
  config: Pick<Config, "smtpUrl" | "mailFrom" | "jobConcurrency">,
): Mailer | null {
  if (!config.smtpUrl) return null;
  const transport: Transporter = createTransport({
    url: config.smtpUrl,
    // Connections are kept and reused (one per concurrent job), not opened per message; each
    // is renewed after 100 messages. A send that fails still throws, so the job is retried.
    pool: true,
    maxConnections: config.jobConcurrency,
    maxMessages: 100,
    // Short waits: a stalled server should fail the job (and retry later), not hold the worker.
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  return {
    async send(message) {
      await transport.sendMail({ from: config.mailFrom, ...message });
    },
    close() {
      transport.close();
    },
  };
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}
