/**
 * robots.txt: what the archive asks crawlers to leave alone (issue 13). Readers' search engines
 * may index public pages (works, tags, profiles); accounts' private pages, forms and search
 * results are off limits; and, unless the admin turns it off, known AI-training and AI-answer
 * crawlers are refused everything. robots.txt is a request, not a lock: nothing private relies
 * on it (those pages check who is asking).
 */
import type { SiteSettings } from "../core/settings.ts";

/**
 * Crawlers that gather text for AI models or AI answers, by the user-agent token each operator
 * documents. Refused with `Disallow: /` while `robots.refuseAiCrawlers` is on (the default).
 */
export const AI_CRAWLERS = [
  "GPTBot",
  "ChatGPT-User",
  "OAI-SearchBot",
  "ClaudeBot",
  "Claude-Web",
  "anthropic-ai",
  "CCBot",
  "Google-Extended",
  "Applebot-Extended",
  "PerplexityBot",
  "Bytespider",
  "Amazonbot",
  "meta-externalagent",
  "FacebookBot",
  "cohere-ai",
  "Diffbot",
  "Omgilibot",
  "ImagesiftBot",
  "Timpibot",
] as const;

/** Pages no crawler needs: staff pages, a reader's own pages, forms, search results. */
export const DISALLOWED_PATHS = [
  "/admin",
  "/wrangling",
  "/users/*/inbox",
  "/users/*/readings",
  "/users/*/preferences",
  "/users/*/subscriptions",
  "/users/*/stats",
  "/users/*/works/drafts",
  "/users/*/invitations",
  "/users/password/",
  "/preferences/",
  "/saved-searches",
  "/works/search?",
  "/autocomplete/",
  "/token_dispenser.json",
  "/login",
  "/users/login",
  "/users/logout",
  "/signup",
  "/invite_requests",
  "/banner/",
  "/works/new",
  "/works/*/edit",
  "/works/*/confirm_delete",
  "/works/*/chapters/new",
  "/works/*/bookmarks/new",
  "/comments/*/reply",
  "/comments/*/edit",
  "/comments/*/confirm_delete",
  "/bookmarks/*/edit",
  "/bookmarks/*/confirm_delete",
] as const;

/** Each line of the admin's extra rules must be blank, a comment, or `Field: value`. */
export function robotsRuleErrors(text: string): string | null {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (!/^[A-Za-z][A-Za-z-]*\s*:/.test(line))
      return `line ${i + 1} is not a rule ("Field: value", e.g. "Disallow: /private") or a comment ("# …")`;
  }
  return null;
}

export function robotsTxt(settings: Pick<SiteSettings, "archiveName" | "robots">): string {
  const lines = [
    `# robots.txt for ${settings.archiveName.replace(/[\r\n]+/g, " ")}`,
    "# Search engines may index the archive's public pages; accounts' own pages, forms and",
    "# search results are not for crawling.",
    "User-agent: *",
    ...DISALLOWED_PATHS.map((path) => `Disallow: ${path}`),
  ];
  if (settings.robots.refuseAiCrawlers) {
    lines.push(
      "",
      "# Crawlers gathering text for AI models or AI answers: this archive's works are not",
      "# offered for that.",
      ...AI_CRAWLERS.map((agent) => `User-agent: ${agent}`),
      "Disallow: /",
    );
  }
  const extra = settings.robots.extraRules.replace(/\r\n?/g, "\n").trim();
  if (extra) lines.push("", "# Rules added by the archive's administrators", extra);
  return `${lines.join("\n")}\n`;
}
