/**
 * The cluster's primary: forks N workers that share one port (node:cluster hands each new
 * connection to the next worker in turn), keeps the in-memory rate-limit counts for all of
 * them, passes "jobs were committed" on to the worker with the duties, replaces a worker that
 * dies, and stops them all on SIGTERM/SIGINT. It serves no request and runs nothing slow: it
 * accepts the connections, so a busy primary would stall every worker.
 */
import cluster, { type Address, type Worker } from "node:cluster";
import { once } from "node:events";
import type { Config } from "../core/config.ts";
import { answerRateAsks, memoryRateLimiter } from "../core/http/rate-limit.ts";
import { serveMessage, type ServeMessage } from "./messages.ts";
import { entryModule, poolSizeFor, shownUrl } from "./options.ts";

/** How long a worker may take to finish its requests and close before it is killed. */
const STOP_GRACE_MS = 20_000;
/** A worker that ran this long before dying is restarted at once; quicker deaths back off. */
const STEADY_MS = 60_000;
const MAX_BACKOFF_MS = 30_000;

interface Slot {
  number: number;
  duties: boolean;
  worker: Worker | undefined;
  /** The worker has begun serving (it may still be loading its modules until then). */
  listening: boolean;
  startedAt: number;
  /** Deaths in a row, each within STEADY_MS of its start. */
  quickDeaths: number;
  restart: NodeJS.Timeout | undefined;
}

export async function runPrimary(config: Config, workers: number, startedAt: number) {
  const limiter = config.redisUrl ? null : memoryRateLimiter();
  const poolSize = poolSizeFor(workers);
  cluster.setupPrimary({ exec: entryModule("worker-main") });
  const slots: Slot[] = Array.from({ length: workers }, (_, i) => ({
    number: i + 1,
    // Worker 1 also runs what must run once (server.ts): the primary must stay light, and the
    // search cache writer needs a full index, which a serving worker has anyway.
    duties: i === 0,
    worker: undefined,
    listening: false,
    startedAt: 0,
    quickDeaths: 0,
    restart: undefined,
  }));
  let stopping = false;
  let ready = false;
  let listening = 0;
  let address: Address | undefined;
  let allListening: () => void = () => undefined;
  const whenListening = new Promise<void>((resolve) => (allListening = resolve));

  const send = (worker: Worker | undefined, message: ServeMessage) => {
    // A worker that is exiting cannot be told anything; its replacement starts afresh.
    if (worker?.isConnected()) worker.send(message, (err: Error | null) => void err);
  };

  const fork = (slot: Slot) => {
    const worker = cluster.fork();
    slot.worker = worker;
    slot.listening = false;
    slot.startedAt = Date.now();
    worker.on("error", (err) => console.error(`Worker ${slot.number}: ${String(err)}`));
    if (limiter) {
      answerRateAsks(limiter, {
        send: (m) => worker.isConnected() && worker.send(m, (err: Error | null) => void err),
        on: (event, listener) => worker.on(event, listener),
      });
    }
    worker.on("message", (m) => {
      if (serveMessage(m)?.fanfold !== "wake-jobs") return;
      for (const s of slots) if (s.duties) send(s.worker, { fanfold: "wake-jobs" });
    });
    worker.once("listening", (at: Address) => {
      slot.listening = true;
      if (ready) {
        console.log(`Worker ${slot.number} is serving again (pid ${worker.process.pid}).`);
        return;
      }
      address ??= at;
      if (++listening === workers) allListening();
    });
    worker.once("exit", (code, signal) => died(slot, worker, code, signal));
    send(worker, { fanfold: "start", slot: slot.number, duties: slot.duties, poolSize });
  };

  const died = (slot: Slot, worker: Worker, code: number | null, signal: string | null) => {
    if (slot.worker !== worker) return;
    slot.worker = undefined;
    if (stopping) return;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (!ready) {
      console.error(`Worker ${slot.number} ${how} before it was ready; stopping.`);
      void stopAll(1);
      return;
    }
    slot.quickDeaths = Date.now() - slot.startedAt > STEADY_MS ? 1 : slot.quickDeaths + 1;
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** (slot.quickDeaths - 1));
    console.error(
      `Worker ${slot.number} (pid ${worker.process.pid}) ${how}; starting another in ${delay} ms.`,
    );
    slot.restart = setTimeout(() => fork(slot), delay);
  };

  /** Stops the serving-only workers, then the one with the duties, then exits. */
  const stopAll = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    for (const slot of slots) clearTimeout(slot.restart);
    const stop = async (slot: Slot): Promise<boolean> => {
      const worker = slot.worker;
      if (!worker) return true;
      const exited = once(worker, "exit") as Promise<[number | null, string | null]>;
      if (!slot.listening) {
        // Still loading or building its index: nothing in flight, and it may not read
        // messages for a while yet. SIGTERM ends it now, or through its handler once set.
        worker.process.kill("SIGTERM");
        await exited;
        return true;
      }
      send(worker, { fanfold: "stop" });
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"late">((r) => (timer = setTimeout(() => r("late"), STOP_GRACE_MS)));
      const outcome = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (outcome !== "late") return outcome[0] === 0;
      console.error(`Worker ${slot.number} did not stop within ${STOP_GRACE_MS} ms; killing it.`);
      worker.process.kill("SIGKILL");
      await exited;
      return false;
    };
    const serving = await Promise.all(slots.filter((s) => !s.duties).map(stop));
    const withDuties = await Promise.all(slots.filter((s) => s.duties).map(stop));
    await limiter?.close();
    const clean = [...serving, ...withDuties].every(Boolean);
    process.exit(exitCode !== 0 ? exitCode : clean ? 0 : 1);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  for (const slot of slots) fork(slot);
  await whenListening;
  ready = true;
  const pids = slots.map((s) => `${s.worker?.process.pid}${s.duties ? " (duties)" : ""}`);
  console.log(
    `Fanfold is running at ${shownUrl(address?.address ?? config.host, address?.port ?? config.port)} (${config.database.kind}, ${workers} workers, ready in ${Math.round(performance.now() - startedAt)} ms)`,
  );
  console.log(`Workers (pid): ${pids.join(", ")}`);
}
