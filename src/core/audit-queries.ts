/**
 * The audit log: every admin and moderator action, written in the transaction that takes it.
 * Only inserts and reads live here: nothing in the archive edits or deletes an entry.
 */
import type { Queryable } from "./db/index.ts";

export interface AuditEntry {
  /** Null for the command line (`fanfold user grant …`). */
  actor: { id: number; login: string } | null;
  action: string;
  subject: { type: string; id: number | null; label?: string };
  before?: unknown;
  after?: unknown;
  reason?: string;
  now: number;
}

const toJson = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      actor_user_id: entry.actor?.id ?? null,
      actor_login: entry.actor?.login ?? "(command line)",
      action: entry.action,
      subject_type: entry.subject.type,
      subject_id: entry.subject.id,
      subject_label: entry.subject.label ?? "",
      before_json: toJson(entry.before),
      after_json: toJson(entry.after),
      reason: entry.reason ?? "",
      created_at: entry.now,
    })
    .execute();
}

export interface AuditFilter {
  action?: string;
  subjectType?: string;
  subjectId?: number;
  actorLogin?: string;
  /** Entries with a smaller id (newest first paging). */
  beforeId?: number;
  limit: number;
}

export async function auditEntries(db: Queryable, filter: AuditFilter) {
  let q = db.selectFrom("audit_log").selectAll();
  if (filter.action) q = q.where("action", "=", filter.action);
  if (filter.subjectType) q = q.where("subject_type", "=", filter.subjectType);
  if (filter.subjectId !== undefined) q = q.where("subject_id", "=", filter.subjectId);
  if (filter.actorLogin) q = q.where("actor_login", "=", filter.actorLogin);
  if (filter.beforeId !== undefined) q = q.where("id", "<", filter.beforeId);
  return q.orderBy("id", "desc").limit(filter.limit).execute();
}
