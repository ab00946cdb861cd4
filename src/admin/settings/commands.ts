/**
 * Saving site settings: one transaction that writes the changed keys and their audit entry
 * ("settings.update", before and after of exactly those keys). A new banner text gets a new
 * banner id, so readers who dismissed the old one see it.
 */
import type { Db } from "../../core/db/index.ts";
import { recordAudit } from "../../core/audit-queries.ts";
import { inTransaction, ok, refuse, type Result } from "../../core/result.ts";
import {
  forgetSettings,
  readSettings,
  saveSettings,
  type SettingKey,
  type SettingsConfig,
  type SiteSettings,
} from "../../core/settings.ts";
import { htmlToPlainText, sanitizeHtml } from "../../core/text/sanitize.ts";
import type { PolicyPage } from "../../core/settings.ts";

/** What a form changes: the banner by its text alone (its id is the archive's to bump). */
export type SettingsChanges = Partial<Omit<SiteSettings, "banner" | PolicyPage>> & {
  bannerText?: string;
  /** Policy pages as typed: sanitized here. */
  pages?: Partial<Record<PolicyPage, string>>;
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export async function updateSettings(
  db: Db,
  args: {
    actor: { id: number; login: string } | null;
    config: SettingsConfig;
    changes: SettingsChanges;
    now: number;
  },
): Promise<Result<{ changed: SettingKey[] }>> {
  const { actor, config, now } = args;
  const { bannerText, pages, ...plain } = args.changes;
  const cleanPages: Partial<Record<PolicyPage, SiteSettings[PolicyPage]>> = {};
  for (const [key, html] of Object.entries(pages ?? {}) as [PolicyPage, string][]) {
    const clean = sanitizeHtml(html);
    if (htmlToPlainText(clean).trim() === "" && !/<img\b/i.test(clean))
      return refuse(
        422,
        "Page text: nothing is left once markup that isn't allowed is removed; please write the page.",
        "html",
      );
    cleanPages[key] = clean;
  }
  const result = await inTransaction(db, async (tx) => {
    const before = await readSettings(tx, config);
    const after: Partial<SiteSettings> = {};
    const wanted: Partial<SiteSettings> = { ...plain, ...cleanPages };
    for (const key of Object.keys(wanted) as SettingKey[]) {
      if (!same(wanted[key], before[key])) Object.assign(after, { [key]: wanted[key] });
    }
    if (bannerText !== undefined && bannerText !== before.banner.text)
      after.banner = { text: bannerText, id: before.banner.id + 1 };
    const changed = Object.keys(after) as SettingKey[];
    if (changed.length === 0) return ok({ changed });
    await saveSettings(tx, db, after, now);
    await recordAudit(tx, {
      actor,
      action: "settings.update",
      subject: { type: "settings", id: null, label: changed.join(", ") },
      before: Object.fromEntries(changed.map((key) => [key, before[key]])),
      after,
      now,
    });
    return ok({ changed });
  });
  // A request between the write and the commit may have cached the old values again.
  forgetSettings(db);
  return result;
}
