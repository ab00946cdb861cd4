/** What the primary and its workers tell each other over the cluster's IPC channel. */

/** Primary → worker, once after fork: how to serve. */
export interface StartMessage {
  fanfold: "start";
  /** 1…N; a replacement takes the slot of the worker it replaces. */
  slot: number;
  duties: boolean;
  poolSize: number;
}

/** Worker → primary → the worker with duties: a write may have committed jobs. */
export interface WakeJobsMessage {
  fanfold: "wake-jobs";
}

/** Primary → worker: finish what is in flight, close, exit 0. */
export interface StopMessage {
  fanfold: "stop";
}

export type ServeMessage = StartMessage | WakeJobsMessage | StopMessage;

/** The message if it is one of ours (rate-limit questions have their own, rate-limit.ts). */
export function serveMessage(m: unknown): ServeMessage | null {
  if (typeof m !== "object" || m === null || !("fanfold" in m)) return null;
  const kind = m.fanfold;
  if (kind === "wake-jobs" || kind === "stop") return { fanfold: kind };
  if (kind !== "start") return null;
  const { slot, duties, poolSize } = m as Partial<StartMessage>;
  if (typeof slot !== "number" || typeof duties !== "boolean" || typeof poolSize !== "number")
    return null;
  return { fanfold: "start", slot, duties, poolSize };
}
