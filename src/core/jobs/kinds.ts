/**
 * Every kind of job the app queues, with the zod schema of its payload: the one list that
 * types `enqueue()`, `enqueueMany()`, `register()` and `every()` (see define.ts).
 *
 * It lives in the core because the core is the one folder every job's owner may import: works
 * announce posts and deletions, engagement handles those and queues email, and the core prunes
 * its own form submissions. A list in a domain would have to sit in works (engagement may
 * import works, not the reverse), hold engagement's jobs there, and still be out of the core's
 * reach. The payloads are plain data (ids, counts, names), so naming them here imports nothing
 * from a domain; what each job does stays with the domain that registers its handler. The
 * runner itself is generic over such a list (define.ts), so its tests bring kinds of their own.
 *
 * Rows already queued keep the shape they were written with: a schema may only widen (new
 * fields optional or defaulted), or old rows fail as invalid.
 */
import { z } from "zod";
import { defineJobs, type JobKind, type NewJob, type PayloadOf } from "./define.ts";

const Id = z.number().int().positive();

/** Recurring jobs (`every()`) carry no payload. */
const Recurring = z.null();

export const jobKinds = defineJobs({
  // ── Events from the works domain (works/commands.ts), queued in the writing transaction ──
  /** Readers can now see a new work: subscribers hear of it. */
  "work.posted": z.object({ workId: Id }),
  /** Readers can now see a new chapter of a posted work. */
  "chapter.posted": z.object({ workId: Id, chapterId: Id }),
  /**
   * What was known of a deleted work, kept on its bookmarks. Events queued before it carried
   * more than the id have only `workId`.
   */
  "work.deleted": z.object({
    workId: Id,
    title: z.string().optional(),
    creators: z.array(z.string()).default([]),
    fandoms: z.array(z.string()).default([]),
    words: z.number().int().nonnegative().optional(),
    restricted: z.boolean().optional(),
  }),
  /** A chapter went, and what hung on it (its comments) with it: counters follow. */
  "chapter.deleted": z.object({ workId: Id, chapterId: Id }),
  /**
   * A posted work left its last unrevealed collection (issue 15): readers can see it for the
   * first time, so it is announced now as `work.posted` would have been, and its gift
   * recipients and related works' creators hear of it.
   */
  "work.revealed": z.object({ workId: Id }),
  /** A co-creator invitation (works/creators/): it lands in the invitee's inbox. */
  "creator.invited": z.object({ invitationId: Id }),
  /** A work was given to a pseud on the archive (works/gifts/): the recipient hears of it. */
  "gift.given": z.object({ giftId: Id }),
  /** A work names another on this archive as its parent (works/related/): its creators approve. */
  "related.linked": z.object({ relatedId: Id }),
  /**
   * A posted work joined a series (works/series/, issue 15), queued in the transaction that
   * adds it: the series' subscribers hear of it (engagement/subscriptions/series.ts), unless
   * they were told of the work already.
   */
  "series.work-added": z.object({ seriesId: Id, workId: Id }),

  // ── Collections (collections/, issue 15) ──
  /**
   * A work's item in a collection changed: "submitted" (it waits for the moderators),
   * "approved" or "rejected" (its creators hear), "invited" (a moderator asks its creators).
   * Engagement turns it into inbox notifications.
   */
  "collection.item": z.object({
    collectionId: Id,
    workId: Id,
    event: z.enum(["submitted", "approved", "rejected", "invited"]),
  }),
  /** Collections whose reveal dates have passed reveal their works and creators. */
  "collections.reveal": Recurring,

  // ── Engagement ──
  /** One notification, mailed to its recipient (notifications/notify.ts). */
  "notification.email": z.object({ notificationId: Id }),
  "kudos.digest": Recurring,
  "hits.prune": Recurring,

  // ── Accounts and personal data ──
  /**
   * One message to one address: account mail (confirmation, reset, notices). The row may hold
   * a one-time link until it is sent; done jobs are deleted, and the link's token is stored
   * hashed everywhere else.
   */
  "mail.send": z.object({
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    html: z.string(),
  }),
  /** Build one person's data archive (personal-data/). */
  "personal-data.export": z.object({ exportId: Id }),
  /** Delete data archives past their expiry, and files no export row names. */
  "personal-data.prune": Recurring,
  /** Expired and long-used account links (accounts/recovery). */
  "account-tokens.prune": Recurring,

  // ── Import ──
  /** Uploads kept for an import's preview past 24 hours, and files no upload row names. */
  "import-uploads.prune": Recurring,

  // ── Downloads ──
  /** Build one format of a long work's current version into the download cache. */
  "download.build": z.object({ workId: Id, format: z.enum(["epub", "html", "txt", "pdf"]) }),
  /** Cached download files of works that no longer exist. */
  "downloads.prune": Recurring,

  // ── Core ──
  "form-submissions.prune": Recurring,
});

export const { enqueue, enqueueMany } = jobKinds;

export type AppJobSchemas = typeof jobKinds.schemas;
export type AppJobKind = JobKind<AppJobSchemas>;
/** One job to enqueue: a kind and its payload. */
export type AppJob = NewJob<AppJobSchemas>;
/** The payload a handler of `kind` receives. */
export type JobPayload<K extends AppJobKind> = PayloadOf<AppJobSchemas, K>;
