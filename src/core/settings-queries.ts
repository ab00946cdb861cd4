import type { Queryable } from "./db/index.ts";

export async function settingRows(db: Queryable) {
  return db.selectFrom("site_settings").select(["key", "value_json"]).execute();
}

export async function upsertSetting(db: Queryable, key: string, valueJson: string, now: number) {
  await db
    .insertInto("site_settings")
    .values({ key, value_json: valueJson, updated_at: now })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value_json: valueJson, updated_at: now }))
    .execute();
}
