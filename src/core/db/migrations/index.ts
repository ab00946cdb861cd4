import type { Migration } from "kysely";
import * as initial from "./2026-11-23T1200-initial.ts";
import * as tagWrangling from "./2026-11-23T1400-tag-wrangling.ts";
import * as changes from "./2026-11-23T1500-changes.ts";
import * as readerFilters from "./2026-11-23T1700-reader-filters.ts";
import * as workText from "./2026-11-23T1800-work-text.ts";
import * as engagement from "./2026-12-01T1000-engagement.ts";
import * as notifications from "./2026-12-01T1100-notifications.ts";

/** Every migration, in order. Names are timestamps so they sort. */
export const migrations: Record<string, Migration> = {
  "2026-11-23T1200-initial": initial,
  "2026-11-23T1400-tag-wrangling": tagWrangling,
  "2026-11-23T1500-changes": changes,
  "2026-11-23T1700-reader-filters": readerFilters,
  "2026-11-23T1800-work-text": workText,
  "2026-12-01T1000-engagement": engagement,
  "2026-12-01T1100-notifications": notifications,
};
