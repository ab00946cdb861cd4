/** Wires the inbox routes and the notification jobs (email delivery, kudos digest) into the app. */
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../../core/http/route.tsx";
import type { JobRunner } from "../../core/jobs/runner.ts";
import { createMailer } from "../../core/mail/mailer.ts";
import { KUDOS_DIGEST_EVERY_MS, KUDOS_DIGEST_JOB, runKudosDigest } from "./digest.ts";
import { emailJobHandler } from "./email.ts";
import { EMAIL_JOB } from "./notify.ts";
import { registerNotificationRoutes } from "./routes.tsx";

export function registerNotifications(app: FastifyInstance, deps: AppDeps, jobs: JobRunner) {
  registerNotificationRoutes(app, deps);
  const mailer = createMailer(deps.config);
  jobs.register(EMAIL_JOB, emailJobHandler(deps.db, deps.config, mailer));
  jobs.every(KUDOS_DIGEST_JOB, KUDOS_DIGEST_EVERY_MS, async (_payload, { now }) => {
    await runKudosDigest(deps.db, now);
  });
  // The pool's connections close once the running email jobs have finished with them.
  app.addHook("onClose", async () => {
    await jobs.close();
    mailer?.close();
  });
}
