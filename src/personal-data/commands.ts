/**
 * A person's data, as writes: asking for an export, orphaning works, closing the account.
 * One transaction each, taking `now`; refusals name the field they are about.
 */
import { randomBytes } from "node:crypto";
import { verifyPassword } from "../accounts/passwords.ts";
import { recordChanges } from "../core/db/changes.ts";
import type { Db, Queryable } from "../core/db/index.ts";
import { enqueue } from "../core/jobs/kinds.ts";
import { inTransaction, ok, refuse, rollback, type Errors, type Result } from "../core/result.ts";
import { recountWork } from "../engagement/counters/queries.ts";
import { deleteWorkIn } from "../works/commands.ts";
import { findWork } from "../works/queries.ts";
import { EXPORT_TTL_MS } from "./export.tsx";
import * as q from "./queries.ts";

// --- exports -----------------------------------------------------------------------------------

/** Attempts of the export job before the export is marked failed. */
export const EXPORT_ATTEMPTS = 3;

/**
 * Queues an export of the user's data. One at a time: while one is queued, asking again
 * answers that one (409), so a double click builds one archive.
 */
export async function requestExport(
  db: Db,
  args: { userId: number; now: number },
): Promise<Result<{ exportId: number }>> {
  const { userId, now } = args;
  return inTransaction(db, async (tx) => {
    const pending = (await q.exportsOfUser(tx, userId, now)).find((e) => e.status === "queued");
    if (pending)
      return refuse(409, "Your data is already being prepared. It will be listed here when ready.");
    // The name is fixed now, so a retried job writes the same file (no strays).
    const fileName = `exports/${randomBytes(16).toString("hex")}.tar.gz`;
    const exportId = await q.insertExport(tx, {
      userId,
      fileName,
      now,
      expiresAt: now + EXPORT_TTL_MS,
    });
    await enqueue(
      tx,
      {
        kind: "personal-data.export",
        payload: { exportId },
        maxAttempts: EXPORT_ATTEMPTS,
        priority: 5,
      },
      now,
    );
    return ok({ exportId });
  });
}

// --- orphaning ---------------------------------------------------------------------------------

/** The shared account orphaned works are credited to. It has no password and cannot log in. */
export const ORPHAN_LOGIN = "orphan_account";
const ORPHAN_EMAIL = "orphan_account@orphans.invalid";
/** Not an Argon2 hash: no password verifies against it. */
const NO_PASSWORD = "!orphan-account-cannot-log-in";

/**
 * The orphan account and its default pseud, created the first time a work is orphaned (any
 * number of callers at once create one). A person who took the name before the account
 * existed is never credited with anyone's work: orphaning is refused until an admin renames
 * that account.
 */
export async function ensureOrphanAccount(
  tx: Queryable,
  now: number,
): Promise<{ userId: number; pseudId: number }> {
  await q.insertReservedUser(tx, {
    login: ORPHAN_LOGIN,
    email: ORPHAN_EMAIL,
    passwordHash: NO_PASSWORD,
    now,
  });
  const user = await q.findUserByLoginKey(tx, ORPHAN_LOGIN);
  if (!user || user.email !== ORPHAN_EMAIL || user.password_hash !== NO_PASSWORD)
    rollback(
      refuse(
        409,
        `Works cannot be orphaned right now: the name "${ORPHAN_LOGIN}" belongs to an ordinary account. Please tell the archive's admins.`,
      ),
    );
  const pseudId = await q.ensurePseud(tx, {
    userId: user.id,
    name: ORPHAN_LOGIN,
    isDefault: true,
    now,
  });
  return { userId: user.id, pseudId };
}

export interface OrphanChoice {
  workId: number;
  /** Credit the orphan account's pseud of the author's pseud name, not "orphan_account". */
  keepName: boolean;
}

/**
 * Hands a work to the orphan account, inside the caller's transaction: each of the user's
 * creatorships on it moves to the orphan account's pseud (its default one, or one named as
 * the author's pseud was). Co-creators stay. The work stays readable; the user can no longer
 * edit it, and nothing links it to them any more.
 */
