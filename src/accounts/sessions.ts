import { createHash, randomBytes } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppDeps } from "../core/http/route.tsx";
import type { ViewerResolution } from "../core/http/server.tsx";
import { NO_EXCLUSIONS, type Viewer } from "../core/viewer.ts";
import * as q from "./queries.ts";

export const SESSION_COOKIE = "fanfold_session";
/** Set when a reader chose "Proceed" at an adult-content gate; lasts the browser session. */
export const ADULT_COOKIE = "fanfold_adult";
/** AO3's own consent cookie, which readers' tools send (ao3.js sends `view_adult=true`). */
export const AO3_ADULT_COOKIE = "view_adult";

/** Whether the reader already agreed to see adult works this session (ours or AO3's cookie). */
export const hasAdultConsent = (cookies: Record<string, string | undefined>) =>
  cookies[ADULT_COOKIE] === "1" || cookies[AO3_ADULT_COOKIE] === "true";

const DAY = 24 * 60 * 60 * 1000;
const REMEMBERED = 30 * DAY;
const UNREMEMBERED = 2 * DAY;
const TOUCH_EVERY = 60 * 60 * 1000;

const sessionIdOf = (token: string) => createHash("sha256").update(token).digest("hex");

/** A guest's resolution, shared: answered without a promise (the route chain never mutates it). */
const GUESTS = {
  consented: { viewer: { user: null, adultConsent: true }, sessionId: null },
  notConsented: { viewer: { user: null, adultConsent: false }, sessionId: null },
} as const satisfies Record<string, ViewerResolution>;

export function viewerResolver(deps: AppDeps) {
  return (req: FastifyRequest): ViewerResolution | Promise<ViewerResolution> => {
    const token = req.cookies[SESSION_COOKIE];
    if (!token || token.length > 100) return guestResolution(req);
    return sessionViewer(deps, req, token);
  };
}

const guestResolution = (req: FastifyRequest): ViewerResolution =>
  hasAdultConsent(req.cookies) ? GUESTS.consented : GUESTS.notConsented;

async function sessionViewer(
  deps: AppDeps,
  req: FastifyRequest,
  token: string,
): Promise<ViewerResolution> {
  const adultConsent = hasAdultConsent(req.cookies);
  const now = deps.now();
  const id = sessionIdOf(token);
  const row = await q.findLiveSession(deps.db, id, now);
  if (!row) return guestResolution(req);
  if (now - row.last_seen_at > TOUCH_EVERY) {
    // Sliding expiry, written at most hourly so reading pages stays read-only.
    await q.touchSession(deps.db, id, now, now + REMEMBERED);
  }
  const viewer: Viewer = {
    user: {
      id: row.user_id,
      login: row.login,
      roles: new Set(row.roles.split(" ").filter(Boolean)),
      viewAdult: row.view_adult === 1,
      exclusions: NO_EXCLUSIONS,
      unreadNotifications: 0,
      suspendedUntil: row.suspended_until,
    },
    adultConsent,
  };
  return { viewer, sessionId: id };
}

/** Starts a fresh session (a new id: rotation at login defeats session fixation). */
export async function startSession(
  deps: AppDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  userId: number,
  remember: boolean,
) {
  if (req.state.sessionId) await q.deleteSession(deps.db, req.state.sessionId);
  const token = randomBytes(32).toString("base64url");
  const now = deps.now();
  await q.insertSession(deps.db, {
    id: sessionIdOf(token),
    userId,
    now,
    expiresAt: now + (remember ? REMEMBERED : UNREMEMBERED),
  });
  reply.setCookie(SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: deps.config.secureCookies,
    ...(remember ? { maxAge: REMEMBERED / 1000 } : {}),
  });
}

export async function endSession(deps: AppDeps, req: FastifyRequest, reply: FastifyReply) {
  if (req.state.sessionId) await q.deleteSession(deps.db, req.state.sessionId);
  reply.clearCookie(SESSION_COOKIE, { path: "/" });
  reply.clearCookie(ADULT_COOKIE, { path: "/" });
}

export function rememberAdultConsent(deps: AppDeps, reply: FastifyReply) {
  reply.setCookie(ADULT_COOKIE, "1", {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: deps.config.secureCookies,
  });
}

/**
 * Removes expired sessions now and every hour after. (A recurring job in the database queue
 * will take this over when the queue exists.)
 */
export function sweepExpiredSessions(deps: AppDeps): () => void {
  const sweep = () => {
    q.deleteExpiredSessions(deps.db, deps.now()).catch((err: unknown) =>
      console.error("session sweep failed", err),
    );
  };
  sweep();
  const timer = setInterval(sweep, 60 * 60 * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
