/**
 * Hits: one per visitor per work per UTC day, and one per visitor per chapter per day for the
 * chapter's figure. A visitor is the account when logged in, else a keyed hash of address and
 * user agent (the address is never stored; the day is part of the hash, so a guest cannot be
 * followed from one day to the next). Creators' own views, drafts and admins never count.
 * The page only records the visit in memory; `HitBuffer` writes visits in batches.
 *
 * The entire-work page counts one hit for the work and none for its chapters: loading every
 * chapter at once says nothing about which ones were read, and per-chapter figures stay what
 * they mean on AO3 (readers who opened that chapter). It also keeps the page at one claim.
 */
import { createHmac } from "node:crypto";
import type { Db } from "../../core/db/index.ts";
import type { JobRunner } from "../../core/jobs/runner.ts";
import type { Viewer } from "../../core/viewer.ts";
import type { WorkPageAddOn, WorkPageContext } from "../../works/page-addons.ts";
import { dayOf } from "../counters/queries.ts";
import type { HitBuffer } from "./hit-buffer.ts";
import { pruneVisitors } from "./hit-queries.ts";

/** Account visitors: "u" is not a hex digit, so they never collide with guest hashes. */
export function visitorKey(
  secret: string,
  viewer: Viewer,
  guest: { ip: string; userAgent: string },
  day: number,
): string {
  if (viewer.user) return `u${viewer.user.id}`;
  return createHmac("sha256", secret)
    .update(`hit\0${day}\0${guest.ip}\0${guest.userAgent}`)
    .digest("hex")
    .slice(0, 32);
}

/** Views that never count: the creator's, an admin's, and any view of a draft. */
export function countsAsHit(ctx: WorkPageContext): boolean {
  if (ctx.loaded.isCreator || ctx.viewer.user?.roles.has("admin")) return false;
  if (!ctx.loaded.work.posted) return false;
  return ctx.chapter === null || ctx.chapter.posted === 1;
}

export function recordHit(hits: HitBuffer, ctx: WorkPageContext): void {
  // HEAD requests (link checkers, previews) fetch no text for anyone to read.
  if (ctx.req.method !== "GET" || !countsAsHit(ctx)) return;
  const { deps } = ctx;
  const day = dayOf(deps.now());
  const visitor = visitorKey(
    deps.config.secret,
    ctx.viewer,
    { ip: ctx.req.ip, userAgent: ctx.req.headers["user-agent"] ?? "" },
    day,
  );
  hits.record({ workId: ctx.loaded.work.id, chapterId: ctx.chapter?.id ?? null, day, visitor });
}

/** The reading-page add-on: the visit waits in `hits` for the next batch. */
export function hitCounter(hits: HitBuffer): WorkPageAddOn {
  return {
    viewed(ctx) {
      recordHit(hits, ctx);
      return Promise.resolve();
    },
  };
}

const PRUNE_EVERY_MS = 6 * 3_600_000;

/** Visitor rows older than yesterday can no longer make a duplicate: drop them. */
export function scheduleHitPruning(jobs: JobRunner, db: Db): void {
  jobs.every("hits.prune", PRUNE_EVERY_MS, async (_payload, { now }) => {
    await pruneVisitors(db, dayOf(now) - 1);
  });
}
