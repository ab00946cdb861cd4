import assert from "node:assert/strict";
// The browser tier's plumbing: a real Fanfold server on 127.0.0.1, Debian's Chromium driven by
// playwright-core, a network fence around every page, and axe-core run inside the page.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { TestContext } from "node:test";
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from "playwright-core";
import { createTestApp, TEST_PASSWORD, type TestApp } from "../../test/support/app.ts";
import { skipUnless } from "../../test/support/skip.ts";

/** Debian's Chromium; FANFOLD_CHROMIUM points elsewhere (or nowhere, to try the skip path). */
export const CHROMIUM_PATH = process.env.FANFOLD_CHROMIUM ?? "/usr/bin/chromium";
export const chromiumAvailable = existsSync(CHROMIUM_PATH);
const missingReason = `browser tests need Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`;

/**
 * Call first in every browser test: skips it, visibly, when Chromium is missing (and fails
 * under FANFOLD_REQUIRE_ALL=1). Returns true when the test should stop.
 */
export const skipWithoutChromium = (t: TestContext) =>
  skipUnless(t, chromiumAvailable, missingReason);

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}

export interface Server {
  /** e.g. `http://127.0.0.1:43121`, no trailing slash. */
  url: string;
  testApp: TestApp;
  close(): Promise<void>;
}

/** A real Fanfold (in-memory SQLite) listening on an ephemeral port of 127.0.0.1. */
export async function startServer(): Promise<Server> {
  const testApp = await createTestApp("sqlite");
  await testApp.app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = testApp.app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, testApp, close: () => testApp.close() };
}

export interface FencedContext {
  context: BrowserContext;
  /** Every request the fence refused, so a test can assert that nothing tried to leave. */
  blocked: string[];
}

/** A browser context that may talk to `origin` only; every other request is aborted. */
export async function fencedContext(
  browser: Browser,
  origin: string,
  options: BrowserContextOptions = {},
): Promise<FencedContext> {
  const context = await browser.newContext({ baseURL: origin, ...options });
  const allowed = new URL(origin).origin;
  const blocked: string[] = [];
  await context.route("**/*", async (route) => {
    const url = route.request().url();
    let sameOrigin = false;
    try {
      sameOrigin = new URL(url).origin === allowed;
    } catch {
      sameOrigin = false;
    }
    if (sameOrigin) return route.continue();
    blocked.push(url);
    return route.abort("blockedbyclient");
  });
  context.setDefaultTimeout(10_000);
  return { context, blocked };
}

/** Logs a context in through the real form, so its pages are that user's. */
export async function logIn(context: BrowserContext, login: string) {
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Username or email").fill(login);
  await page.getByLabel("Password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  await page.close();
}

// ---------------------------------------------------------------------------------------------
// axe-core

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

export interface AxeResult {
  violations: AxeViolation[];
  /** One block per violated rule: id, impact, help, then each offending selector. */
  summary: string;
}

/**
 * What axe checks: WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices. Every rule axe
 * runs by default carries one of these tags, so nothing checked before is dropped; `wcag22aa`
 * adds what the defaults leave off, such as `target-size` (2.5.8, targets of at least 24×24 px
 * or spaced apart).
 */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

/** Runs axe-core (the AXE_TAGS rules) over the whole document of `page`. */
export async function axe(page: Page): Promise<AxeResult> {
  const injected = await page.evaluate(() => "axe" in window);
  // addScriptTag inserts an inline <script>, which Fanfold's CSP refuses: open pages to be
  // checked in a context made with `bypassCSP: true`.
  if (!injected) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async (tags) => {
    const w = window as unknown as {
      axe: {
        run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }>;
      };
    };
    // Only the violations are collected (passes would just cost time).
    const result = await w.axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target,
        ...(n.failureSummary ? { failureSummary: n.failureSummary } : {}),
      })),
    }));
  }, AXE_TAGS);
  return { violations, summary: summarize(page.url(), violations) };
}

function summarize(url: string, violations: AxeViolation[]): string {
  if (violations.length === 0) return `${url}: no axe violations`;
  const blocks = violations.map((v) => {
    const nodes = v.nodes
      .slice(0, 8)
      .map((n) => {
        const why = n.failureSummary?.split("\n").slice(1, 3).join(" ").trim();
        return `    - ${n.target.join(" ")}${why ? `\n      ${why}` : ""}`;
      })
      .join("\n");
    const more = v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : "";
    return `  [${v.impact ?? "?"}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
  });
  return `${url}: ${violations.length} axe violation(s)\n${blocks.join("\n")}`;
}

// ---------------------------------------------------------------------------------------------
// Screenshots for people to look at (artifacts/ is ignored by git; CI keeps the folder).

/** Where browser tests write their screenshots: FANFOLD_ARTIFACTS, or `artifacts/screenshots`. */
export const SCREENSHOT_DIR = process.env.FANFOLD_ARTIFACTS ?? join("artifacts", "screenshots");

/** The two widths every changed page is looked at: a desktop window and a phone. */
export const VIEWPORTS = { wide: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

/**
 * Saves `page` as `<name>-1280.png` and `<name>-390.png` (full page), resizing the viewport for
 * each and restoring it afterwards. Returns the files written.
 */
export async function screenshotWidths(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize();
  const files: string[] = [];
  for (const size of [VIEWPORTS.wide, VIEWPORTS.phone]) {
    await page.setViewportSize(size);
    const file = join(SCREENSHOT_DIR, `${name}-${size.width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
  }
  if (before) await page.setViewportSize(before);
  return files;
}

/**
 * What every page kind gets looked at for: no axe violations at 1280 px, nothing wider than a
 * 390 px screen, and screenshots at both widths. Leaves the viewport at 1280 px.
 */
export async function lookAtPage(page: Page, name: string): Promise<void> {
  await page.setViewportSize(VIEWPORTS.wide);
  const { violations, summary } = await axe(page);
  assert.equal(violations.length, 0, `${name}: ${summary}`);
  await page.setViewportSize(VIEWPORTS.phone);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(
    width <= VIEWPORTS.phone.width,
    `${name} (${page.url()}) is ${width} px wide on a ${VIEWPORTS.phone.width} px screen`,
  );
  await screenshotWidths(page, name);
  await page.setViewportSize(VIEWPORTS.wide);
}
