/**
 * Row types of every table, as Kysely sees them. Times are epoch milliseconds; flags are 0/1
 * (SQLite has neither booleans nor timestamps, and one representation keeps every query the
 * same on both engines). Migrations must produce exactly these columns (checked by a test).
 *
 * Every `*_html` column is `SanitizedHtml` (core/text/sanitize.ts): what is written must come
 * from the sanitizer, and what is read goes to the views' one raw-HTML exit without a cast.
 */
import type { Generated, Insertable, Selectable } from "kysely";
import type { SanitizedHtml } from "../text/sanitize.ts";

export type Flag = 0 | 1;

export interface UsersTable {
  id: Generated<number>;
  login: string;
  login_key: string;
  email: string;
  password_hash: string;
  /** Space-separated role names ("wrangler admin"); empty for ordinary users. */
  roles: Generated<string>;
  /** Preference: skip the adult-content interstitial. */
  view_adult: Generated<Flag>;
  /** Preference "Turn on History": reading pages add to the reader's history (default on). */
  history_enabled: Generated<Flag>;
  created_at: number;
  /** Null until the address is confirmed through the link mailed at sign-up. */
  email_confirmed_at: number | null;
  /** A moderator's suspension: until then the account can read but not post (core/permissions.ts). */
  suspended_until: number | null;
  /** Banned by a moderator: cannot log in. */
  banned_at: number | null;
  /** When the terms of service were accepted (at sign-up). */
  terms_accepted_at: number | null;
  /** Invitations this account may still share (accounts/invitations; admins grant more). */
  invitations_left: Generated<number>;
  /** The text format the writer last posted with (works/text-format-queries.ts). */
  text_format: Generated<TextFormatName>;
  /** Others may invite this user's pseuds as co-creators. */
  allow_cocreator: Generated<Flag>;
  /** Others may give this user's pseuds gifts. */
  allow_gifts: Generated<Flag>;
}

export interface PseudsTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  name_key: string;
  is_default: Generated<Flag>;
  description: Generated<string>;
  created_at: number;
}

