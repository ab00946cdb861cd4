import type { TestContext } from "node:test";

/**
 * Skips a test whose prerequisite (PostgreSQL, Chromium, ../shared) is missing, with a
 * visible reason. Under FANFOLD_REQUIRE_ALL=1 (CI) a missing prerequisite fails instead.
 */
export function skipUnless(t: TestContext, available: boolean, reason: string): boolean {
  if (available) return false;
  if (process.env.FANFOLD_REQUIRE_ALL === "1") {
    throw new Error(`Required but unavailable (FANFOLD_REQUIRE_ALL=1): ${reason}`);
  }
  console.log(`# SKIPPED: ${reason}`);
  t.skip(reason);
  return true;
}
