/**
 * The sentence under a work ("alice, bob and 3 guests left kudos on this work!"), built once
 * as pieces (text, or a link) so the page and kudos.js show exactly the same wording.
 */
import type { Queryable } from "../../core/db/index.ts";
import { pluralize } from "../../core/views/format.ts";
import { tallyAndFirstGivers, type KudosTally } from "./queries.ts";

/** Names shown under the work; the rest are behind "and N more users". */
export const NAMES_SHOWN = 50;

export interface KudosPiece {
  text: string;
  href?: string;
}

export interface KudosSummary {
  /** Kudos this reader can see (muted users left out). */
  count: number;
  /** Empty when nobody left kudos yet. */
  pieces: KudosPiece[];
}

export const kudosListUrl = (workId: number) => `/works/${workId}/kudos`;
export const userUrl = (login: string) => `/users/${encodeURIComponent(login)}`;

/** Joins items AO3-style: "a, b and c". */
function joined(items: KudosPiece[][]): KudosPiece[] {
  return items.flatMap((item, i) => {
    if (i === 0) return item;
    return [{ text: i === items.length - 1 ? " and " : ", " }, ...item];
  });
}

export function kudosSentence(
  names: readonly { login: string }[],
  tally: KudosTally,
  workId: number,
): KudosSummary {
  const count = tally.users + tally.guests;
  if (count === 0) return { count, pieces: [] };
  const links = names.map((n) => [{ text: n.login, href: userUrl(n.login) }]);
  const more = tally.users - names.length;
  const guests = tally.guests > 0 ? [{ text: pluralize(tally.guests, "guest") }] : [];
  let pieces: KudosPiece[];
  if (more > 0) {
    const moreLink = { text: pluralize(more, "more user"), href: kudosListUrl(workId) };
    pieces = joined([...links, [moreLink]]);
    if (guests.length) pieces.push({ text: " as well as " }, ...guests);
  } else {
    pieces = joined(guests.length ? [...links, guests] : links);
  }
  pieces.push({ text: " left kudos on this work!" });
  return { count, pieces };
}

export async function loadKudosSummary(
  db: Queryable,
  workId: number,
  mutedUserIds: readonly number[],
): Promise<KudosSummary> {
  const { tally, names } = await tallyAndFirstGivers(db, workId, mutedUserIds, NAMES_SHOWN);
  return kudosSentence(names, tally, workId);
}
