/** Plain async factories: each builds what it needs through the real commands. */
import { signUp } from "../../src/accounts/commands.ts";
import { pseudsOfUser, setRoles } from "../../src/accounts/queries.ts";
import type { Db } from "../../src/core/db/index.ts";
import type { Role } from "../../src/core/permissions.ts";
import type { Result } from "../../src/core/result.ts";
import { NO_EXCLUSIONS, type ViewerUser } from "../../src/core/viewer.ts";
import { createBookmark } from "../../src/engagement/bookmarks/commands.ts";
import { BookmarkInput } from "../../src/engagement/bookmarks/schemas.ts";
import { postComment } from "../../src/engagement/comments/commands.ts";
import { commentWork } from "../../src/engagement/comments/load.ts";
import { CommentInput } from "../../src/engagement/comments/schemas.ts";
import { leaveKudos } from "../../src/engagement/kudos/commands.ts";
import { loadWork } from "../../src/works/load.ts";
import { postWork } from "../../src/works/commands.ts";
import { NewWorkInput } from "../../src/works/schemas.ts";

let seq = 0;
const CHEAP = { memoryCost: 256, timeCost: 1 };

export async function buildUser(
  db: Db,
  overrides: { login?: string; password?: string; roles?: Role[] } = {},
) {
  seq += 1;
  const login = overrides.login ?? `user_${seq}`;
  const result = await signUp(db, {
    login,
    email: `${login}@example.org`,
    password: overrides.password ?? "factory password",
    hashCost: CHEAP,
    now: Date.now(),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const [pseud] = await pseudsOfUser(db, result.value.userId);
  if (overrides.roles?.length) await setRoles(db, result.value.userId, overrides.roles);
  return { id: result.value.userId, login, pseudId: pseud!.id, roles: overrides.roles ?? [] };
}

export interface WorkOverrides {
  pseudId?: number;
  now?: number;
  /** Any field of the new-work form, as the form sends it. */
  [field: string]: string | string[] | number | undefined;
}

/** Posts a work through `postWork`, parsing the same form fields the page sends. */
export async function buildWork(db: Db, overrides: WorkOverrides = {}) {
  const { pseudId, now, ...fields } = overrides;
  const author = pseudId ?? (await buildUser(db)).pseudId;
  seq += 1;
  const input = NewWorkInput.parse({
    title: `Work ${seq}`,
    rating: "General Audiences",
    warnings: ["No Archive Warnings Apply"],
    fandoms: "Factory Fandom",
    language: "en",
    text: "Some chapter text for a factory-made work.",
    ...fields,
  });
  const result = await postWork(db, { pseudId: author, input, now: now ?? Date.now() });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { ...result.value, pseudId: author };
}

/** What `buildUser` returns: enough to act as that user. */
export interface FactoryUser {
  id: number;
  login: string;
  pseudId: number;
  roles?: readonly string[];
}

/** The user as commands see a signed-in reader (no exclusions, adult works shown). */
export const readerOf = (user: FactoryUser): ViewerUser => ({
  id: user.id,
  login: user.login,
  roles: new Set(user.roles ?? []),
  viewAdult: true,
  exclusions: NO_EXCLUSIONS,
  unreadNotifications: 0,
  suspendedUntil: null,
});

const loadAs = (db: Db, user: FactoryUser | undefined, workId: number) =>
  loadWork({ db }, { user: user ? readerOf(user) : null, adultConsent: true }, workId);

function mustSucceed<T>(what: string, result: Result<T>): T {
  if (!result.ok) throw new Error(`${what} was refused: ${JSON.stringify(result.errors)}`);
  return result.value;
}

export interface CommentOverrides {
  /** The commenter; a guest (with `guest`'s name and e-mail) when left out. */
  by?: FactoryUser;
  guest?: { name: string; email: string };
  text?: string;
  parentId?: number;
  chapterId?: number;
  now?: number;
}

/** Posts a comment through `postComment` (policy, threads, counters, notifications). */
export async function buildComment(db: Db, workId: number, overrides: CommentOverrides = {}) {
  const { by, parentId, chapterId, now } = overrides;
  seq += 1;
  const guest = overrides.guest ?? { name: `Guest ${seq}`, email: `guest${seq}@example.org` };
  const input = CommentInput.parse({
    comment_content: overrides.text ?? `Comment ${seq}: I loved this.`,
    ...(chapterId === undefined ? {} : { chapter_id: String(chapterId) }),
    ...(by ? {} : guest),
  });
  const result = await postComment(db, {
    work: commentWork(await loadAs(db, by, workId)),
    by: by ? readerOf(by) : null,
    input,
    parentId: parentId ?? null,
    now: now ?? Date.now(),
  });
  return mustSucceed("The comment", result);
}

/** Leaves kudos through `leaveKudos`: from `by`, or from a guest at `ip`. */
export async function buildKudos(
  db: Db,
  workId: number,
  overrides: { by?: FactoryUser; ip?: string; now?: number } = {},
) {
  const { by, now } = overrides;
  const result = await leaveKudos(db, {
    user: by ? readerOf(by) : null,
    loaded: await loadAs(db, by, workId),
    ip: overrides.ip ?? "192.0.2.1",
    config: { secret: "factory secret", guestKudos: true },
    now: now ?? Date.now(),
  });
  return mustSucceed("The kudos", result);
}

export interface BookmarkOverrides {
  /** The reader; a new user when left out. */
  by?: FactoryUser;
  now?: number;
  /** Any field of the bookmark form, as the form sends it. */
  [field: string]: string | string[] | number | FactoryUser | undefined;
}

/** Bookmarks a work through `createBookmark`, parsing the same fields the form sends. */
export async function buildBookmark(db: Db, workId: number, overrides: BookmarkOverrides = {}) {
  const { by, now, ...fields } = overrides;
  const reader = by ?? (await buildUser(db));
  const input = BookmarkInput.parse({ notes: "", tags: "", ...fields });
  const result = await createBookmark(db, {
    userId: reader.id,
    workId,
    pseudId: input.pseud_id ?? reader.pseudId,
    input,
    now: now ?? Date.now(),
  });
  return { ...mustSucceed("The bookmark", result), by: reader };
}
