import type { Queryable } from "../../core/db/index.ts";
import type { UserDetails } from "../../core/http/server.tsx";
import { countUnread } from "./queries.ts";

/** The unread inbox count for the header: one indexed count per request. */
export const unreadCountOf =
  (db: Queryable): UserDetails =>
  async (user) => ({ unreadNotifications: await countUnread(db, user.id) });
