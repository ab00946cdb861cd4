/**
 * Saved exclusions: tags a reader never wants to see, and users they muted. Stored as the
 * canonical tag (a synonym typed here hides its canonical's whole folded set).
 */
import { findUserByLogin } from "../accounts/queries.ts";
import type { Queryable } from "../core/db/index.ts";
import { limits } from "../core/limits.ts";
import { tagShownTo } from "../tags/count-queries.ts";
import { findTagByName } from "../tags/queries.ts";
import { findTagById } from "../tags/wrangling-queries.ts";
import * as q from "./queries.ts";

export type Outcome = { ok: true; message: string } | { ok: false; field: string; message: string };

export async function excludeTag(
  db: Queryable,
  userId: number,
  name: string,
  now: number,
): Promise<Outcome> {
  const tag = await findTagByName(db, name);
  // Only logged-in readers keep exclusions; a tag only hidden works carry is unknown to them.
  if (!tag || !(await tagShownTo(db, "members", tag)))
    return { ok: false, field: "tag", message: `There is no tag named "${name}".` };
  const target = tag.merger_id ?? tag.id;
  const { tags } = await q.countExclusions(db, userId);
  if (tags >= limits.excludedTags) {
    return {
      ok: false,
      field: "tag",
      message: `You can hide at most ${limits.excludedTags} tags; remove one first.`,
    };
  }
  await q.addExcludedTag(db, userId, target, now);
  const canonical = target === tag.id ? tag : await findTagById(db, target);
  const shown = canonical?.name ?? tag.name;
  return { ok: true, message: `Works tagged “${shown}” are now hidden from your listings.` };
}

export async function muteUserByLogin(
  db: Queryable,
  userId: number,
  login: string,
  now: number,
): Promise<Outcome> {
  const other = await findUserByLogin(db, login);
  if (!other) return { ok: false, field: "login", message: `There is no user named "${login}".` };
  if (other.id === userId)
    return { ok: false, field: "login", message: "You can't mute yourself." };
  const { users } = await q.countExclusions(db, userId);
  if (users >= limits.mutedUsers) {
    return {
      ok: false,
      field: "login",
      message: `You can mute at most ${limits.mutedUsers} users; unmute one first.`,
    };
  }
  await q.muteUser(db, userId, other.id, now);
  return { ok: true, message: `${other.login} is muted: their works are hidden from you.` };
}
