// Frozen: never edit a shipped migration; write another. Imports nothing from the app.
import type { Kysely } from "kysely";

/**
 * AO3's archive warning "Underage" is called "Underage Sex". The warning's row is renamed in
 * place, keeping its id, so every work, filter set and exclusion that holds it keeps it.
 *
 * Tag names are unique across types: a user-made tag already called "Underage Sex" (say an
 * additional tag) steps aside as "Underage Sex (Additional Tags)", also keeping its id, so
 * the warning gets AO3's name and no work loses a tag.
 *
 * Both renames go into the change log (the search catalog reloads the works carrying them)
 * and the full-text entries of those works are dropped, so the text index rebuilds them with
 * the new name at the next start (as it does for works it has never indexed).
 */
const OLD = { name: "Underage", key: "underage" };
const NEW = { name: "Underage Sex", key: "underage sex" };

const TYPE_LABEL: Record<string, string> = {
  media: "Media",
  rating: "Rating",
  warning: "Archive Warning",
  category: "Category",
  fandom: "Fandom",
  relationship: "Relationship",
  character: "Character",
  freeform: "Additional Tags",
};

interface Row {
  id: number;
  name: string;
  type: string;
}

const byKey = (db: Kysely<any>, key: string) =>
  db
    .selectFrom("tags")
    .select(["id", "name", "type"])
    .where("name_key", "=", key)
    .executeTakeFirst() as Promise<Row | undefined>;

/** "Underage Sex (Additional Tags)", or with a number after it if even that is taken. */
async function freeNameFor(db: Kysely<any>, base: string, type: string): Promise<string> {
  const label = TYPE_LABEL[type] ?? type;
  for (let n = 1; ; n++) {
    const name = n === 1 ? `${base} (${label})` : `${base} (${label} ${n})`;
    if (!(await byKey(db, name.toLowerCase()))) return name;
  }
}

async function rename(db: Kysely<any>, id: number, name: string) {
  await db
    .updateTable("tags")
    .set({ name, name_key: name.toLowerCase() })
    .where("id", "=", id)
    .execute();
}

/** What the app's commands do after changing a tag: log it, and let the text index redo it. */
async function touched(db: Kysely<any>, ids: number[]) {
  const now = Date.now();
  await db
    .insertInto("changes")
    .values(ids.map((entity_id) => ({ entity: "tag", entity_id, created_at: now })))
    .execute();
  await db
    .deleteFrom("work_text_state")
    .where("work_id", "in", db.selectFrom("work_tags").select("work_id").where("tag_id", "in", ids))
    .execute();
}

async function move(db: Kysely<any>, from: typeof OLD, to: typeof OLD) {
  const warning = await db
    .selectFrom("tags")
    .select(["id", "name", "type"])
    .where("name_key", "=", from.key)
    .where("type", "=", "warning")
    .executeTakeFirst();
  // A new database: the fixed tags are seeded after migrating, under the current name.
  if (!warning) return;
  const ids = [warning.id as number];
  const clash = await byKey(db, to.key);
  if (clash && clash.id !== warning.id) {
    await rename(db, clash.id, await freeNameFor(db, clash.name, clash.type));
    ids.push(clash.id);
  }
  await rename(db, warning.id as number, to.name);
  await touched(db, ids);
}

export async function up(db: Kysely<any>): Promise<void> {
  await move(db, OLD, NEW);
}

/** Back to "Underage"; a tag that took that name since then steps aside the same way. */
export async function down(db: Kysely<any>): Promise<void> {
  await move(db, NEW, OLD);
}
