/**
 * Site settings an admin edits in /admin (admin/settings): what the archive is called, who may
 * sign up, what guests may do, rate limits, the banner, the policy pages and robots.txt. Stored
 * one JSON value per key in `site_settings`; a key never written reads as its default, which
 * comes from the configuration where the configuration has one (FANFOLD_GUEST_KUDOS,
 * FANFOLD_LIMIT_*).
 *
 * Read on every request (the layout shows the name and the banner), so each process keeps the
 * values for a few seconds: a change made in this process shows at once, one made by another
 * process within CACHE_MS.
 */
import { z } from "zod";
import type { Config, RateRule } from "./config.ts";
import type { Db, Queryable } from "./db/index.ts";
import type { RateLimitRule } from "./http/route.tsx";
import {
  DEFAULT_CONTENT_POLICY,
  DEFAULT_FAQ,
  DEFAULT_PRIVACY,
  DEFAULT_TOS,
} from "./settings-defaults.ts";
import { settingRows, upsertSetting } from "./settings-queries.ts";
import { sanitizeHtml, type SanitizedHtml } from "./text/sanitize.ts";
import type { SiteChrome } from "./views/context.ts";

export const SIGNUP_MODES = ["open", "invitation", "closed"] as const;
export type SignupMode = (typeof SIGNUP_MODES)[number];

export const RATE_LIMIT_KEYS = ["comments", "kudos", "bookmarks", "signups"] as const;
export type RateLimitKey = (typeof RATE_LIMIT_KEYS)[number];

/** The policy pages, by setting key, with AO3's addresses (site-pages/routes.tsx serves them). */
export const POLICY_PAGES = {
  tos: { slug: "tos", path: "/tos", title: "Terms of Service" },
  contentPolicy: { slug: "content", path: "/content", title: "Content Policy" },
  privacy: { slug: "privacy", path: "/privacy", title: "Privacy Policy" },
  faq: { slug: "faq", path: "/faq", title: "Frequently Asked Questions" },
} as const;
export type PolicyPage = keyof typeof POLICY_PAGES;
export const POLICY_PAGE_KEYS = Object.keys(POLICY_PAGES) as PolicyPage[];

/** Largest policy page, in characters of HTML. */
export const POLICY_PAGE_MAX = 100_000;
/** Largest block of extra robots.txt rules. */
export const ROBOTS_EXTRA_MAX = 5_000;

/** The FANFOLD_LIMIT_* defaults, for callers that pass a configuration without rate limits. */
const FALLBACK_LIMITS: Record<RateLimitKey, RateRule> = {
  comments: { limit: 20, windowMs: 10 * 60_000 },
  kudos: { limit: 60, windowMs: 10 * 60_000 },
  bookmarks: { limit: 60, windowMs: 10 * 60_000 },
  signups: { limit: 10, windowMs: 60 * 60_000 },
};

export type SettingsConfig = Pick<Config, "guestKudos"> & Partial<Pick<Config, "rateLimits">>;

const rateRule = z.object({
  limit: z.number().int().min(1).max(100_000),
  windowMs: z
    .number()
    .int()
    .min(1_000)
    .max(30 * 86_400_000),
});

/** Sanitized on every read too: the brand is only ever earned from the sanitizer. */
const policyPage = (fallback: string) =>
  z
    .string()
    .min(1)
    .max(POLICY_PAGE_MAX)
    .transform((html) => sanitizeHtml(html))
    .catch(() => defaultPage(fallback));

const defaults = new Map<string, SanitizedHtml>();
function defaultPage(html: string): SanitizedHtml {
  let clean = defaults.get(html);
  if (clean === undefined) defaults.set(html, (clean = sanitizeHtml(html)));
  return clean;
}

/** Every setting, with its default. Values read from the database are parsed with these. */
export function settingsSchema(config: SettingsConfig) {
  const limits = config.rateLimits ?? FALLBACK_LIMITS;
  return z.object({
    archiveName: z.string().trim().min(1).max(100).catch("Fanfold"),
    description: z.string().max(2000).catch(""),
    signupMode: z.enum(SIGNUP_MODES).catch("open"),
    /** Sign-up states this and asks the person to confirm it. */
    minimumAge: z.number().int().min(13).max(21).catch(13),
    guestComments: z.boolean().catch(true),
    guestKudos: z.boolean().catch(config.guestKudos),
    /** Per account and per address (route.tsx `by: "both"`; sign-ups per address). */
    rateLimits: z
      .object({
        comments: rateRule.catch(limits.comments),
        kudos: rateRule.catch(limits.kudos),
        bookmarks: rateRule.catch(limits.bookmarks),
        signups: rateRule.catch(limits.signups),
      })
      .catch({ ...limits }),
    /** Shown atop every page until dismissed; a new text shows again to those who dismissed. */
    banner: z
      .object({ text: z.string().max(1000), id: z.number().int() })
      .catch({ text: "", id: 0 }),
    tos: policyPage(DEFAULT_TOS),
    contentPolicy: policyPage(DEFAULT_CONTENT_POLICY),
    privacy: policyPage(DEFAULT_PRIVACY),
    faq: policyPage(DEFAULT_FAQ),
    /** robots.txt (site-pages/robots.ts): known AI crawlers refused, plus the admin's rules. */
    robots: z
      .object({ refuseAiCrawlers: z.boolean(), extraRules: z.string().max(ROBOTS_EXTRA_MAX) })
      .catch({ refuseAiCrawlers: true, extraRules: "" }),
  });
}

export type SiteSettings = z.output<ReturnType<typeof settingsSchema>>;
export type SettingKey = keyof SiteSettings;

