/**
 * Site settings an admin edits in /admin (admin/settings): what the archive is called, who may
 * sign up, what guests may do, the banner and the policy pages. Stored one JSON value per key
 * in `site_settings`; a key never written reads as its default, which comes from the
 * configuration where the configuration has one (FANFOLD_GUEST_KUDOS, FANFOLD_LIMIT_*).
 *
 * Read on most requests, so each process keeps the values for a few seconds: a change made in
 * this process shows at once, one made by another process within CACHE_MS.
 */
import { z } from "zod";
import type { Config } from "./config.ts";
import type { Db, Queryable } from "./db/index.ts";
import { settingRows, upsertSetting } from "./settings-queries.ts";

export const SIGNUP_MODES = ["open", "invitation", "closed"] as const;
export type SignupMode = (typeof SIGNUP_MODES)[number];

/** Every setting, with its default. Values read from the database are parsed with these. */
export function settingsSchema(config: Pick<Config, "guestKudos">) {
  return z.object({
    archiveName: z.string().trim().min(1).max(100).catch("Fanfold"),
    description: z.string().max(2000).catch(""),
    signupMode: z.enum(SIGNUP_MODES).catch("open"),
    /** Sign-up states this and asks the person to confirm it. */
    minimumAge: z.number().int().min(13).max(21).catch(13),
    guestComments: z.boolean().catch(true),
    guestKudos: z.boolean().catch(config.guestKudos),
    /** Shown atop every page until dismissed; a new text shows again to those who dismissed. */
    banner: z
      .object({ text: z.string().max(1000), id: z.number().int() })
      .catch({ text: "", id: 0 }),
  });
}

export type SiteSettings = z.output<ReturnType<typeof settingsSchema>>;
export type SettingKey = keyof SiteSettings;

const CACHE_MS = 5_000;
const cache = new WeakMap<Db, { at: number; values: SiteSettings }>();

export async function siteSettings(
  db: Db,
  config: Pick<Config, "guestKudos">,
  now = Date.now(),
): Promise<SiteSettings> {
  const hit = cache.get(db);
  if (hit && now - hit.at < CACHE_MS) return hit.values;
  const stored: Record<string, unknown> = {};
  for (const row of await settingRows(db)) {
    try {
      stored[row.key] = JSON.parse(row.value_json);
    } catch {
      // An unreadable value reads as its default (the schema's catch), as if never set.
    }
  }
  const values = settingsSchema(config).parse(stored);
  cache.set(db, { at: now, values });
  return values;
}

/** Writes the given settings (inside the caller's transaction, with its audit entry). */
export async function saveSettings(
  db: Queryable,
  cacheOwner: Db,
  changes: Partial<SiteSettings>,
  now: number,
): Promise<void> {
  for (const [key, value] of Object.entries(changes))
    await upsertSetting(db, key, JSON.stringify(value), now);
  cache.delete(cacheOwner);
}
