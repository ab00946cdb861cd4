import type { Migration } from "kysely";
import * as initial from "./2026-11-23T1200-initial.ts";
import * as tagWrangling from "./2026-11-23T1400-tag-wrangling.ts";
import * as changes from "./2026-11-23T1500-changes.ts";
import * as readerFilters from "./2026-11-23T1700-reader-filters.ts";
import * as workText from "./2026-11-23T1800-work-text.ts";
import * as engagement from "./2026-12-01T1000-engagement.ts";
import * as notifications from "./2026-12-01T1100-notifications.ts";
import * as uniqueEmails from "./2026-12-06T1000-unique-emails.ts";
import * as keptBookmarks from "./2026-12-06T1100-kept-bookmarks.ts";
import * as archiveIdentity from "./2026-12-06T1200-archive-identity.ts";
import * as jobPriorities from "./2026-12-06T1300-job-priorities.ts";
import * as formSubmissions from "./2026-12-06T1400-form-submissions.ts";
import * as tagAudienceCounts from "./2026-12-06T1500-tag-audience-counts.ts";
import * as underageSex from "./2026-12-06T1600-underage-sex.ts";
import * as readingHistorySwitch from "./2026-12-06T1700-reading-history-switch.ts";
import * as textFollowerCursor from "./2026-12-07T1000-text-follower-cursor.ts";
import * as community from "./2026-12-07T1100-community.ts";
import * as accountRecovery from "./2026-12-07T1110-account-recovery.ts";
import * as personalData from "./2026-12-07T1120-personal-data.ts";
import * as invitations from "./2026-12-07T1130-invitations.ts";
import * as moderation from "./2026-12-07T1140-moderation.ts";
import * as spam from "./2026-12-07T1150-spam.ts";
import * as formats from "./2026-12-08T1000-formats.ts";
import * as groupings from "./2026-12-09T1000-groupings.ts";
import * as seriesReading from "./2026-12-09T1020-series-reading.ts";
import * as renderedChapters from "./2026-12-10T1000-rendered-chapters.ts";
import * as changesNotify from "./2026-12-10T1100-changes-notify.ts";

/** Every migration, in order. Names are timestamps so they sort. */
export const migrations: Record<string, Migration> = {
  "2026-11-23T1200-initial": initial,
  "2026-11-23T1400-tag-wrangling": tagWrangling,
  "2026-11-23T1500-changes": changes,
  "2026-11-23T1700-reader-filters": readerFilters,
  "2026-11-23T1800-work-text": workText,
  "2026-12-01T1000-engagement": engagement,
  "2026-12-01T1100-notifications": notifications,
  "2026-12-06T1000-unique-emails": uniqueEmails,
  "2026-12-06T1100-kept-bookmarks": keptBookmarks,
  "2026-12-06T1200-archive-identity": archiveIdentity,
  "2026-12-06T1300-job-priorities": jobPriorities,
  "2026-12-06T1400-form-submissions": formSubmissions,
  "2026-12-06T1500-tag-audience-counts": tagAudienceCounts,
  "2026-12-06T1600-underage-sex": underageSex,
  "2026-12-06T1700-reading-history-switch": readingHistorySwitch,
  "2026-12-07T1000-text-follower-cursor": textFollowerCursor,
  "2026-12-07T1100-community": community,
  "2026-12-07T1110-account-recovery": accountRecovery,
  "2026-12-07T1120-personal-data": personalData,
  "2026-12-07T1130-invitations": invitations,
  "2026-12-07T1140-moderation": moderation,
  "2026-12-07T1150-spam": spam,
  "2026-12-08T1000-formats": formats,
  "2026-12-09T1000-groupings": groupings,
  "2026-12-09T1020-series-reading": seriesReading,
  "2026-12-10T1000-rendered-chapters": renderedChapters,
  "2026-12-10T1100-changes-notify": changesNotify,
};