export interface SessionsTable {
  /** sha256 (hex) of the cookie's token: a stolen database does not yield live cookies. */
  id: string;
  user_id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export type TagType =
  | "media"
  | "rating"
  | "warning"
  | "category"
  | "fandom"
  | "relationship"
  | "character"
  | "freeform";

export interface TagsTable {
  id: Generated<number>;
  name: string;
  /** Case- and space-folded name: tag names are unique on this. */
  name_key: string;
  type: TagType;
  canonical: Generated<Flag>;
  created_at: number;
  /** For a synonym: the canonical tag it folds into. */
  merger_id: number | null;
  /** Works tagged with exactly this tag, drafts included (kept by tags/count-queries.ts). */
  taggings_count: Generated<number>;
  /** Of those, posted works: what a logged-in reader may see (restricted ones included). */
  members_count: Generated<number>;
  /** Of those, posted unrestricted works: what a guest may see. */
  public_count: Generated<number>;
}

/**
 * Links between tags; what a link means follows from the two types: fandom → medium,
 * character/relationship/freeform → fandom, relationship → character, and a subtag → its
 * metatag of the same type.
 */
export interface TagParentsTable {
  child_id: number;
  parent_id: number;
}

/** The folded tags of a work (canonical forms plus metatags): what filters and tag pages use. */
export interface WorkFilterTagsTable {
  work_id: number;
  tag_id: number;
}

export interface WorksTable {
  id: Generated<number>;
  title: string;
  summary_html: Generated<SanitizedHtml>;
  notes_html: Generated<SanitizedHtml>;
  end_notes_html: Generated<SanitizedHtml>;
  sanitizer_version: number;
  language: string;
  expected_chapters: number | null;
  /** Posted (non-draft) chapters; kept by the chapter commands. */
  chapter_count: Generated<number>;
  /** Words in posted chapters. */
  word_count: Generated<number>;
  complete: Generated<Flag>;
  /** Only shown to logged-in readers. */
  restricted: Generated<Flag>;
  /** 0 = draft, visible to its creators only. */
  posted: Generated<Flag>;
  rating_id: number;
  published_at: number | null;
  /** When a chapter was last posted or the work completed: what listings sort by. */
  revised_at: number | null;
  created_at: number;
  edited_at: number;
  /** Bumped on every change that alters the text a reader sees (export caches key on it). */
  version: Generated<number>;
  /** Who may comment: registered users, everyone (guests too), or nobody. */
  comment_policy: Generated<CommentPolicy>;
  /** New comments wait for a creator's approval. */
  moderated_comments: Generated<Flag>;
  /** Hidden by a moderator (null: not hidden): only its owners see it, with this reason. */
  hidden_reason: string | null;
  hidden_at: number | null;
  /** In an anonymous collection: bylines say "Anonymous" (kept by collections/). */
  in_anon_collection: Generated<Flag>;
  /** In an unrevealed collection: only its creators see it (kept by collections/). */
  in_unrevealed_collection: Generated<Flag>;
}

export type CommentPolicy = "registered" | "everyone" | "off";

export interface CreatorshipsTable {
  work_id: number;
  pseud_id: number;
  position: Generated<number>;
}

export interface WorkTagsTable {
  work_id: number;
  tag_id: number;
  /** Order in which the author typed the tags. */
  position: Generated<number>;
}

export interface ChaptersTable {
  id: Generated<number>;
  work_id: number;
  position: number;
  title: Generated<string>;
  summary_html: Generated<SanitizedHtml>;
  notes_html: Generated<SanitizedHtml>;
  end_notes_html: Generated<SanitizedHtml>;
  text_html: SanitizedHtml;
  /** text_html as reading pages show it (paragraph ids for `position`); null: not yet. */
  rendered_html: SanitizedHtml | null;
  sanitizer_version: number;
  word_count: number;
  posted: Generated<Flag>;
  published_at: number | null;
  created_at: number;
  edited_at: number;
}

/** What changed, for indexes kept in memory; see core/db/changes.ts. */
export interface ChangesTable {
  id: Generated<number>;
  /** "counts": a work's engagement counters (work_stats); entity_id is the work's id. */
  entity: "tag" | "work" | "counts";
  entity_id: number;
  created_at: number;
}

/** One row: the archive's random id, kept by backups (see core/db/changes.ts). */
export interface ArchiveTable {
  id: string;
  created_at: number;
}

/** A tag a reader never wants to see: works carrying it (folded) leave their listings. */
export interface ExcludedTagsTable {
  user_id: number;
  tag_id: number;
  created_at: number;
}

/** A user whose works (and, later, bookmarks and comments) a reader never sees. */
export interface MutedUsersTable {
  user_id: number;
  muted_user_id: number;
  created_at: number;
}

/** A named search: a listing path (e.g. /works/search) and its short query string. */
export interface SavedSearchesTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  path: string;
  query: string;
  created_at: number;
}

/**
 * Which works the text index holds (src/search/text). The index tables themselves differ per
 * engine (FTS5 virtual tables on SQLite, tsvector rows on PostgreSQL) and are only reached
 * through src/search/text/sqlite-text-queries.ts and postgres-text-queries.ts.
 */
export interface WorkTextStateTable {
  work_id: number;
  /** TEXT_INDEX_FORMAT the entry was built with. */
  format: number;
  /** Identifies the posted chapters' versions the body was built from. */
  body_key: string;
  indexed_at: number;
}

/** One row (id 1): the change-log id the text index is current up to (search/text/follower.ts). */
export interface WorkTextCursorTable {
  id: number;
  change_id: number;
}

/** Counters about a work, kept by the engagement commands in the transaction they count in. */
export interface WorkStatsTable {
  work_id: number;
  kudos: Generated<number>;
  comments: Generated<number>;
  /** Public bookmarks. */
  bookmarks: Generated<number>;
  hits: Generated<number>;
  subscriptions: Generated<number>;
  /** Indexes that sort by counts re-read rows changed since they last looked. */
  updated_at: number;
}

/** The same counters per day (UTC days since 1970) and per chapter; chapter_id 0 = whole work. */
export interface WorkDailyStatsTable {
  work_id: number;
  chapter_id: number;
  day: number;
  hits: Generated<number>;
  kudos: Generated<number>;
  comments: Generated<number>;
  bookmarks: Generated<number>;
  subscriptions: Generated<number>;
}

/** Visitors already counted as a hit on a day: a keyed hash, never an address. */
export interface HitVisitorsTable {
  work_id: number;
  chapter_id: number;
  day: number;
  visitor: string;
}

export interface KudosTable {
  id: Generated<number>;
  work_id: number;
  user_id: number | null;
  /** Guests: keyed hash of their address. */
  guest_key: string | null;
  created_at: number;
}

