/** Collections as pages show them (issue 15): links, dates, switches and what the viewer may do. */
import type { CollectionRole } from "../core/db/schema.ts";
import type { SanitizedHtml } from "../core/text/sanitize.ts";
import { formatDate } from "../core/views/format.ts";
import type { ViewerUser } from "../core/viewer.ts";
import { collectionPath } from "./names.ts";
import { collectionPolicy } from "./policy.ts";
import type { Collection } from "./queries.ts";

export interface CollectionLink {
  name: string;
  title: string;
  url: string;
}

export interface CollectionView extends CollectionLink {
  id: number;
  descriptionHtml: SanitizedHtml;
  rulesHtml: SanitizedHtml;
  parent: CollectionLink | null;
  moderated: boolean;
  closed: boolean;
  anonymous: boolean;
  unrevealed: boolean;
  /** "2026-12-24 18:00 UTC", or null. */
  revealWorksAt: string | null;
  revealCreatorsAt: string | null;
  created: string;
  /** Works the viewer may see (a parent's with its children's); null where not counted. */
  works: number | null;
  /** The viewer's role. */
  role: CollectionRole | null;
  can: { edit: boolean; delete: boolean; participants: boolean; moderate: boolean };
}

export const linkTo = (c: Pick<Collection, "name" | "title">): CollectionLink => ({
  name: c.name,
  title: c.title,
  url: collectionPath(c.name),
});

export function formatTime(ms: number | null): string | null {
  if (ms === null) return null;
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function presentCollection(
  c: Collection,
  extra: {
    user: ViewerUser | null;
    role: CollectionRole | null;
    parent?: Collection | null | undefined;
    works?: number | undefined;
  },
): CollectionView {
  const subject = { role: extra.role };
  return {
    ...linkTo(c),
    id: c.id,
    descriptionHtml: c.description_html,
    rulesHtml: c.rules_html,
    parent: extra.parent ? linkTo(extra.parent) : null,
    moderated: c.moderated === 1,
    closed: c.closed === 1,
    anonymous: c.anonymous === 1,
    unrevealed: c.unrevealed === 1,
    revealWorksAt: formatTime(c.reveal_works_at),
    revealCreatorsAt: formatTime(c.reveal_creators_at),
    created: formatDate(c.created_at),
    works: extra.works ?? null,
    role: extra.role,
    can: {
      edit: collectionPolicy.can(extra.user, "edit", subject),
      delete: collectionPolicy.can(extra.user, "delete", subject),
      participants: collectionPolicy.can(extra.user, "participants", subject),
      moderate: collectionPolicy.can(extra.user, "moderate", subject),
    },
  };
}
