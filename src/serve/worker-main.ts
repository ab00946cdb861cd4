/**
 * A cluster worker, forked by primary.ts: waits to be told its slot, then serves on the shared
 * port until told to stop (or sent SIGTERM/SIGINT itself, as a service manager or Ctrl-C does to
 * the whole process group). Configuration comes from the same environment as the primary's.
 */
import cluster from "node:cluster";
import { loadConfig } from "../core/config.ts";
import { redisRateLimiter, remoteRateLimiter } from "../core/http/rate-limit.ts";
import { serveMessage, type StartMessage } from "./messages.ts";
import { startServer, type RunningServer } from "./server.ts";

if (!cluster.isWorker) throw new Error("worker-main.ts is forked by src/serve/primary.ts");

const config = loadConfig();
/** Set once serving; the message handlers below are installed before, so they look it up. */
const running: { server?: RunningServer } = {};
let startWith: (m: StartMessage) => void = () => undefined;
const started = new Promise<StartMessage>((resolve) => (startWith = resolve));

// Told to stop while still starting: nothing is served yet, so nothing needs finishing.
const stop = async () => {
  await running.server?.stop();
  process.exit(0);
};

process.on("message", (m) => {
  const message = serveMessage(m);
  if (message?.fanfold === "start") startWith(message);
  else if (message?.fanfold === "wake-jobs") running.server?.wakeJobs();
  else if (message?.fanfold === "stop") void stop();
});
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

const role = await started;
const channel = {
  send: (message: object) => process.send?.(message),
  on: (event: "message", listener: (message: unknown) => void) => process.on(event, listener),
};
running.server = await startServer(config, {
  duties: role.duties,
  // Without Redis the counts live in the primary, so the limits hold across workers.
  limiter: config.redisUrl ? redisRateLimiter(config.redisUrl) : remoteRateLimiter(channel),
  poolSize: role.poolSize,
  ...(role.duties ? {} : { wakeJobs: () => channel.send({ fanfold: "wake-jobs" }) }),
});
