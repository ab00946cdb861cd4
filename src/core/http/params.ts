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
