/**
 * Typed job kinds: a map from each kind to the zod schema of its payload. `defineJobs()` gives
 * the enqueue functions for one such map, and a `JobRunner` built with it types `register()`
 * and `every()` by kind, so a wrong payload does not compile on either side. The runner parses
 * each payload with its kind's schema before the handler sees it (rows queued by an older
 * version of the app, or by hand, get no such check from the compiler).
 */
import type { z } from "zod";
import type { Queryable } from "../db/index.ts";
import * as q from "./job-queries.ts";

export type JobSchemas = Record<string, z.ZodType>;

export type JobKind<S extends JobSchemas> = keyof S & string;

/** What a handler of kind `K` receives: its schema's output (defaults filled in). */
export type PayloadOf<S extends JobSchemas, K extends JobKind<S>> = z.output<S[K]>;

/** Kinds whose payload may be left out (stored as null): the only ones `every()` can run. */
export type BareKind<S extends JobSchemas> = {
  [K in JobKind<S>]: null extends z.input<S[K]> ? K : never;
}[JobKind<S>];

/** One job to add: a kind, that kind's payload, and the queue's options. */
export type NewJob<S extends JobSchemas> = {
  [K in JobKind<S>]: { kind: K } & (null extends z.input<S[K]>
    ? { payload?: z.input<S[K]> }
    : { payload: z.input<S[K]> }) &
    Omit<q.NewJob, "kind" | "payload">;
}[JobKind<S>];

export interface Jobs<S extends JobSchemas> {
  readonly schemas: S;
  /** Adds a job in the caller's transaction (so it exists exactly if the change does). */
  readonly enqueue: (db: Queryable, job: NewJob<S>, now: number) => Promise<void>;
  /** Many jobs in a few statements, in the caller's transaction. */
  readonly enqueueMany: (db: Queryable, jobs: readonly NewJob<S>[], now: number) => Promise<void>;
}

export function defineJobs<const S extends JobSchemas>(schemas: S): Jobs<S> {
  // Not parsed here: the types check what the app sends, and a fan-out's thousands of email
  // jobs need no second look. The runner checks each payload when it runs the job.
  return {
    schemas,
    enqueue: (db, job, now) => q.insertJob(db, job, now),
    enqueueMany: (db, jobs, now) => q.insertJobs(db, jobs, now),
  };
}
