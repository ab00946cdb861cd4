/**
 * Every route runs the same chain: rate limit → auth → CSRF → honeypot → validation →
 * one-time submission claim (routes that opt in) → handler. A route only declares options, so
 * its security story reads top to bottom.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { VNode } from "preact";
import type { z } from "zod";
import type { Config } from "../config.ts";
import type { Db, Engine } from "../db/index.ts";
import { suspendedAt, suspensionMessage } from "../permissions.ts";
import type { Viewer, ViewerUser } from "../viewer.ts";
import type { WorkCountsSource } from "../work-counts.ts";
import type { Refusal } from "../result.ts";
import { refusalMessage } from "../result.ts";
import type { SiteChrome } from "../views/context.ts";
import type { FormErrors, FormState, FormValues } from "../views/forms.tsx";
import { isPage, page, renderPage, type Page } from "../views/render.tsx";
import { CSRF_FIELDS, csrfMatches, csrfTokenOf, NONCE_FIELD } from "./csrf.ts";
import { HttpError } from "./errors.ts";
import type { RateLimiter } from "./rate-limit.ts";
import {
  claimSubmission,
  nonceOf,
  releaseSubmission,
  settleSubmission,
  submissionKey,
  type SubmissionOutcome,
} from "./submissions.ts";

export interface AppDeps {
  db: Db;
  engine: Engine;
  config: Config;
  limiter: RateLimiter;
  now: () => number;
  /** Kudos, comments, bookmarks and hits on blurbs and work pages (set by the app). */
  workCounts?: WorkCountsSource;
}

export interface RequestState {
  viewer: Viewer;
  /** Session id (logged in) or guest cookie: what the CSRF token is bound to. */
  csrfBinding: string;
  csrfToken: string;
  sessionId: string | null;
  flash: string | undefined;
  /** The archive's name and banner for the layout (server.tsx fills it from the settings). */
  site?: SiteChrome | undefined;
}

declare module "fastify" {
  interface FastifyRequest {
    state: RequestState;
  }
}

export interface Redirect {
  kind: "redirect";
  url: string;
  flash?: string;
}

export const redirect = (url: string, flash?: string): Redirect => ({
  kind: "redirect",
  url,
  ...(flash ? { flash } : {}),
});

export interface Json {
  kind: "json";
  body: unknown;
  status?: number;
}

export const json = (body: unknown, status?: number): Json => ({
  kind: "json",
  body,
  ...(status ? { status } : {}),
});

export type HandlerResult = Page | Redirect | Json | FastifyReply;

export interface RouteContext<P, Q, B> {
  req: FastifyRequest;
  reply: FastifyReply;
  deps: AppDeps;
  viewer: Viewer;
  params: P;
  query: Q;
  body: B;
}

export interface UserContext<P, Q, B> extends RouteContext<P, Q, B> {
  user: ViewerUser;
}

export interface RateLimitRule {
  name: string;
  limit: number;
  windowMs: number;
  /**
   * Key by account when logged in, else by IP (default); always by IP; or both (the account
   * and the address each get the limit, so neither many accounts nor many addresses help).
   */
  by?: "viewer" | "ip" | "both";
}

/** Rules fixed at registration, or resolved per request (core/settings.ts `settingsLimit`). */
export type RouteLimit =
  RateLimitRule | RateLimitRule[] | ((deps: AppDeps) => Promise<RateLimitRule | RateLimitRule[]>);

/** The name of the hidden field guest forms carry; people never fill it, form-filling bots do. */
export const HONEYPOT_FIELD = "website";

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

interface RouteOptionsBase<PS, QS, BS> {
  method: "GET" | "POST";
  url: string;
  params?: PS;
  query?: QS;
  body?: BS;
  limit?: RouteLimit;
  /** The form carries the honeypot field (core/views/forms.tsx `Honeypot`). */
  honeypot?: boolean;
  /**
   * The form carries a one-time nonce (`<PostForm once>`): a repeat of the same submission
   * gets the first one's redirect, with this flash, instead of running again (submissions.ts).
   */
  oncePerSubmission?: Once;
  /** Largest body in bytes, where a form needs more than the server's (core/limits.ts). */
  bodyLimit?: number;
  /**
   * The request adds to the archive (posts, comments, kudos, bookmarks): refused with a 403
   * naming the date while the logged-in viewer is suspended (core/permissions.ts).
   */
  contributes?: boolean;
}

