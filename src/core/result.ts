/**
 * What every command answers: its value, or a refusal that says why, field by field, with the
 * HTTP status a route should answer with. One shape for every domain, so one route helper
 * (core/http/route.tsx `refusedForm`) can put any command's errors back into its form.
 *
 * Commands take the database (or a transaction) and their arguments, including `now`; they
 * never read the clock themselves, so tests and importers decide what time it is.
 */
import type { Db, Tx } from "./db/index.ts";

/** Field name → message; `_form` is about the whole form (shown at the top). */
export type Errors = Record<string, string>;

/** 401 log in first, 403 not allowed, 404 gone, 409 conflicts with the current state,
 *  413 too large, 422 the input is wrong, 429 too often. */
export type RefusalStatus = 401 | 403 | 404 | 409 | 413 | 422 | 429;

export interface Refusal {
  ok: false;
  status: RefusalStatus;
  errors: Errors;
}

export type Result<T = undefined> = { ok: true; value: T } | Refusal;

export function ok(): Result<undefined>;
export function ok<T>(value: T): Result<T>;
export function ok<T>(value?: T): Result<T | undefined> {
  return { ok: true, value };
}

/**
 * A refusal. A plain message is about the whole form (`_form`) unless a field is named;
 * an object names a message per field.
 */
export function refuse(
  status: RefusalStatus,
  errors: Errors | string,
  field: string = "_form",
): Refusal {
  return { ok: false, status, errors: typeof errors === "string" ? { [field]: errors } : errors };
}

/** The refusal as one sentence (the first message), for flashes, JSON and error pages. */
export const refusalMessage = (refusal: Refusal): string =>
  refusal.errors._form ?? Object.values(refusal.errors)[0] ?? "That could not be done.";

/** Thrown by a step deep inside a transaction to refuse: the transaction rolls back. */
export class Rollback extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusalMessage(refusal));
  }
}

export function rollback(refusal: Refusal): never {
  throw new Rollback(refusal);
}

/**
 * Runs a command's steps in one transaction. A refusal, returned or thrown (`rollback`) by any
 * step, undoes everything the transaction wrote, so a refused command has changed nothing.
 */
export async function inTransaction<T>(
  db: Db,
  steps: (tx: Tx) => Promise<Result<T>>,
): Promise<Result<T>> {
  try {
    return await db.transaction().execute(async (tx) => {
      const result = await steps(tx);
      if (!result.ok) throw new Rollback(result);
      return result;
    });
  } catch (err) {
    if (err instanceof Rollback) return err.refusal;
    throw err;
  }
}
