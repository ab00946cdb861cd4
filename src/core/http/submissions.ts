/**
 * One-time form submissions. A form that creates something carries a random nonce; the first
 * request with it claims a key (a unique insert, so concurrent repeats cannot both win), runs,
 * and stores its answer; a repeat — a resubmit after a cut connection, a double click — gets
 * that answer instead of a second row.
 *
 * The claim is not in the handler's transaction (commands open their own), so it is 'pending'
 * while the handler runs, deleted if the handler fails (the author fixes the form and sends it
 * again), and 'done' with the status and Location once it succeeds. A process that dies
 * between the handler's commit and 'done' leaves the key pending: repeats are then refused
 * (409) rather than risk a duplicate, until the key expires a day later.
 */
import { createHmac } from "node:crypto";
import type { Db, Queryable } from "../db/index.ts";
import type { JobRunner } from "../jobs/runner.ts";
import type { FormValues } from "../views/forms.tsx";
import { NONCE_FIELD } from "./csrf.ts";
import { HttpError } from "./errors.ts";
import * as q from "./submission-queries.ts";

export interface SubmissionOutcome {
  status: number;
  location: string | null;
}

/** How long a repeat waits for the first request to finish before giving up with 409. */
const WAIT_MS = 3_000;
const POLL_MS = 100;
const KEEP_MS = 24 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;

/** The nonce a form sent, if any (a form from before nonces, a script: no deduplication). */
export function nonceOf(body: unknown): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[NONCE_FIELD];
  return typeof value === "string" && value.length >= 16 && value.length <= 100 ? value : undefined;
}

/**
 * The claim's key: who sent it (so one person's nonce never answers another), where, the nonce,
 * and the fields. With the fields in the key, a form restored by the back button and changed
 * before sending is a new submission; only an identical repeat is answered from the first.
 * Keyed with the server secret, so the table holds nothing guessable (sign-up sends passwords).
 */
export function submissionKey(
  secret: string,
  sender: string,
  target: string,
  nonce: string,
  fields: FormValues,
): string {
  const sorted = Object.keys(fields)
    .sort()
    .map((name) => [name, fields[name]]);
  return createHmac("sha256", secret)
    .update(JSON.stringify(["form-submission", sender, target, nonce, sorted]))
    .digest("hex");
}

/**
 * Claims `key` for this request (undefined), or returns the answer an earlier request with the
 * same key gave. Waits while that request is still running; a failed one frees the key.
 */
export async function claimSubmission(
  db: Queryable,
  key: string,
  now: number,
): Promise<SubmissionOutcome | undefined> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (await q.insertPending(db, key, now)) return undefined;
    const earlier = await q.findSubmission(db, key);
    if (earlier?.state === "done") {
      return { status: earlier.status ?? 200, location: earlier.location };
    }
    if (!earlier) continue; // the first request failed meanwhile: claim it again
    if (Date.now() >= deadline) {
      throw new HttpError(
        409,
        "This form was already sent and is still being processed. Please wait a moment and check whether it was saved before sending it again.",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Stores a success for repeats to get; frees the key after a failure (4xx/5xx). */
export async function settleSubmission(
  db: Queryable,
  key: string,
  outcome: SubmissionOutcome,
): Promise<void> {
  if (outcome.status >= 400) await q.deletePending(db, key);
  else await q.markDone(db, key, outcome.status, outcome.location);
}

/** Frees the key of a request whose handler threw. */
export function releaseSubmission(db: Queryable, key: string): Promise<void> {
  return q.deletePending(db, key);
}

/** Keys are kept for a day: a repeat later than that is a new submission. */
export function scheduleSubmissionPruning(jobs: JobRunner, db: Db): void {
  jobs.every("form-submissions.prune", PRUNE_EVERY_MS, async (_payload, { now }) => {
    await q.pruneSubmissions(db, now - KEEP_MS);
  });
}
