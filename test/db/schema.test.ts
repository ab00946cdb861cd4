import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { DbHandle, Engine } from "../../src/core/db/index.ts";
import { migrateToLatest } from "../../src/core/db/index.ts";
import type { Database } from "../../src/core/db/schema.ts";
import { describeEachEngine, openTestDb, scanningCatalog } from "../support/db.ts";

/**
 * The columns each table must have. The type below makes this list exhaustive against the
 * declared row types, and the test checks the migrated database against it: a migration that
 * drifts from schema.ts fails here on both engines.
 */
const COLUMNS = {
  changes: ["id", "entity", "entity_id", "created_at"],
  archive: ["id", "created_at"],
  excluded_tags: ["user_id", "tag_id", "created_at"],
  muted_users: ["user_id", "muted_user_id", "created_at"],
  saved_searches: ["id", "user_id", "name", "path", "query", "created_at"],
  form_submissions: ["key", "state", "status", "location", "created_at"],
  audit_log: [
    "id",
    "actor_user_id",
    "actor_login",
    "action",
    "subject_type",
    "subject_id",
    "subject_label",
    "before_json",
    "after_json",
    "reason",
    "created_at",
  ],
  site_settings: ["key", "value_json", "updated_at"],
  spam_events: [
    "id",
    "subject_type",
    "subject_id",
    "user_id",
    "guest_key",
    "score",
    "reasons",
    "status",
    "created_at",
    "decided_by_user_id",
    "decided_at",
  ],
  data_exports: [
    "id",
    "user_id",
    "status",
    "file_name",
    "size",
    "error",
    "created_at",
    "finished_at",
    "expires_at",
  ],
  reports: [
    "id",
    "subject_type",
    "subject_id",
    "subject_user_id",
    "reporter_user_id",
    "reporter_email",
    "category",
    "details",
    "snapshot_json",
    "status",
    "resolved_by_user_id",
    "resolution",
    "resolved_at",
    "created_at",
  ],
  invitation_requests: ["id", "email", "email_key", "created_at", "invited_at"],
  invitations: [
    "id",
    "token_hash",
    "creator_user_id",
    "sent_to_email",
    "used_by_user_id",
    "used_at",
    "created_at",
    "expires_at",
  ],
  account_tokens: [
    "id",
    "user_id",
    "purpose",
    "token_hash",
    "new_email",
    "expires_at",
    "used_at",
    "created_at",
  ],
  login_redirects: ["login_key", "user_id", "created_at"],
  users: [
    "id",
    "login",
    "login_key",
    "email",
    "password_hash",
    "roles",
    "view_adult",
    "history_enabled",
    "created_at",
    "email_confirmed_at",
    "suspended_until",
    "banned_at",
    "terms_accepted_at",
    "invitations_left",
    "text_format",
    "allow_cocreator",
    "allow_gifts",
  ],
  series: [
    "id",
    "title",
    "summary_html",
    "notes_html",
    "sanitizer_version",
    "created_at",
    "updated_at",
  ],
  series_creatorships: ["series_id", "pseud_id", "position"],
  series_works: ["series_id", "work_id", "position"],
  chapter_creatorships: ["chapter_id", "pseud_id", "position"],
  creator_invitations: [
    "id",
    "target_type",
    "target_id",
    "pseud_id",
    "invited_by_user_id",
    "created_at",
  ],
  collections: [
    "id",
    "name",
    "name_key",
    "title",
    "description_html",
    "rules_html",
    "sanitizer_version",
    "parent_id",
    "moderated",
    "closed",
    "anonymous",
    "unrevealed",
    "reveal_works_at",
    "reveal_creators_at",
    "created_at",
    "updated_at",
  ],
  collection_participants: ["collection_id", "user_id", "role", "created_at"],
  collection_items: [
    "collection_id",
    "work_id",
    "collection_approval",
    "creator_approval",
    "added_by_user_id",
    "created_at",
  ],
  gifts: ["id", "work_id", "pseud_id", "recipient_name", "recipient_key", "created_at"],
  related_works: [
    "id",
    "work_id",
    "relation",
    "parent_work_id",
    "parent_url",
    "parent_title",
    "parent_author",
    "parent_language",
    "approved",
    "created_at",
  ],
  feed_tokens: ["user_id", "token_hash", "created_at"],
  import_uploads: ["id", "user_id", "file_name", "byte_size", "created_at"],
  pseuds: ["id", "user_id", "name", "name_key", "is_default", "description", "created_at"],
  sessions: ["id", "user_id", "created_at", "last_seen_at", "expires_at"],
  tags: [
    "id",
    "name",
    "name_key",
    "type",
    "canonical",
    "created_at",
    "merger_id",
    "taggings_count",
    "members_count",
    "public_count",
  ],
  tag_parents: ["child_id", "parent_id"],
  work_filter_tags: ["work_id", "tag_id"],
  works: [
    "id",
    "title",
    "summary_html",
    "notes_html",
    "end_notes_html",
    "sanitizer_version",
    "language",
    "expected_chapters",
    "chapter_count",
    "word_count",
    "complete",
    "restricted",
    "posted",
    "rating_id",
    "published_at",
    "revised_at",
    "created_at",
    "edited_at",
    "version",
    "comment_policy",
    "moderated_comments",
    "hidden_reason",
    "hidden_at",
    "in_anon_collection",
    "in_unrevealed_collection",
  ],
  creatorships: ["work_id", "pseud_id", "position"],
  work_tags: ["work_id", "tag_id", "position"],
  chapters: [
    "id",
    "work_id",
    "position",
    "title",
    "summary_html",
    "notes_html",
    "end_notes_html",
    "text_html",
    "sanitizer_version",
    "word_count",
    "posted",
    "published_at",
    "created_at",
    "edited_at",
    "rendered_html",
  ],
  work_text_state: ["work_id", "format", "body_key", "indexed_at"],
  work_text_cursor: ["id", "change_id"],
  work_stats: ["work_id", "kudos", "comments", "bookmarks", "hits", "subscriptions", "updated_at"],
  work_daily_stats: [
    "work_id",
    "chapter_id",
    "day",
    "hits",
    "kudos",
    "comments",
    "bookmarks",
    "subscriptions",
  ],
  hit_visitors: ["work_id", "chapter_id", "day", "visitor"],
  kudos: ["id", "work_id", "user_id", "guest_key", "created_at"],
  comments: [
    "id",
    "work_id",
    "chapter_id",
    "parent_id",
    "thread_id",
    "depth",
    "user_id",
    "pseud_id",
    "guest_name",
    "guest_email",
    "body_html",
    "sanitizer_version",
    "status",
    "deleted",
    "frozen",
    "created_at",
    "edited_at",
    "hidden_reason",
    "hidden_at",
    "author_deleted_at",
  ],
  bookmarks: [
    "id",
    "user_id",
    "pseud_id",
    "work_id",
    "notes_html",
    "sanitizer_version",
    "private",
    "rec",
    "created_at",
    "updated_at",
    "work_ref",
    "work_title",
    "work_creators",
    "work_fandoms",
    "work_words",
    "work_restricted",
    "hidden_reason",
    "hidden_at",
    "series_id",
  ],
  bookmark_tags: ["bookmark_id", "name", "name_key", "position"],
  subscriptions: ["id", "user_id", "target_type", "target_id", "created_at"],
  notifications: [
    "id",
    "user_id",
    "kind",
    "work_id",
    "chapter_id",
    "comment_id",
    "actor_user_id",
    "text",
    "url",
    "count",
    "read_at",
    "created_at",
    "digest_day",
  ],
  notification_preferences: ["user_id", "kind", "email"],
  blocked_users: ["user_id", "blocked_user_id", "created_at"],
  readings: [
    "user_id",
    "work_id",
    "first_read_at",
    "last_read_at",
    "visits",
    "chapters_seen",
    "in_history",
    "marked_for_later",
    "position_chapter_id",
    "position_chapter_position",
    "position_paragraph",
    "position_anchor",
    "position_at",
  ],
  jobs: [
    "id",
    "kind",
    "payload",
    "run_at",
    "priority",
    "attempts",
    "max_attempts",
    "locked_until",
    "locked_by",
    "last_error",
    "failed_at",
    "unique_key",
    "created_at",
  ],
} satisfies { [T in keyof Database]: (keyof Database[T])[] };

