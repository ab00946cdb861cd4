import type { Queryable } from "../core/db/index.ts";
import type { UserDetails } from "../core/http/server.tsx";
import { loadExclusions } from "./queries.ts";

/** The reader's saved exclusions, added to whoever the session says they are. */
export const exclusionsOf =
  (db: Queryable): UserDetails =>
  async (user) => ({ exclusions: await loadExclusions(db, user.id) });
