/**
 * Wires account recovery into the app: its pages, the `mail.send` job (SMTP, or the server log
 * without SMTP_URL), and the redirect from a renamed account's old addresses.
 */
import type { FastifyInstance } from "fastify";
import { publicBaseUrl } from "../../core/http/public-url.ts";
import type { AppDeps } from "../../core/http/route.tsx";
import type { JobRunner } from "../../core/jobs/runner.ts";
import { createMailer } from "../../core/mail/mailer.ts";
import { sendEmailConfirmation } from "./commands.ts";
import { mailJobHandler } from "./mail.ts";
import { deleteStaleTokens, redirectedLogin } from "./queries.ts";
import { registerRecoveryRoutes } from "./routes.tsx";

export function registerAccountRecovery(app: FastifyInstance, deps: AppDeps, jobs: JobRunner) {
  registerRecoveryRoutes(app, deps);
  const mailer = createMailer(deps.config);
  jobs.register(
    "mail.send",
    mailJobHandler(mailer, (line) => app.log.warn(line)),
  );
  // Links past their time, or used more than a day ago, are of no further use.
  jobs.every("account-tokens.prune", 6 * 60 * 60 * 1000, async (_payload, { now }) => {
    await deleteStaleTokens(deps.db, now);
  });
  app.addHook("onClose", async () => {
    await jobs.close();
    mailer?.close();
  });
  redirectRenamedAccounts(app, deps);
}

const USER_PATH = /^\/users\/([^/?#]+)((?:\/[^?#]*)?)(\?.*)?$/;

/**
 * `/users/OLD` and `/users/OLD/…` of a renamed account answer 301 to the same page under its
 * current name. Only a page that answered 404 is looked at (no account is called OLD now), so
 * other requests pay nothing.
 */
function redirectRenamedAccounts(app: FastifyInstance, deps: AppDeps) {
  app.addHook("onSend", async (req, reply, payload) => {
    if (reply.statusCode !== 404 || (req.method !== "GET" && req.method !== "HEAD")) return payload;
    const match = USER_PATH.exec(req.url);
    if (!match) return payload;
    let login: string;
    try {
      login = decodeURIComponent(match[1]!);
    } catch {
      return payload;
    }
    if (!/^[A-Za-z0-9_]{1,100}$/.test(login)) return payload;
    const current = await redirectedLogin(deps.db, login);
    if (!current) return payload;
    reply.code(301);
    reply.header("location", `/users/${current}${match[2] ?? ""}${match[3] ?? ""}`);
    reply.header("content-type", "text/plain; charset=utf-8");
    return `Moved to /users/${current}${match[2] ?? ""}`;
  });
}

/**
 * Mails a new account its confirmation link (called by sign-up once the account exists). A
 * failure is logged, not shown: the account is made, and its pages offer to send it again.
 */
export async function mailConfirmationAfterSignUp(deps: AppDeps, userId: number): Promise<void> {
  try {
    await sendEmailConfirmation(deps.db, {
      userId,
      now: deps.now(),
      base: publicBaseUrl(deps.config),
    });
  } catch (err) {
    console.error("could not queue the confirmation email", err);
  }
}