export type CommentStatus = "published" | "pending" | "hidden";

export interface CommentsTable {
  id: Generated<number>;
  work_id: number;
  /** The chapter commented on; null for a comment on the whole work. */
  chapter_id: number | null;
  parent_id: number | null;
  /** The thread's first comment (its own id for a first comment). */
  thread_id: number;
  /** 1 for a first comment, 2 for a reply to it, … */
  depth: number;
  user_id: number | null;
  pseud_id: number | null;
  guest_name: string | null;
  /** Never shown to anyone. */
  guest_email: string | null;
  body_html: SanitizedHtml;
  sanitizer_version: number;
  status: CommentStatus;
  /** Deleted comments with replies stay as a placeholder so the thread keeps its shape. */
  deleted: Generated<Flag>;
  /** No new replies (set on every comment of a frozen thread). */
  frozen: Generated<Flag>;
  created_at: number;
  edited_at: number | null;
  /** Hidden by a moderator (null: not hidden): only its owners see it, with this reason. */
  hidden_reason: string | null;
  hidden_at: number | null;
  /** Set when the author deleted their account: the comment stays, as "(deleted account)". */
  author_deleted_at: number | null;
}

export interface BookmarksTable {
  id: Generated<number>;
  user_id: number;
  pseud_id: number;
  /** Null once the work is deleted: the bookmark stays, with what was known of the work. */
  work_id: number | null;
  /** The work bookmarked, kept after it is deleted (no foreign key); 0 for a series. */
  work_ref: number;
  notes_html: Generated<SanitizedHtml>;
  sanitizer_version: number;
  private: Generated<Flag>;
  rec: Generated<Flag>;
  created_at: number;
  updated_at: number;
  /** The deleted work, from the `work.deleted` event; null while it exists. */
  work_title: string | null;
  /** JSON arrays of names. */
  work_creators: string | null;
  work_fandoms: string | null;
  work_words: number | null;
  work_restricted: Flag | null;
  /** Hidden by a moderator (null: not hidden): only its owners see it, with this reason. */
  hidden_reason: string | null;
  hidden_at: number | null;
  /**
   * A bookmark of a series (issue 15): set, with `work_id` null and `work_ref` 0; null for a
   * work's bookmark. Deleting the series deletes its bookmarks.
   */
  series_id: number | null;
}

/** The bookmarker's own tags: free text, not wrangled. */
export interface BookmarkTagsTable {
  bookmark_id: number;
  name: string;
  name_key: string;
  position: number;
}

export type SubscriptionTarget = "work" | "user" | "series";

export interface SubscriptionsTable {
  id: Generated<number>;
  user_id: number;
  target_type: SubscriptionTarget;
  target_id: number;
  created_at: number;
}

export type NotificationKind =
  | "new_chapter"
  | "new_work"
  | "comment"
  | "reply"
  | "kudos"
  /** A moderator's action on the user's content or account (moderation/). */
  | "moderation"
  /** Co-creator invitations, gifts, related works and collection news (issue 15). */
  | "creator_invitation"
  | "gift"
  | "related_work"
  | "collection";

export interface NotificationsTable {
  id: Generated<number>;
  user_id: number;
  kind: NotificationKind;
  work_id: number | null;
  chapter_id: number | null;
  comment_id: number | null;
  actor_user_id: number | null;
  text: string;
  url: string;
  count: Generated<number>;
  read_at: number | null;
  created_at: number;
  /** Kudos digests: the UTC day (days since 1970) covered; unique per user and work. */
  digest_day: number | null;
}

/** Only where a reader changed the default (email on for every kind). */
export interface NotificationPreferencesTable {
  user_id: number;
  kind: NotificationKind;
  email: Flag;
}

/** A blocked user may not comment on, reply to or leave kudos on the blocker's works. */
export interface BlockedUsersTable {
  user_id: number;
  blocked_user_id: number;
  created_at: number;
}

/** A reader's history of a work, "marked for later", and where they stopped reading. */
export interface ReadingsTable {
  user_id: number;
  work_id: number;
  first_read_at: number;
  last_read_at: number;
  visits: Generated<number>;
  /** Posted chapters when last opened: more now means "update available". */
  chapters_seen: number;
  /** 0 once the reader removed it from their history (the position is kept). */
  in_history: Generated<Flag>;
  marked_for_later: Generated<Flag>;
  position_chapter_id: number | null;
  /** The chapter's position then: the fallback if that chapter is deleted. */
  position_chapter_position: number | null;
  /** 0-based paragraph index then: the fallback if the anchor text is no longer found. */
  position_paragraph: number | null;
  /** Start of the paragraph's text, folded: finds the paragraph again after an edit. */
  position_anchor: string | null;
  position_at: number | null;
}

