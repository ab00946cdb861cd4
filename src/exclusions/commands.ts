/**
 * Saved exclusions: tags a reader never wants to see, and users they muted. Stored as the
 * canonical tag (a synonym typed here hides its canonical's whole folded set). Each is one
 * write after its checks, so neither needs a transaction.
 */
import { findUserByLogin } from "../accounts/queries.ts";
import type { Db } from "../core/db/index.ts";
import { limits } from "../core/limits.ts";
import { ok, refuse, type Result } from "../core/result.ts";
import { tagShownTo } from "../tags/count-queries.ts";
import { findTagByName } from "../tags/queries.ts";
import { findTagById } from "../tags/wrangling-queries.ts";
import * as q from "./queries.ts";

/** Hides a tag's works from the reader; answers the name of the tag hidden (its canonical). */
export async function excludeTag(
  db: Db,
  args: { userId: number; name: string; now: number },
): Promise<Result<{ hidden: string }>> {
  const { userId, name, now } = args;
  const tag = await findTagByName(db, name);
  // Only logged-in readers keep exclusions; a tag only hidden works carry is unknown to them.
  if (!tag || !(await tagShownTo(db, "members", tag)))
    return refuse(422, `There is no tag named "${name}".`, "tag");
  const target = tag.merger_id ?? tag.id;
  const { tags } = await q.countExclusions(db, userId);
  if (tags >= limits.excludedTags)
    return refuse(
      422,
      `You can hide at most ${limits.excludedTags} tags; remove one first.`,
      "tag",
    );
  await q.addExcludedTag(db, userId, target, now);
  const canonical = target === tag.id ? tag : await findTagById(db, target);
  return ok({ hidden: canonical?.name ?? tag.name });
}

/** Mutes a user by name; answers their login as stored. */
export async function muteUserByLogin(
  db: Db,
  args: { userId: number; login: string; now: number },
): Promise<Result<{ login: string }>> {
  const { userId, login, now } = args;
  const other = await findUserByLogin(db, login);
  if (!other) return refuse(422, `There is no user named "${login}".`, "login");
  if (other.id === userId) return refuse(422, "You can't mute yourself.", "login");
  const { users } = await q.countExclusions(db, userId);
  if (users >= limits.mutedUsers)
    return refuse(
      422,
      `You can mute at most ${limits.mutedUsers} users; unmute one first.`,
      "login",
    );
  await q.muteUser(db, userId, other.id, now);
  return ok({ login: other.login });
}