const CACHE_MS = 5_000;
/** Per database, per configuration object (defaults differ by configuration). */
interface CacheEntry {
  at: number;
  values: SiteSettings;
}
const cache = new WeakMap<Db, Map<SettingsConfig, CacheEntry>>();
// Pass the request's `now` (deps.now()): tests with a fixed clock then read a stable cache.
const fresh = (entry: CacheEntry, now: number) => now - entry.at < CACHE_MS && now >= entry.at;

/** The settings as stored now, uncached (inside a transaction: what it will overwrite). */
export async function readSettings(db: Queryable, config: SettingsConfig): Promise<SiteSettings> {
  const stored: Record<string, unknown> = {};
  for (const row of await settingRows(db)) {
    try {
      stored[row.key] = JSON.parse(row.value_json);
    } catch {
      // An unreadable value reads as its default (the schema's catch), as if never set.
    }
  }
  return settingsSchema(config).parse(stored);
}

export async function siteSettings(
  db: Db,
  config: SettingsConfig,
  now = Date.now(),
): Promise<SiteSettings> {
  let entries = cache.get(db);
  if (!entries) cache.set(db, (entries = new Map<SettingsConfig, CacheEntry>()));
  const hit = entries.get(config);
  if (hit && fresh(hit, now)) return hit.values;
  const values = await readSettings(db, config);
  entries.set(config, { at: now, values });
  return values;
}

/** For code without the configuration: settings whose defaults do not depend on it. */
const NO_CONFIG: SettingsConfig = { guestKudos: true };

/**
 * Whether guests may comment at all (a work's "everyone" policy only applies while they may).
 * Call it outside a transaction: on SQLite the transaction holds the one connection.
 */
export async function guestCommentsOpen(db: Db, now = Date.now()): Promise<boolean> {
  return (await siteSettings(db, NO_CONFIG, now)).guestComments;
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

/**
 * Drops this process's cached values. saveSettings does it too, but a request between that and
 * the commit could cache the old values again: writers call this after committing.
 */
export function forgetSettings(db: Db): void {
  cache.delete(db);
}

/**
 * A rate limit the route chain resolves per request from the settings (route.tsx `limit`), so
 * a change in /admin/settings takes effect without a restart.
 */
export function settingsLimit(
  name: string,
  key: RateLimitKey,
  by?: RateLimitRule["by"],
): (deps: { db: Db; config: SettingsConfig; now: () => number }) => Promise<RateLimitRule> {
  return async (deps) => {
    const rule = (await siteSettings(deps.db, deps.config, deps.now())).rateLimits[key];
    return { name, limit: rule.limit, windowMs: rule.windowMs, ...(by ? { by } : {}) };
  };
}

// ── Rate limits as people write them: COUNT/WINDOW, as in FANFOLD_LIMIT_* ─────────────────────

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "20/10m" → 20 per 10 minutes; null when it doesn't read as COUNT/WINDOW or is out of range. */
export function parseRate(text: string): RateRule | null {
  const m = /^(\d{1,6})\s*\/\s*(\d{1,4})\s*([smhd])$/i.exec(text.trim());
  if (!m) return null;
  const rule = {
    limit: Number(m[1]),
    windowMs: Number(m[2]) * UNIT_MS[m[3]!.toLowerCase() as keyof typeof UNIT_MS],
  };
  return rateRule.safeParse(rule).success ? rule : null;
}

/** 20 per 10 minutes → "20/10m" (the largest unit that divides the window). */
export function formatRate(rule: RateRule): string {
  for (const unit of ["d", "h", "m", "s"] as const) {
    if (rule.windowMs % UNIT_MS[unit] === 0)
      return `${rule.limit}/${rule.windowMs / UNIT_MS[unit]}${unit}`;
  }
  return `${rule.limit}/${Math.max(1, Math.round(rule.windowMs / 1000))}s`;
}

// ── What every page shows (core/views/layout.tsx) ──────────────────────────────────────────────

/** Holds the id of the banner a browser dismissed (site-pages: POST /banner/dismiss). */
export const BANNER_COOKIE = "fanfold_banner";

/** The layout's part of each settings read, with the banner and without: made once per read. */
const chromes = new WeakMap<SiteSettings, { shown: SiteChrome; dismissed: SiteChrome }>();

function chromeOf(s: SiteSettings, dismissedBanner: string | undefined): SiteChrome {
  let both = chromes.get(s);
  if (!both) {
    const base = {
      archiveName: s.archiveName,
      description: s.description,
      signupOpen: s.signupMode !== "closed",
    };
    const banner = s.banner.text.trim() !== "" ? s.banner : null;
    both = { shown: { ...base, banner }, dismissed: { ...base, banner: null } };
    chromes.set(s, both);
  }
  return dismissedBanner === String(s.banner.id) ? both.dismissed : both.shown;
}

/** The name, description and (unless this browser dismissed it) banner, for the layout. */
export async function siteChrome(
  db: Db,
  config: SettingsConfig,
  now: number,
  dismissedBanner: string | undefined,
): Promise<SiteChrome> {
  return chromeOf(await siteSettings(db, config, now), dismissedBanner);
}

/** siteChrome while this process's cached settings are fresh (no promise); undefined otherwise. */
export function cachedSiteChrome(
  db: Db,
  config: SettingsConfig,
  now: number,
  dismissedBanner: string | undefined,
): SiteChrome | undefined {
  const hit = cache.get(db)?.get(config);
  if (!hit || !fresh(hit, now)) return undefined;
  return chromeOf(hit.values, dismissedBanner);
}
