/** Query and address parts every domain reads the same way. */
import { z } from "zod";
import { limits } from "../limits.ts";

/** `?page=N`: 1 to limits.maxPage, 1 when absent. */
export const pageNumber = z.coerce
  .number({ message: "must be a page number" })
  .int("must be a whole number")
  .min(1, "must be 1 or more")
  .max(limits.maxPage, `must be at most ${limits.maxPage}`)
  .default(1);

export const PageQuery = z.object({ page: pageNumber });

/** Ids are 32-bit on both engines (serial / integer). */
export const MAX_RECORD_ID = 2 ** 31 - 1;

/** A record's id in an address or a form; `what` names it in the message ("a work number"). */
export const recordId = (what: string) => {
  const message = `must be a ${what} number`;
  return z.coerce.number({ message }).int(message).positive(message).max(MAX_RECORD_ID, message);
};

/** Forms that send the reader back to the page they were on. */
/** A `return_to` field, for forms that carry other fields too (core/http/return-to.ts reads it). */
export const returnToField = z.string().max(2_000).optional();

export const ReturnToInput = z.object({ return_to: returnToField });