type Invalid<C> = (ctx: C, errors: FormErrors) => Promise<HandlerResult> | HandlerResult;

export type RouteOptions<PS, QS, BS> =
  | (RouteOptionsBase<PS, QS, BS> & {
      auth: "user";
      /** A role check (from a domain policy), made right after log-in and before validation. */
      allow?: (user: ViewerUser) => boolean;
      handler: (ctx: UserContext<Out<PS>, Out<QS>, Out<BS>>) => Promise<HandlerResult>;
      /** Renders a form again with the author's input and an error beside each field. */
      onInvalid?: Invalid<UserContext<Out<PS>, Out<QS>, FormValues>>;
    })
  | (RouteOptionsBase<PS, QS, BS> & {
      auth: "guest-ok";
      handler: (ctx: RouteContext<Out<PS>, Out<QS>, Out<BS>>) => Promise<HandlerResult>;
      onInvalid?: Invalid<RouteContext<Out<PS>, Out<QS>, FormValues>>;
    });

/** Turns zod issues into one message per field (the first one wins). */
export function fieldErrors(error: z.ZodError): FormErrors {
  const out: FormErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_form";
    out[key] ??= issue.message;
  }
  return out;
}

function describeErrors(where: string, errors: FormErrors): string {
  return Object.entries(errors)
    .map(([field, message]) => `${where} "${field}": ${message}`)
    .join("; ");
}

/**
 * Flattens a parsed form body to strings and string arrays (what forms can hold). Bracketed
 * names, which the body parser (qs) nests (`user[login]=x` arrives as `{ user: { login: "x" } }`),
 * are named back as the form wrote them: `"user[login]": "x"`.
 */
export function formValues(body: unknown): FormValues {
  const out: FormValues = {};
  if (typeof body !== "object" || body === null) return out;
  const add = (key: string, value: unknown, depth: number) => {
    if (typeof value === "string") out[key] = value;
    else if (Array.isArray(value))
      out[key] = value.filter((v): v is string => typeof v === "string");
    else if (typeof value === "object" && value !== null && depth < 3)
      for (const [k, v] of Object.entries(value)) add(`${key}[${k}]`, v, depth + 1);
  };
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if ((CSRF_FIELDS as readonly string[]).includes(key) || key === NONCE_FIELD) continue;
    add(key, value, 0);
  }
  return out;
}

/** A route as route() declared it: tests walk these to send every parameter hostile values. */
export interface DeclaredRoute {
  method: "GET" | "POST";
  url: string;
  params?: Schema;
  query?: Schema;
  body?: Schema;
  oncePerSubmission?: boolean;
  auth: "user" | "guest-ok";
  contributes?: boolean;
}
const declared = new WeakMap<FastifyInstance, DeclaredRoute[]>();
export const declaredRoutes = (app: FastifyInstance): readonly DeclaredRoute[] =>
  declared.get(app) ?? [];

export function route<
  PS extends Schema | undefined,
  QS extends Schema | undefined,
  BS extends Schema | undefined,
