/** Related works as a reading page shows them (issue 15), in AO3's words. */
import type { Queryable } from "../../core/db/index.ts";
import type { WorkRelation } from "../../core/db/schema.ts";
import type { Viewer } from "../../core/viewer.ts";
import { languageName } from "../languages.ts";
import { bylineOf, type CreatorLink } from "../present.ts";
import { creatorsOfWorks } from "../queries.ts";
import { shownChildren, shownParents } from "./queries.ts";

export interface RelatedLink {
  /** Null when the reader may not read it (a restricted work, to a guest): "[Restricted Work]". */
  title: string | null;
  url: string | null;
  /** Its byline ("Anonymous" for a work in an anonymous collection), or the author typed. */
  creators: CreatorLink[];
  language: { code: string; name: string } | null;
  /** A work elsewhere, by address. */
  external: boolean;
}

export interface RelatedView {
  /** What the work is inspired by, translates or remixes: shown on it always. */
  parents: (RelatedLink & { relation: WorkRelation })[];
  /** Approved translations of it: "Translation into LANGUAGE available: …". */
  translations: RelatedLink[];
  /** Other approved works inspired by it or remixing it: "Works inspired by this one". */
  children: RelatedLink[];
}

export const NO_RELATED: RelatedView = { parents: [], translations: [], children: [] };

/** How a child names its parent, in AO3's words. */
export const RELATION_PHRASE: Readonly<Record<WorkRelation, string>> = {
  inspired: "Inspired by",
  translation: "A translation of",
  remix: "A remix of",
};

/** The relation as its creators read it ("… is inspired by your work …"). */
export const RELATION_VERB: Readonly<Record<WorkRelation, string>> = {
  inspired: "inspired by",
  translation: "a translation of",
  remix: "a remix of",
};

export const RELATIONS = ["inspired", "translation", "remix"] as const;

const language = (code: string | null) => (code ? { code, name: languageName(code) } : null);

/** Everything a reading page shows about a work's related works, for `viewer`. */
export async function relatedOf(
  db: Queryable,
  viewer: Viewer,
  workId: number,
): Promise<RelatedView> {
  const [parents, children] = await Promise.all([
    shownParents(db, viewer, workId),
    shownChildren(db, viewer, workId, { approvedOnly: true }),
  ]);
  if (parents.length === 0 && children.length === 0) return NO_RELATED;
  const here = [
    ...parents.flatMap((p) => (p.parentWorkId === null ? [] : [p.parentWorkId])),
    ...children.map((c) => c.workId),
  ];
  const creators = await creatorsOfWorks(db, here);
  const local = (w: {
    id: number;
    title: string;
    restricted: number;
    inAnonCollection: number;
    language: string;
  }): RelatedLink => {
    const readable = !w.restricted || viewer.user !== null;
    return {
      title: readable ? w.title : null,
      url: readable ? `/works/${w.id}` : null,
      creators: bylineOf({ in_anon_collection: w.inAnonCollection }, creators.get(w.id) ?? []),
      language: language(w.language),
      external: false,
    };
  };
  const childLinks = children.map((c) => ({
    relation: c.relation,
    link: local({
      id: c.workId,
      title: c.title,
      restricted: c.restricted,
      inAnonCollection: c.inAnonCollection,
      language: c.language,
    }),
  }));
  return {
    parents: parents.map((p) => {
      const link =
        p.parentWorkId === null
          ? {
              title: p.parentTitle,
              url: p.parentUrl,
              creators: [{ name: p.parentAuthor, url: null }],
              language: language(p.parentLanguage),
              external: true,
            }
          : local({
              id: p.parentWorkId,
              title: p.title ?? "",
              restricted: p.restricted ?? 0,
              inAnonCollection: p.inAnonCollection ?? 0,
              language: p.language ?? "",
            });
      return { ...link, relation: p.relation };
    }),
    translations: childLinks.filter((c) => c.relation === "translation").map((c) => c.link),
    children: childLinks.filter((c) => c.relation !== "translation").map((c) => c.link),
  };
}
