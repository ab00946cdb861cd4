/**
 * One serving process: the app on the configured port, with or without the duties that must
 * run in one process only (job queue, text backfill, search cache writes, session sweep).
 */
import { stop as stopEsbuild } from "esbuild";
import type { FastifyInstance } from "fastify";
import { sweepExpiredSessions } from "../accounts/sessions.ts";
import { buildApp } from "../app.ts";
import type { Config } from "../core/config.ts";
import { openDb, type Engine } from "../core/db/index.ts";
import { prepareBundles } from "../core/http/assets.ts";
import { publicUrlWarning } from "../core/http/public-url.ts";
import type { RateLimiter } from "../core/http/rate-limit.ts";
import type { JobRunner } from "../core/jobs/runner.ts";

export interface ServerRole {
  /** Runs the job queue, the text index's backfill, the search cache writer, the session sweep. */
  duties: boolean;
  /** Told of writes that may have committed jobs, when another process runs the queue. */
  wakeJobs?: () => void;
  limiter: RateLimiter;
  /** PostgreSQL connections at most (see poolSizeFor). */
  poolSize?: number;
}

export interface RunningServer {
  app: FastifyInstance;
  engine: Engine;
  /** Where it listens, as people open it. */
  url: string;
  /** Looks for due jobs now (a write in another worker committed some). */
  wakeJobs(): void;
  /** Finishes requests in flight, stops the duties, closes the database. */
  stop(): Promise<void>;
}

export async function startServer(config: Config, role: ServerRole): Promise<RunningServer> {
  const handle = openDb(config.database, role.poolSize ? { poolSize: role.poolSize } : {});
  const deps = {
    db: handle.db,
    engine: handle.engine,
    config,
    limiter: role.limiter,
    now: Date.now,
  };
  const services: { jobs?: JobRunner } = {};
  const app = await buildApp(deps, {
    services,
    duties: role.duties,
    ...(role.wakeJobs ? { wakeJobs: role.wakeJobs } : {}),
  });
  if (config.exposePid) {
    // Tests only (FANFOLD_TEST_EXPOSE_PID): which worker answered.
    app.addHook("onSend", async (_req, reply) => {
      reply.header("x-fanfold-pid", String(process.pid));
    });
  }
  await prepareBundles();
  // The bundles are built: esbuild's service process would stay idle at ~45 MB per worker.
  await stopEsbuild();
  const stopSweeping = role.duties ? sweepExpiredSessions(deps) : () => undefined;
  const address = await app.listen({ port: config.port, host: config.host });
  if (role.duties) {
    const warning = publicUrlWarning(config);
    if (warning) app.log.warn(warning);
  }
  let stopping: Promise<void> | undefined;
  return {
    app,
    engine: handle.engine,
    url: address.replace("://127.0.0.1", "://localhost"),
    wakeJobs: () => services.jobs?.wake(),
    stop() {
      stopping ??= (async () => {
        stopSweeping();
        await app.close();
        await role.limiter.close();
        await handle.close();
      })();
      return stopping;
    },
  };
}