>(app: FastifyInstance, deps: AppDeps, opts: RouteOptions<PS, QS, BS>) {
  const { method, url, params, query, body } = opts;
  if (!declared.has(app)) declared.set(app, []);
  declared.get(app)!.push({
    method,
    url,
    params,
    query,
    body,
    oncePerSubmission: opts.oncePerSubmission !== undefined,
    auth: opts.auth,
    contributes: opts.contributes === true,
  });
  app.route({
    method: opts.method,
    url: opts.url,
    ...(opts.bodyLimit ? { bodyLimit: opts.bodyLimit } : {}),
    handler: async (req, reply) => {
      const viewer = req.state.viewer;

      if (opts.limit) {
        const rules = typeof opts.limit === "function" ? await opts.limit(deps) : opts.limit;
        await enforceLimits(deps, req, reply, viewer, rules);
      }

      if (opts.auth === "user" && !viewer.user) {
        if (opts.method === "GET") {
          return send(
            req,
            reply,
            redirect(`/login?return_to=${encodeURIComponent(req.url)}`, "Please log in first."),
          );
        }
        throw new HttpError(401, "Please log in to do that.");
      }
      if (opts.auth === "user" && opts.allow && viewer.user && !opts.allow(viewer.user)) {
        throw new HttpError(403, "Sorry, you don't have permission to do that.");
      }
      if (opts.contributes && viewer.user && suspendedAt(viewer.user, deps.now())) {
        throw new HttpError(403, suspensionMessage(viewer.user.suspendedUntil ?? 0));
      }

      if (opts.method !== "GET") {
        const token = csrfTokenOf(req.body);
        if (!csrfMatches(deps.config.secret, req.state.csrfBinding, token)) {
          throw new HttpError(
            403,
            "Your session expired or this form was sent from another page. Please go back, reload the page and try again.",
          );
        }
      }

      if (opts.honeypot && opts.method !== "GET") {
        const trap = (req.body as Record<string, unknown> | undefined)?.[HONEYPOT_FIELD];
        if (typeof trap === "string" && trap.trim() !== "") {
          throw new HttpError(
            400,
            `The field "${HONEYPOT_FIELD}" must be left empty: it is there to catch spam robots.`,
          );
        }
      }

      const params = parsePart<PS>(opts.params, req.params, "Address part");
      const query = parsePart<QS>(opts.query, req.query, "Parameter");
      const base = { req, reply, deps, viewer, params, query };

      let body = undefined as Out<BS>;
      if (opts.body) {
        const parsed = opts.body.safeParse(formValues(req.body));
        if (!parsed.success) {
          const errors = fieldErrors(parsed.error);
          if (opts.onInvalid) {
            const values = formValues(req.body);
            const result =
              opts.auth === "user"
                ? await opts.onInvalid({ ...base, user: signedIn(viewer), body: values }, errors)
                : await opts.onInvalid({ ...base, body: values }, errors);
            return send(req, reply, result, 422);
          }
          throw new HttpError(400, describeErrors("Field", errors), errors);
        }
        body = parsed.data as Out<BS>;
      }

      const run = () =>
        opts.auth === "user"
          ? opts.handler({ ...base, user: signedIn(viewer), body })
          : opts.handler({ ...base, body });
      const once = opts.method === "GET" ? undefined : opts.oncePerSubmission;
      return send(req, reply, once ? await runOnce(deps, req, reply, once, run) : await run());
    },
  });
}

type Once = true | { repeated: string };

/**
 * Runs a handler at most once per form nonce (submissions.ts): a repeat gets the first run's
 * redirect. A form without a nonce (an old cached page, a script) just runs.
 */
async function runOnce(
  deps: AppDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  once: Once,
  run: () => Promise<HandlerResult>,
): Promise<HandlerResult> {
  const nonce = nonceOf(req.body);
  if (!nonce) return run();
  const { viewer, csrfBinding } = req.state;
  // Bound to the account, else to the browser's guest cookie: never answers someone else.
  const sender = viewer.user ? `user:${viewer.user.id}` : `guest:${csrfBinding}`;
  const fields = formValues(req.body);
  const key = submissionKey(deps.config.secret, sender, `POST ${req.url}`, nonce, fields);

  const earlier = await claimSubmission(deps.db, key, deps.now());
  if (earlier) {
    if (earlier.location === null) throw new HttpError(409, "This form was already sent.");
    const flash =
      once === true ? "This was already posted, so it was not added again." : once.repeated;
    return redirect(earlier.location, flash);
  }
  let result: HandlerResult;
  try {
    result = await run();
  } catch (err) {
    await releaseSubmission(deps.db, key).catch((e: unknown) => req.log.warn(e));
    throw err;
  }
  // The write is done: failing to record its answer must not turn it into an error page.
  await settleSubmission(deps.db, key, outcomeOf(reply, result)).catch((e: unknown) =>
    req.log.warn(e),
  );
  return result;
}

/** What a handler's result answers, as a repeat of the same submission will get it. */
function outcomeOf(reply: FastifyReply, result: HandlerResult): SubmissionOutcome {
  if (result === undefined || result === reply || reply.sent) {
    const location = reply.getHeader("location");
    return { status: reply.statusCode, location: typeof location === "string" ? location : null };
  }
  if (isPage(result)) return { status: result.status ?? 200, location: null };
  if ("kind" in result && result.kind === "redirect") return { status: 303, location: result.url };
  if ("kind" in result && result.kind === "json")
    return { status: result.status ?? 200, location: null };
  return { status: reply.statusCode, location: null };
}