/** The job queue: see core/jobs. */
export interface JobsTable {
  id: Generated<number>;
  kind: string;
  /** JSON. */
  payload: string;
  run_at: number;
  /** Lower runs first (inbox work before email); default 0. */
  priority: Generated<number>;
  attempts: Generated<number>;
  max_attempts: number;
  locked_until: number | null;
  locked_by: string | null;
  last_error: string | null;
  failed_at: number | null;
  unique_key: string | null;
  created_at: number;
}

/**
 * One-time form submission keys (core/http/submissions.ts): a keyed hash of who sent which
 * form nonce with which fields; 'pending' while the first request runs, then 'done' with its
 * answer, which repeats get instead of a duplicate. Kept for a day.
 */
export interface FormSubmissionsTable {
  key: string;
  state: "pending" | "done";
  status: number | null;
  location: string | null;
  created_at: number;
}

/**
 * Every admin and moderator action: who, what, when, before and after (core/audit-queries.ts).
 * Rows are only ever inserted; no route or command updates or deletes them.
 */
export interface AuditLogTable {
  id: Generated<number>;
  /** Null when the actor was the command line. A deleted account's id stays (ids are never reused). */
  actor_user_id: number | null;
  actor_login: string;
  /** Dotted name, e.g. "role.grant", "work.hide", "settings.update". */
  action: string;
  /** "user", "work", "comment", "bookmark", "tag", "report", "settings", "invitation", … */
  subject_type: string;
  subject_id: number | null;
  /** What the subject was called when it happened (a login, a title). */
  subject_label: Generated<string>;
  before_json: string | null;
  after_json: string | null;
  reason: Generated<string>;
  created_at: number;
}

/** Site settings edited in /admin, one JSON value per key (core/settings.ts owns the shapes). */
export interface SiteSettingsTable {
  key: string;
  value_json: string;
  updated_at: number;
}

/**
 * One-time links mailed for an account (accounts/recovery): confirm its address, reset its
 * password, confirm a new address. Only the sha256 (hex) of the token is kept; a link works
 * once (`used_at`) and until `expires_at`.
 */