export async function orphanWorkIn(
  tx: Queryable,
  args: { userId: number; choice: OrphanChoice; now: number },
): Promise<Result> {
  const { userId, choice, now } = args;
  const held = await q.creatorshipsOfUserOn(tx, userId, choice.workId);
  if (held.length === 0) return refuse(403, "Only a creator of a work can orphan it.");
  // Nobody could ever post or read an orphaned draft: it would only sit there.
  if ((await findWork(tx, choice.workId))?.posted === 0)
    return refuse(422, "A draft cannot be orphaned: post it first, or delete it.");
  const orphan = await ensureOrphanAccount(tx, now);
  const present = new Set(await q.creatorPseudIds(tx, choice.workId));
  for (const c of held) {
    const target = choice.keepName
      ? await q.ensurePseud(tx, { userId: orphan.userId, name: c.name, isDefault: false, now })
      : orphan.pseudId;
    if (present.has(target)) {
      await q.removeCreatorship(tx, choice.workId, c.pseud_id);
    } else {
      await q.moveCreatorship(tx, {
        workId: choice.workId,
        fromPseudId: c.pseud_id,
        toPseudId: target,
      });
      present.add(target);
    }
  }
  await q.bumpWorkVersion(tx, choice.workId, now);
  // Listings, the browse index and the text index show bylines: they follow the change log.
  await recordChanges(tx, "work", [choice.workId], now);
  return ok();
}

export async function orphanWork(
  db: Db,
  args: { userId: number; choice: OrphanChoice; now: number },
): Promise<Result> {
  return inTransaction(db, (tx) => orphanWorkIn(tx, args));
}

// --- closing an account ------------------------------------------------------------------------

export type WorkFate = "orphan" | "orphan-keep-name" | "delete";
export const WORK_FATES: readonly WorkFate[] = ["orphan", "orphan-keep-name", "delete"];

/** The form field that holds one work's fate. */
export const fateField = (workId: number) => `work_${workId}`;

/**
 * Closes an account, after its password is given again. In one transaction: each of the
 * user's works is orphaned or deleted as chosen (a co-created work "deleted" only loses this
 * creator); comments stay, as "(deleted account)"; kudos, bookmarks, subscriptions, history,
 * inbox and its settings, exclusions, mutes, blocks, saved searches, sessions, exports, pseuds
 * and the account itself are deleted, and the counters of works they counted on are counted
 * again. Answers the export files to remove once committed.
 */
export async function deleteAccount(
  db: Db,
  args: {
    userId: number;
    password: string;
    fates: ReadonlyMap<number, string | undefined>;
    now: number;
  },
): Promise<Result<{ files: string[] }>> {
  const { userId, now } = args;
  const user = await q.accountRow(db, userId);
  if (!user) return refuse(404, "That account no longer exists.");
  if (!(await verifyPassword(user.password_hash, args.password)))
    return refuse(422, "That is not your password.", "password");
  return inTransaction(db, async (tx) => {
    const works = await q.worksOfUser(tx, userId);
    const errors: Errors = {};
    const chosen = new Map<number, WorkFate>();
    for (const w of works) {
      const fate = args.fates.get(w.id);
      if (!WORK_FATES.includes(fate as WorkFate))
        errors[fateField(w.id)] = `Choose what happens to "${w.title}".`;
      else if (w.draft && fate !== "delete")
        errors[fateField(w.id)] = `"${w.title}" is a draft: drafts can only be deleted.`;
      else chosen.set(w.id, fate as WorkFate);
    }
    if (Object.keys(errors).length > 0) return refuse(422, errors);

    for (const w of works) {
      const fate = chosen.get(w.id);
      if (fate === "delete" && !w.coCreated) {
        // Through the works domain: bookmarks keep what the work was (the work.deleted event).
        const deleted = await deleteWorkIn(tx, { workId: w.id, now });
        if (!deleted.ok) return deleted;
      } else if (fate === "delete") {
        for (const c of await q.creatorshipsOfUserOn(tx, userId, w.id))
          await q.removeCreatorship(tx, w.id, c.pseud_id);
        await q.bumpWorkVersion(tx, w.id, now);
        await recordChanges(tx, "work", [w.id], now);
      } else {
        const orphaned = await orphanWorkIn(tx, {
          userId,
          choice: { workId: w.id, keepName: fate === "orphan-keep-name" },
          now,
        });
        if (!orphaned.ok) return orphaned;
      }
    }

    const counted = await q.worksCountedBy(tx, userId);
    await q.detachComments(tx, userId, now);
    const mail = await q.queuedMailJobs(tx);
    await q.deleteJobs(
      tx,
      mail.filter((j) => mailedTo(j.payload) === user.email.toLowerCase()).map((j) => j.id),
    );
    const files = await q.deleteUserRows(tx, userId, user.email);
    // Kudos, public bookmarks and subscriptions went: their works' counters follow.
    for (const workId of counted) await recountWork(tx, workId, now);
    return ok({ files });
  });
}

function mailedTo(payload: string): string | undefined {
  try {
    const to = (JSON.parse(payload) as { to?: unknown }).to;
    return typeof to === "string" ? to.trim().toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