/** The text index's tables, outside `Database` because they differ per engine. */
const ENGINE_TABLES: Record<Engine, Record<string, string[]>> = {
  sqlite: {
    work_text: ["body"],
    work_text_meta: ["title", "creators", "tags", "summary_notes"],
  },
  postgres: {
    work_text: ["work_id", "part", "doc"],
    work_text_meta: ["work_id", "doc"],
  },
};
/** FTS5 keeps each virtual table's index in shadow tables named after it. */
const FTS5_SHADOW = /^(.+)_(data|idx|content|docsize|config)$/;
const isShadow = (engine: Engine, name: string) =>
  engine === "sqlite" && (FTS5_SHADOW.exec(name)?.[1] ?? "") in ENGINE_TABLES.sqlite;

type Listed = typeof COLUMNS;
type Missing = {
  [T in keyof Database]: Exclude<keyof Database[T], Listed[T][number]>;
}[keyof Database];
const exhaustive: [Missing] extends [never] ? true : { missing: Missing } = true;

describeEachEngine("schema", (engine) => {
  let h: DbHandle;
  before(async () => {
    h = await openTestDb(engine);
  });
  after(() => h.close());

  test("migrations produce exactly the declared tables and columns", async () => {
    assert.equal(exhaustive, true);
    const tables = await scanningCatalog(engine, () => h.db.introspection.getTables());
    const ours = tables.filter((t) => !t.name.startsWith("kysely_") && !isShadow(engine, t.name));
    const actual = Object.fromEntries(
      ours.map((t) => [t.name, t.columns.map((c) => c.name).sort()]),
    );
    const expected = Object.fromEntries(
      Object.entries({ ...COLUMNS, ...ENGINE_TABLES[engine] }).map(([t, cols]) => [
        t,
        [...cols].sort(),
      ]),
    );
    assert.deepEqual(actual, expected);
  });

  test("migrating again is a no-op", async () => {
    assert.deepEqual(await scanningCatalog(engine, () => migrateToLatest(h.db)), []);
  });

  test("the fixed tags are seeded once", async () => {
    const rows = await h.db.selectFrom("tags").select(["type"]).execute();
    const count = (type: string) => rows.filter((r) => r.type === type).length;
    assert.equal(count("rating"), 5);
    assert.equal(count("warning"), 6);
    assert.equal(count("category"), 6);
  });
});