export interface AccountTokensTable {
  id: Generated<number>;
  user_id: number;
  purpose: "confirm-email" | "reset-password" | "change-email";
  token_hash: string;
  /** The address the link was sent to (confirmations); null for password resets. */
  new_email: string | null;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

/** A username an account had before it was renamed: `/users/OLD/…` answers 301 to it. */
export interface LoginRedirectsTable {
  login_key: string;
  user_id: number;
  created_at: number;
}

/** Someone asking for an invitation while sign-up is by invitation (accounts/invitations). */
export interface InvitationRequestsTable {
  id: Generated<number>;
  email: string;
  /** The address folded (trimmed, lower case): one place in the queue per address. */
  email_key: string;
  created_at: number;
  /** When an admin's batch sent this request its invitation; null while it waits. */
  invited_at: number | null;
}

/** An invitation to sign up: a one-time code, of which only the sha256 (hex) is kept. */
export interface InvitationsTable {
  id: Generated<number>;
  token_hash: string;
  /** The account that made or shared it (an admin, for batches); null when it is gone. */
  creator_user_id: number | null;
  /** Where it was mailed; null for a link its creator passes on. */
  sent_to_email: string | null;
  used_by_user_id: number | null;
  used_at: number | null;
  created_at: number;
  expires_at: number | null;
}

// ── moderation (reports) ──
export type ReportSubjectType = "work" | "chapter" | "comment" | "bookmark" | "tag" | "user";
export type ReportStatus = "open" | "dismissed" | "actioned";

/** A report by a reader or a guest, with what the content was when reported (moderation/). */
export interface ReportsTable {
  id: Generated<number>;
  subject_type: ReportSubjectType;
  subject_id: number;
  /** The content's owner when reported (a work's first creator, a comment's writer, …). */
  subject_user_id: number | null;
  reporter_user_id: number | null;
  /** A guest reporter's address (required for guests); never shown outside the queue. */
  reporter_email: string | null;
  category: string;
  details: Generated<string>;
  /** JSON: title, excerpt, author, url as they were when reported. */
  snapshot_json: string;
  status: Generated<ReportStatus>;
  resolved_by_user_id: number | null;
  resolution: string | null;
  resolved_at: number | null;
  created_at: number;
}

/**
 * A person's data archive (personal-data/): queued, then built by a job into
 * `<data dir>/<file_name>` (under `exports/`); kept until `expires_at`, then pruned.
 */
export interface DataExportsTable {
  id: Generated<number>;
  user_id: number;
  status: "queued" | "ready" | "failed";
  /** Relative to the data directory, e.g. "exports/3f…c1.tar.gz"; chosen when queued. */
  file_name: string;
  /** Bytes, once ready. */
  size: number | null;
  error: string | null;
  created_at: number;
  finished_at: number | null;
  expires_at: number;
}

// ── spam ──
export type SpamSubjectType = "comment" | "work";
/** held: waiting for a moderator; released: shown after all; spam: hidden as spam. */
export type SpamStatus = "held" | "released" | "spam";

/**
 * Held content and spam marks (moderation/spam): a guest comment or a new account's first work
 * that scored at or above the threshold (core/text/spam-score.ts), or anything a moderator
 * marked as spam, with the decision once taken.
 */
export interface SpamEventsTable {
  id: Generated<number>;
  subject_type: SpamSubjectType;
  subject_id: number;
  /** The account that posted it; null for a guest. */
  user_id: number | null;
  /** A guest's key (a hash of the e-mail they gave); null for accounts. */
  guest_key: string | null;
  score: number;
  /** JSON array of the score's reasons. */
  reasons: string;
  status: SpamStatus;
  created_at: number;
  decided_by_user_id: number | null;
  decided_at: number | null;
}

// ── formats (issue 14) ──
export type TextFormatName = "rich" | "html" | "markdown" | "plain";

/** A reader's personal read-only feed token (feeds/): OPDS and Atom without a session. */
export interface FeedTokensTable {
  user_id: number;
  /** sha256 (hex) of the token; the token itself is only ever in the reader's address. */
  token_hash: string;
  created_at: number;
}

/** An uploaded file kept between an import's preview and its confirmation (import/). */
export interface ImportUploadsTable {
  /** Random and unguessable; the bytes are DATA_DIR/imports/<id>. */
  id: string;
  user_id: number;
  file_name: string;
  byte_size: number;
  created_at: number;
}

// ── groupings (issue 15): series, co-creators, collections, gifts, related works ──

/** A series: an ordered list of works by its creators (works/series/). */
export interface SeriesTable {
  id: Generated<number>;
  title: string;
  summary_html: Generated<SanitizedHtml>;
  notes_html: Generated<SanitizedHtml>;
  sanitizer_version: number;
  // Completeness and word count are computed from the works the viewer may see (works/series/).
  created_at: number;
  updated_at: number;
}

export interface SeriesCreatorshipsTable {
  series_id: number;
  pseud_id: number;
  position: Generated<number>;
}

export interface SeriesWorksTable {
  series_id: number;
  work_id: number;
  /** 1-based "Part N"; kept dense by the series commands. */
  position: number;
}

/** A chapter's own creators, when they are not all of the work's (works/creators/). */
export interface ChapterCreatorshipsTable {
  chapter_id: number;
  pseud_id: number;
  position: Generated<number>;
}

export type CreatorTarget = "work" | "chapter" | "series";

/** A pending co-creator invitation: the pseud is credited only once its user accepts. */
export interface CreatorInvitationsTable {
  id: Generated<number>;
  target_type: CreatorTarget;
  target_id: number;
  pseud_id: number;
  invited_by_user_id: number | null;
  created_at: number;
}

/** A collection (collections/): /collections/NAME. */
export interface CollectionsTable {
  id: Generated<number>;
  name: string;
  name_key: string;
  title: string;
  description_html: Generated<SanitizedHtml>;
  rules_html: Generated<SanitizedHtml>;
  sanitizer_version: number;
  /** A collection of collections (one level: a parent has no parent). */
  parent_id: number | null;
  /** Submissions wait for a moderator's approval. */
  moderated: Generated<Flag>;
  /** Closed to new submissions. */
  closed: Generated<Flag>;
  /** Creators shown as "Anonymous" until the collection says otherwise. */
  anonymous: Generated<Flag>;
  /** Works hidden until the reveal. */
  unrevealed: Generated<Flag>;
  /** A job reveals the works at this time. */
  reveal_works_at: number | null;
  /** A job reveals the creators at this time. */
  reveal_creators_at: number | null;
  created_at: number;
  updated_at: number;
}

export type CollectionRole = "owner" | "moderator" | "member";

export interface CollectionParticipantsTable {
  collection_id: number;
  user_id: number;
  role: CollectionRole;
  created_at: number;
}

export type ItemApproval = "approved" | "pending" | "rejected";

/** A work in a collection: shown there once both sides approved. */
export interface CollectionItemsTable {
  collection_id: number;
  work_id: number;
  collection_approval: ItemApproval;
  creator_approval: ItemApproval;
  added_by_user_id: number | null;
  created_at: number;
}

/** A work given to a pseud on the archive, or to a name. */
export interface GiftsTable {
  id: Generated<number>;
  work_id: number;
  pseud_id: number | null;
  recipient_name: string;
  recipient_key: string;
  created_at: number;
}

export type WorkRelation = "inspired" | "translation" | "remix";

/** A work inspired by, translating or remixing another (here or elsewhere by URL). */
export interface RelatedWorksTable {
  id: Generated<number>;
  work_id: number;
  relation: WorkRelation;
  parent_work_id: number | null;
  parent_url: string | null;
  parent_title: Generated<string>;
  parent_author: Generated<string>;
  parent_language: Generated<string>;
  /** Shown on the parent once its creator approved. */
  approved: Generated<Flag>;
  created_at: number;
}

// ── Issue 13 helpers add their table interfaces above this line, each in its own block. ──

export interface Database {
  // groupings tables
  series: SeriesTable;
  series_creatorships: SeriesCreatorshipsTable;
  series_works: SeriesWorksTable;
  chapter_creatorships: ChapterCreatorshipsTable;
  creator_invitations: CreatorInvitationsTable;
  collections: CollectionsTable;
  collection_participants: CollectionParticipantsTable;
  collection_items: CollectionItemsTable;
  gifts: GiftsTable;
  related_works: RelatedWorksTable;
  audit_log: AuditLogTable;
  site_settings: SiteSettingsTable;
  // account-recovery tables
  account_tokens: AccountTokensTable;
  login_redirects: LoginRedirectsTable;
  // personal-data tables
  data_exports: DataExportsTable;
  // invitations tables
  invitation_requests: InvitationRequestsTable;
  invitations: InvitationsTable;
  // moderation tables
  reports: ReportsTable;
  // spam tables
  spam_events: SpamEventsTable;
  // formats tables
  feed_tokens: FeedTokensTable;
  import_uploads: ImportUploadsTable;
  work_stats: WorkStatsTable;
  work_daily_stats: WorkDailyStatsTable;
  hit_visitors: HitVisitorsTable;
  kudos: KudosTable;
  comments: CommentsTable;
  bookmarks: BookmarksTable;
  bookmark_tags: BookmarkTagsTable;
  subscriptions: SubscriptionsTable;
  notifications: NotificationsTable;
  notification_preferences: NotificationPreferencesTable;
  blocked_users: BlockedUsersTable;
  readings: ReadingsTable;
  jobs: JobsTable;
  form_submissions: FormSubmissionsTable;
  excluded_tags: ExcludedTagsTable;
  muted_users: MutedUsersTable;
  saved_searches: SavedSearchesTable;
  changes: ChangesTable;
  archive: ArchiveTable;
  users: UsersTable;
  pseuds: PseudsTable;
  sessions: SessionsTable;
  tags: TagsTable;
  tag_parents: TagParentsTable;
  work_filter_tags: WorkFilterTagsTable;
  works: WorksTable;
  creatorships: CreatorshipsTable;
  work_tags: WorkTagsTable;
  chapters: ChaptersTable;
  work_text_state: WorkTextStateTable;
  work_text_cursor: WorkTextCursorTable;
}

export type User = Selectable<UsersTable>;
export type Pseud = Selectable<PseudsTable>;
export type Tag = Selectable<TagsTable>;
export type Work = Selectable<WorksTable>;
export type Chapter = Selectable<ChaptersTable>;
export type NewWork = Insertable<WorksTable>;
export type NewChapter = Insertable<ChaptersTable>;
