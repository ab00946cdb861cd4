/**
 * The text format a writer last chose (users.text_format): the posting forms start from it,
 * and posting or saving remembers the one used.
 */
import type { Queryable } from "../core/db/index.ts";
import { isTextFormat, type TextFormat } from "../core/text/formats.ts";

export async function textFormatOf(db: Queryable, userId: number): Promise<TextFormat> {
  const row = await db
    .selectFrom("users")
    .select("text_format")
    .where("id", "=", userId)
    .executeTakeFirst();
  // A value written by a later version (or by hand) falls back to the column's default.
  return isTextFormat(row?.text_format) ? row.text_format : "rich";
}

export async function rememberTextFormat(
  db: Queryable,
  userId: number,
  format: TextFormat,
): Promise<void> {
  await db
    .updateTable("users")
    .set({ text_format: format })
    .where("id", "=", userId)
    .where("text_format", "!=", format)
    .execute();
}