async function enforceLimits(
  deps: AppDeps,
  req: FastifyRequest,
  reply: FastifyReply,
  viewer: Viewer,
  limit: RateLimitRule | RateLimitRule[],
) {
  for (const rule of Array.isArray(limit) ? limit : [limit]) {
    const keys =
      rule.by === "ip" || !viewer.user
        ? [`ip:${req.ip}`]
        : rule.by === "both"
          ? [`user:${viewer.user.id}`, `ip:${req.ip}`]
          : [`user:${viewer.user.id}`];
    for (const who of keys) {
      const decision = await deps.limiter.hit(`${rule.name}:${who}`, rule.limit, rule.windowMs);
      if (!decision.allowed) {
        reply.header("retry-after", String(decision.retryAfter));
        throw new HttpError(
          429,
          `You're doing that too often. Please wait ${waitText(decision.retryAfter)} and try again.`,
        );
      }
    }
  }
}

function waitText(seconds: number): string {
  if (seconds < 120) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

function parsePart<S extends Schema | undefined>(
  schema: S | undefined,
  value: unknown,
  where: string,
): Out<S> {
  if (!schema) return undefined as Out<S>;
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new HttpError(400, describeErrors(where, fieldErrors(parsed.error)));
  return parsed.data as Out<S>;
}

/** The signed-in user of a route declared `auth: "user"` (the chain refused guests already). */
function signedIn(viewer: Viewer): ViewerUser {
  if (!viewer.user) throw new HttpError(401, "Please log in to do that.");
  return viewer.user;
}

export const FLASH_COOKIE = "fanfold_flash";

export function send(
  req: FastifyRequest,
  reply: FastifyReply,
  result: HandlerResult,
  statusOverride?: number,
) {
  // A handler that wrote the reply itself (a feed) hands back the reply, or nothing.
  if (result === undefined || result === reply || reply.sent) return reply;
  if (isPage(result)) return sendPage(req, reply, result, statusOverride);
  if ("kind" in result && result.kind === "redirect") {
    if (result.flash)
      reply.setCookie(FLASH_COOKIE, result.flash, { path: "/", httpOnly: true, sameSite: "lax" });
    return reply.redirect(result.url, 303);
  }
  if ("kind" in result && result.kind === "json") {
    return reply.code(result.status ?? 200).send(result.body);
  }
  return result;
}

export function sendPage(
  req: FastifyRequest,
  reply: FastifyReply,
  p: Page,
  statusOverride?: number,
) {
  const { state } = req;
  if (state.flash !== undefined) reply.clearCookie(FLASH_COOKIE, { path: "/" });
  const html = renderPage(
    p,
    {
      viewer: state.viewer,
      // Read only by a form on the page (server.tsx makes the token on first use).
      get csrfToken() {
        return state.csrfToken;
      },
      path: req.url,
      assetUrl: req.server.assetUrl,
      site: state.site,
    },
    state.flash,
  );
  return reply
    .code(statusOverride ?? p.status ?? 200)
    .type("text/html; charset=utf-8")
    .send(html);
}

/**
 * A command's refusal as the answer to a form: the form again, holding what the author typed
 * (nothing they wrote is lost) with each error beside its field, at the refusal's status.
 */
export async function refusedForm(
  req: FastifyRequest,
  refusal: Refusal,
  render: (form: FormState) => Page | Promise<Page>,
): Promise<Page> {
  const p = await render({ values: formValues(req.body), errors: refusal.errors });
  return { ...p, status: refusal.status };
}

/** A command's refusal where there is no form to show again: an error page or JSON error. */
export const refusalError = (refusal: Refusal): HttpError =>
  new HttpError(refusal.status, refusalMessage(refusal), refusal.errors);

/**
 * A refusal about fields of a request no form shows again (a script's POST): named the way
 * the route chain names a field that failed validation, `Field "x": …`.
 */
export const fieldsRefusalError = (refusal: Refusal): HttpError =>
  new HttpError(refusal.status, describeErrors("Field", refusal.errors), refusal.errors);

export function errorPage(status: number, title: string, message: string, body?: VNode): Page {
  return page(
    title,
    body ?? (
      <section class="error-page">
        <h1>{title}</h1>
        <p>{message}</p>
      </section>
    ),
    status,
  );
}
