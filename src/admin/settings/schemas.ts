/** The settings form and the page editor (admin/settings/routes.tsx). */
import { z } from "zod";
import type { RateRule } from "../../core/config.ts";
import {
  parseRate,
  POLICY_PAGE_MAX,
  POLICY_PAGES,
  ROBOTS_EXTRA_MAX,
  SIGNUP_MODES,
  type PolicyPage,
} from "../../core/settings.ts";
import { robotsRuleErrors } from "../../site-pages/robots.ts";

/** A checkbox: sent as "1" when ticked, absent when not. */
const checkbox = z
  .string()
  .max(10)
  .optional()
  .transform((v) => v !== undefined && ["1", "on", "true"].includes(v));

const rate = (label: string) =>
  z.string({ message: `${label}: required.` }).transform((text, ctx): RateRule => {
    const rule = parseRate(text);
    if (!rule) {
      ctx.addIssue({
        code: "custom",
        message: `${label}: write COUNT/WINDOW, e.g. 20/10m (at most 100000, a window of s, m, h or d up to 30 days).`,
      });
      return z.NEVER;
    }
    return rule;
  });

export const SettingsInput = z.object({
  archive_name: z
    .string({ message: "Archive name: required." })
    .trim()
    .min(1, "Archive name: please give the archive a name.")
    .max(100, "Archive name: at most 100 characters."),
  description: z.string().max(2000, "Description: at most 2,000 characters.").default(""),
  signup_mode: z.enum(SIGNUP_MODES, {
    message: "Sign-up: choose open, by invitation, or closed.",
  }),
  minimum_age: z.coerce
    .number({ message: "Minimum age: a number of years from 13 to 21." })
    .int("Minimum age: a whole number of years.")
    .min(13, "Minimum age: at least 13.")
    .max(21, "Minimum age: at most 21."),
  guest_comments: checkbox,
  guest_kudos: checkbox,
  limit_comments: rate("Comments"),
  limit_kudos: rate("Kudos"),
  limit_bookmarks: rate("Bookmarks"),
  limit_signups: rate("Sign-ups"),
  banner_text: z.string().max(1000, "Banner: at most 1,000 characters.").default(""),
  refuse_ai_crawlers: checkbox,
  robots_extra: z
    .string()
    .max(
      ROBOTS_EXTRA_MAX,
      `Extra rules: at most ${ROBOTS_EXTRA_MAX.toLocaleString("en-US")} characters.`,
    )
    .default("")
    .superRefine((text, ctx) => {
      const problem = robotsRuleErrors(text);
      if (problem) ctx.addIssue({ code: "custom", message: `Extra rules: ${problem}.` });
    }),
});
export type SettingsInput = z.output<typeof SettingsInput>;

const SLUGS = Object.fromEntries(
  (Object.keys(POLICY_PAGES) as PolicyPage[]).map((key) => [POLICY_PAGES[key].slug, key]),
) as Record<string, PolicyPage>;

/** `/admin/settings/pages/:page`, by the page's public address (tos, content, privacy, faq). */
export const PageParams = z.object({
  page: z
    .string()
    .refine((slug) => Object.hasOwn(SLUGS, slug), "must be tos, content, privacy or faq")
    .transform((slug) => SLUGS[slug]!),
});

export const PageInput = z.object({
  html: z
    .string({ message: "Page text: required." })
    .max(
      POLICY_PAGE_MAX,
      `Page text: at most ${POLICY_PAGE_MAX.toLocaleString("en-US")} characters.`,
    )
    .refine((html) => html.trim() !== "", "Page text: please write the page."),
});
